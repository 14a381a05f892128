/** The Netty tap: a channel handler for the response path of an HTTP client pipeline. */
package io.streamfold.gateway.netty;
