/**
 * Anthropic Messages: decoder and writer.
 *
 * <p>Internal: public classes here are public only so that the other streamfold packages can reach
 * them; they are not API and change without notice.
 */
package io.streamfold.aggregator.internal.dialect.anthropic;
