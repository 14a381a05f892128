/**
 * Aggregation: provider dialects that fold framed events back into the complete response.
 *
 * <p>Start at {@link io.streamfold.aggregator.StreamAggregator}: feed it the response body as it arrives,
 * read the {@link io.streamfold.aggregator.Aggregate} at any time, and listen to deltas with a
 * {@link io.streamfold.aggregator.StreamListener}. Every dialect folds into the same model
 * ({@link io.streamfold.aggregator.Choice}, {@link io.streamfold.aggregator.Part},
 * {@link io.streamfold.aggregator.Usage}) and writes back its provider's own non-streaming JSON, or a
 * provider-independent normalized view.
 */
package io.streamfold.aggregator;
