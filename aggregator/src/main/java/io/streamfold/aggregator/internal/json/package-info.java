/**
 * JSON reading internals of the aggregator: the payload reader and its byte-level checks.
 *
 * <p>Not API: public classes here are public only so that other streamfold packages can use them, and may
 * change or disappear in any release.
 */
package io.streamfold.aggregator.internal.json;
