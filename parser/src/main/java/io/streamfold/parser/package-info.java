/**
 * Framing: push-based, zero-copy tokenizers that turn the bytes of a streamed LLM response into frames.
 *
 * <p>{@link io.streamfold.parser.SseTokenizer} (Server-Sent Events, WHATWG rules),
 * {@link io.streamfold.parser.NdjsonFramer} (one JSON value per line, Ollama),
 * {@link io.streamfold.parser.JsonArrayFramer} (one streamed top-level JSON array, Gemini without {@code alt=sse})
 * and {@link io.streamfold.parser.EventStreamFramer} (AWS {@code application/vnd.amazon.eventstream}, Bedrock)
 * all implement {@link io.streamfold.parser.Framer}: feed bytes in any slicing, receive each
 * {@link io.streamfold.parser.Frame} as soon as it is complete, as a view onto the caller's bytes when it lay
 * inside one slice. Errors are {@link io.streamfold.parser.StreamError} values; memory is bounded by
 * {@link io.streamfold.parser.FramingLimits}.
 *
 * <p>Agrona 2 buffers need the JVM flag {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} on Java 17+.
 */
package io.streamfold.parser;
