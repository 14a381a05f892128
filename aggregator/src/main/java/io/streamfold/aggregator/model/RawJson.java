package io.streamfold.aggregator.model;

/**
 * One JSON value kept as the provider sent it, for fields streamfold does not interpret and for
 * values that must stay exact (a {@code seed} above 2^63). Numbers and short strings keep their characters,
 * objects and arrays their bytes; a string of 256 bytes or more as sent (an encrypted reasoning blob, a
 * signature) keeps its bytes too and is decoded when read. Reused in place: capturing into an existing value
 * allocates nothing once its buffers are large enough.
 */
public interface RawJson
{
    /** The JSON type of a kept value. */
    public enum Type
    {
        /** Nothing kept yet. */
        ABSENT,
        /** A string; {@link #text()} holds its decoded characters. */
        STRING,
        /** A number; {@link #text()} holds its exact digits. */
        NUMBER,
        /** {@code true}. */
        TRUE,
        /** {@code false}. */
        FALSE,
        /** {@code null}. */
        NULL,
        /** An object or array; {@link #json()} gives its text. */
        STRUCTURED
    }

    /** @return the JSON type, or {@link Type#ABSENT}. */
    Type type();

    /**
     * @return characters of a string, or digits of a number; empty for other types. A string kept as its bytes is
     *         decoded into a new string by each call.
     */
    CharSequence text();

    /** @return the value as JSON text (allocates). */
    String json();

    /** @return the number as a long, or {@code fallback} when it is not an integer that fits. */
    long longValue(long fallback);

    /** @return true for ABSENT and NULL. */
    boolean isNullish();
}
