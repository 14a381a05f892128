/**
 * Internal, not API: byte-level JSON scanners and decoders shared by the aggregator's fast paths. Public only
 * so that other packages of this module can use them; they may change or disappear in any release.
 */
package io.streamfold.aggregator.internal.json;
