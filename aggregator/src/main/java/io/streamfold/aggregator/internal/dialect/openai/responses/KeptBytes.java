package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.util.Arrays;

/**
 * Bytes of one value kept from an event so that a later event repeating them is recognised without being read again
 * (an item read whole and final, a final text found equal to its part's, a content part read whole), whether an
 * event's check accepted them, and their nesting, found when first needed. The array is reused; one longer than
 * {@link #KEPT_BYTES} is let go when the value is released (a pooled aggregator would keep it otherwise).
 */
final class KeptBytes
{
    private static final byte[] NONE = new byte[0];
    /** Kept arrays longer than this are let go on {@link #release}. */
    static final int KEPT_BYTES = 64 * 1024;

    private byte[] bytes = NONE;
    /** -1 when nothing is kept. */
    private int length = -1;
    private boolean checked;
    /** The nesting of the kept value, itself counting one (-1 until found). */
    private int depth = -1;
    /** How many brackets open in the kept value, quoted ones too: never less than its nesting (-1 until counted). */
    private int openings = -1;

    /** Keeps {@code src[from, to)}; {@code checked} when an event's check accepted those bytes. */
    void keep(final byte[] src, final int from, final int to, final boolean checked)
    {
        final int n = to - from;
        if (bytes.length < n)
        {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        System.arraycopy(src, from, bytes, 0, n);
        length = n;
        this.checked = checked;
        depth = -1;
        openings = -1;
    }

    /** Forgets the kept value, and lets a large array go. */
    void release()
    {
        length = -1;
        checked = false;
        if (bytes.length > KEPT_BYTES)
        {
            bytes = NONE;
        }
    }

    /** @return the kept length, -1 when nothing is kept. */
    int length()
    {
        return length;
    }

    /** @return whether the kept bytes were accepted by their event's check. */
    boolean checked()
    {
        return checked;
    }

    /** @return whether {@code src[from, to)} is exactly the kept value. */
    boolean equalTo(final byte[] src, final int from, final int to)
    {
        return length >= 0 && to - from == length && Arrays.equals(bytes, 0, length, src, from, to);
    }

    /** @return whether a non-empty kept value repeats at {@code src[from]}, before {@code limit}. */
    boolean repeatsAt(final byte[] src, final int from, final int limit)
    {
        final int n = length;
        return n > 0 && n <= limit - from && Arrays.equals(bytes, 0, n, src, from, from + n);
    }

    /** @return the nesting of the kept value, itself counting one. */
    int depth()
    {
        if (depth < 0)
        {
            depth = CheckedRepeats.depth(bytes, 0, length);
        }
        return depth;
    }

    /**
     * @return whether the kept value nests no deeper than {@code maxDepth}, as {@code depth() <= maxDepth} says: settled
     *         first by counting its opening brackets (a word at a time, never fewer than its nesting), and only when
     *         there are more than {@code maxDepth} of them by walking its structure (a logprobs list has a quote or a
     *         bracket every few bytes, which that walk takes one by one).
     */
    boolean nestsWithin(final int maxDepth)
    {
        if (openings < 0)
        {
            openings = CheckedRepeats.openings(bytes, 0, length);
        }
        return openings <= maxDepth || depth() <= maxDepth;
    }
}
