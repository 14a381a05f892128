/**
 * Events: the listener vocabulary a caller hears while a stream is read, the same for every provider. Decoders
 * report what they read to the fold, which fires these events as it applies them; a gateway that stops at the
 * events builds its aggregator with {@code keepContent(false)} (see
 * {@link io.streamfold.aggregator.StreamAggregator.Builder#keepContent(boolean)}): it hears the same events and the
 * fold keeps the stream's structure, not its per-token content.
 */
package io.streamfold.aggregator.event;
