/**
 * Framing API: push-based, zero-copy tokenizers that turn the bytes of a streamed LLM response into frames.
 *
 * <p>The framers, one package per wire format, all implement {@link io.streamfold.parser.Framer}:
 * {@link io.streamfold.parser.sse.SseTokenizer} (Server-Sent Events, WHATWG rules),
 * {@link io.streamfold.parser.ndjson.NdjsonFramer} (one JSON value per line, Ollama),
 * {@link io.streamfold.parser.jsonarray.JsonArrayFramer} (one streamed top-level JSON array, Gemini without
 * {@code alt=sse}), {@link io.streamfold.parser.eventstream.EventStreamFramer} (AWS
 * {@code application/vnd.amazon.eventstream}, Bedrock), and {@link io.streamfold.parser.composite} for framers
 * built from those. Feed bytes in any slicing, receive each {@link io.streamfold.parser.Frame} as soon as it is
 * complete, as a view onto the caller's bytes when it lay inside one slice. Errors are
 * {@link io.streamfold.parser.StreamError} values; memory is bounded by {@link io.streamfold.parser.FramingLimits}.
 *
 * <p>No JVM flag is needed: where Agrona's fast buffers cannot reach {@code jdk.internal.misc.Unsafe} (no
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}), a flag-free buffer is used instead.
 * {@link io.streamfold.parser.internal} is not API.
 */
package io.streamfold.parser;
