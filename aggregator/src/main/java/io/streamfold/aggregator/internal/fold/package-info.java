/**
 * Internal, not API: mutable fold state and the mechanisms every dialect shares. Public only so that the
 * dialect packages of this module can use them; they may change or disappear in any release.
 */
package io.streamfold.aggregator.internal.fold;
