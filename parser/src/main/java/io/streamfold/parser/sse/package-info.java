/** Server-Sent Events framing (WHATWG HTML "interpreting an event stream"). */
package io.streamfold.parser.sse;
