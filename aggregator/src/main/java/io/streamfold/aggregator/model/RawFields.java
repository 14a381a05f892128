package io.streamfold.aggregator.model;

/**
 * Fields of one JSON object kept raw, in first-seen order, the last value of a name winning. This is
 * how unknown fields survive aggregation and are written back at the level they came from, and how
 * plain metadata (id, model, created, seed) is kept exact without a class per provider. Names are
 * Jackson's canonical strings, so keeping them allocates nothing; value slots are reused.
 */
public interface RawFields
{
    /** @return number of fields. */
    int size();

    /** @return the name of field {@code i}, in first-seen order. */
    String name(int i);

    /** @return the value of field {@code i}. */
    RawJson value(int i);

    /** @return the value named {@code name}, or null when absent. */
    RawJson get(String name);

    /** @return true when {@code name} is present with a non-null value. */
    boolean has(String name);
}
