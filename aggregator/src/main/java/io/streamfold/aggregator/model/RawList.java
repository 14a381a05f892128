package io.streamfold.aggregator.model;

/**
 * A JSON array built up element by element from raw values as they stream in (logprob entries,
 * reasoning detail entries, annotations). Elements are kept as the provider's bytes, joined with commas.
 */
public interface RawList
{
    /** @return number of elements. */
    int count();

    /** @return true once the list was seen in the stream, even empty. */
    boolean isPresent();

    /** @return the array as JSON text (allocates). */
    String json();
}
