/**
 * Dialects: the base class of a provider's decoder, the registry from format to dialect, and format detection.
 *
 * <p>Internal: public classes here are public only so that the other streamfold packages can reach
 * them; they are not API and change without notice.
 */
package io.streamfold.aggregator.internal.dialect;
