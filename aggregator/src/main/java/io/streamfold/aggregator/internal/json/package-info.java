/**
 * Internal JSON machinery of the aggregator. Public classes here are NOT API: they are public only so that
 * other packages of this library can use them, and may change or disappear in any release.
 */
package io.streamfold.aggregator.internal.json;
