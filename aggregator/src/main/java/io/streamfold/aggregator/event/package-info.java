/**
 * Events: the listener vocabulary a caller sees while a stream is folded.
 */
package io.streamfold.aggregator.event;
