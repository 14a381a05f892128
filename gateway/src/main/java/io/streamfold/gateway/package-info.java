/**
 * streamfold inside gateways: taps that pass every response buffer on untouched while folding it
 * (Netty {@code ByteBuf} and channel handler, {@code java.net.http} body subscriber, Reactor Netty
 * operator), a format chooser, pooled per-stream state, the immutable per-request {@link
 * io.streamfold.gateway.GenAiRecord}, and the reverse proxy with its Prometheus metrics.
 */
package io.streamfold.gateway;
