/** Framers built from the format framers, for endpoints that answer in more than one framing. */
package io.streamfold.parser.composite;
