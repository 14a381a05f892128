/**
 * The folded result, read-only to callers: {@link io.streamfold.aggregator.model.Aggregate} with its
 * {@link io.streamfold.aggregator.model.Choice}s, their {@link io.streamfold.aggregator.model.Part}s and the
 * merged {@link io.streamfold.aggregator.model.Usage}, plus raw JSON views of fields kept as the provider sent them.
 */
package io.streamfold.aggregator.model;
