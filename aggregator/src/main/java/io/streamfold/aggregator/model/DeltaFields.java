package io.streamfold.aggregator.model;

/**
 * Unknown fields of a streamed delta, folded by the only rule that fits deltas without knowing them:
 * strings are increments and are joined, arrays are increments and are concatenated, anything else
 * (numbers, objects) is a state and the last non-null value wins. Written back in first-seen order.
 */
public interface DeltaFields
{
    /** @return number of fields. */
    int size();

    /** @return the name of field {@code i}. */
    String name(int i);

    /** @return field {@code i}'s value as JSON text (allocates). */
    String json(int i);

    /** @return the value of {@code name} as JSON text, or null when absent (allocates). */
    String json(String name);
}
