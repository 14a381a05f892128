/** Framing of one streamed top-level JSON array, as Gemini streams it without {@code alt=sse}. */
package io.streamfold.parser.jsonarray;
