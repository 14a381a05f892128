/** The Reactor Netty tap: an operator over a response body {@code Flux<ByteBuf>} / {@code ByteBufFlux}. */
package io.streamfold.gateway.reactor;
