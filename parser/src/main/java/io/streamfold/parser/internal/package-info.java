/**
 * Internals shared by the framers: the line scanner, the byte order mark rule, the JSON bracket and string
 * scanner, the spill buffer, UTF-8 decoding, the framer base classes and the buffer factory.
 *
 * <p><b>Not API.</b> Classes here are public only so that the format packages and the aggregator can share
 * them; they may change or disappear in any release. Do not use them from outside streamfold.
 */
package io.streamfold.parser.internal;
