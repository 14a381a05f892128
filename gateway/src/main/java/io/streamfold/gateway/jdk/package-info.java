/** The {@code java.net.http} tap: a body handler and subscriber wrapping any downstream body handler. */
package io.streamfold.gateway.jdk;
