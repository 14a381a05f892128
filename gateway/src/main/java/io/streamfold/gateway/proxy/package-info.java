/**
 * {@code streamfold proxy}: a Netty HTTP/1.1 reverse proxy that streams each upstream read to the client at
 * once, taps it, writes one JSON record per request and serves Prometheus metrics.
 */
package io.streamfold.gateway.proxy;
