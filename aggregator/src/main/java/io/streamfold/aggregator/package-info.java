/**
 * Aggregation API: fold one streamed LLM response back into the complete response.
 *
 * <p>Start at {@link io.streamfold.aggregator.StreamAggregator}: feed it the response body as it arrives,
 * read the {@link io.streamfold.aggregator.model.Aggregate} at any time, and listen to deltas with a
 * {@link io.streamfold.aggregator.event.StreamListener}. Every provider folds into the same model
 * ({@link io.streamfold.aggregator.model}) and writes back its provider's own non-streaming JSON, or a
 * provider-independent normalized view.
 *
 * <p>The API is this package, {@link io.streamfold.aggregator.event} and
 * {@link io.streamfold.aggregator.model}. Everything under {@code io.streamfold.aggregator.internal} is
 * implementation: some classes there are public so that the packages can reach each other, but they
 * are not API and change without notice.
 */
package io.streamfold.aggregator;
