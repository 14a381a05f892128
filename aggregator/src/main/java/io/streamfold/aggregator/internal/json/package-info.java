/**
 * JSON reading for the dialects: a pull reader over one frame's bytes, raw capture, JSON text checks.
 *
 * <p>Internal: public classes here are public only so that the other streamfold packages can reach
 * them; they are not API and change without notice.
 */
package io.streamfold.aggregator.internal.json;
