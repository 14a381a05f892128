package io.streamfold.aggregator.model;

import io.streamfold.aggregator.StreamAggregator;

/**
 * A growable, bounded run of characters: the text, reasoning or arguments of one part of a message.
 * Appends copy characters without creating a {@code String}; the buffer is reused across
 * {@link StreamAggregator#reset()}. Read it as a {@link CharSequence}; {@link #toString()} allocates.
 */
public interface TextBuffer extends CharSequence
{
    /**
     * @return true once anything (even an empty string) was set or appended; distinguishes an explicit
     * {@code ""} from a field that never appeared.
     */
    boolean isPresent();

    /** @return true when the content equals {@code text}. */
    boolean contentEquals(CharSequence text);
}
