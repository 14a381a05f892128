/** Newline-delimited JSON framing (NDJSON, JSON Lines), as Ollama streams it. */
package io.streamfold.parser.ndjson;
