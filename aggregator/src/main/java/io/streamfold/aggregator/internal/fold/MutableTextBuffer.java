package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.aggregator.model.TextBuffer;

/**
 * A growable, bounded run of characters: the text, reasoning or arguments of one part of a message.
 * Appends copy characters without creating a {@code String}; the buffer is reused across
 * {@link StreamAggregator#reset()}. Read it as a {@link CharSequence}; {@link #toString()} allocates.
 */
public final class MutableTextBuffer implements TextBuffer
{
    private static final char[] EMPTY = new char[0];

    private char[] chars = EMPTY;
    private int length;
    private boolean present;
    /** Charged for growth when part of a result; null for a decoder's scratch and a snapshot's copies. */
    private final ResultBudget budget;
    /** True when the characters are content, charged as they are kept: growth then only counts in the pool. */
    private final boolean content;

    public MutableTextBuffer()
    {
        this(null, false);
    }

    /**
     * @param budget  the result's budget, charged for growth; null for none.
     * @param content true for a part's text, whose characters the caller charges.
     */
    MutableTextBuffer(final ResultBudget budget, final boolean content)
    {
        this.budget = budget;
        this.content = content;
    }

    /**
     * Appends, unless the result would exceed {@code limit} characters.
     *
     * @return false, appending nothing, when the limit would be exceeded.
     */
    public boolean append(final char[] src, final int offset, final int count, final int limit)
    {
        present = true;
        if (count > limit - length)
        {
            return false;
        }
        if (!ensure(length + count))
        {
            return true;
        }
        System.arraycopy(src, offset, chars, length, count);
        length += count;
        return true;
    }

    /**
     * Appends characters the caller has already fitted to its limit ({@link MutablePart#fit}): a part's content,
     * whose limit and budget are checked once per fragment, not again here.
     */
    void appendFitted(final char[] src, final int offset, final int count)
    {
        present = true;
        if (ensure(length + count))
        {
            System.arraycopy(src, offset, chars, length, count);
            length += count;
        }
    }

    public boolean append(final CharSequence src, final int limit)
    {
        present = true;
        final int count = src.length();
        if (count > limit - length)
        {
            return false;
        }
        if (!ensure(length + count))
        {
            return true;
        }
        // Kept values copy each other's text (an item's fields into its part, a kept field into the next read's): a
        // character at a time through charAt was a tenth of reading a small output item.
        if (src instanceof MutableTextBuffer)
        {
            System.arraycopy(((MutableTextBuffer)src).chars, 0, chars, length, count);
        }
        else if (src instanceof String)
        {
            ((String)src).getChars(0, count, chars, length);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                chars[length + i] = src.charAt(i);
            }
        }
        length += count;
        return true;
    }

    /**
     * Replaces the content.
     *
     * @return false, keeping nothing, when {@code count} passes {@code limit}. The whole result's budget refusing to
     * grow the buffer is not a false: the budget reports it, and the buffer keeps its old content.
     */
    public boolean set(final char[] src, final int offset, final int count, final int limit)
    {
        if (count > limit)
        {
            length = 0;
            present = true;
            return false;
        }
        if (!ensure(count))
        {
            return true;
        }
        System.arraycopy(src, offset, chars, 0, count);
        length = count;
        present = true;
        return true;
    }

    /**
     * As {@link #set(char[], int, int, int)}, from ASCII bytes, byte for character, without decoding them first: a JSON
     * string body that decodes to itself (no quote, backslash, control byte or byte beyond ASCII), or the JSON text of
     * an ASCII object or array.
     */
    public boolean setAscii(final byte[] src, final int from, final int to, final int limit)
    {
        final int count = to - from;
        if (count > limit)
        {
            length = 0;
            present = true;
            return false;
        }
        if (!ensure(count))
        {
            return true;
        }
        StringDecoder.widenAscii(src, from, to, chars, 0);
        length = count;
        present = true;
        return true;
    }

    public boolean set(final CharSequence src, final int limit)
    {
        if (src == this)
        {
            // Set to what it holds: emptied first, as below, it would copy nothing.
            present = true;
            if (length > limit)
            {
                length = 0;
                return false;
            }
            return true;
        }
        if (src.length() <= limit && !ensure(src.length()))
        {
            return true;
        }
        length = 0;
        return append(src, limit);
    }

    /** @return the capacity, in characters. */
    int capacity()
    {
        return chars.length;
    }

    /** Drops the buffer's capacity (a reset that does not pool it). */
    void release()
    {
        chars = EMPTY;
        length = 0;
        present = false;
    }

    public void clear()
    {
        length = 0;
        present = false;
    }

    /**
     * @return true once anything (even an empty string) was set or appended; distinguishes an explicit
     * {@code ""} from a field that never appeared.
     */
    public boolean isPresent()
    {
        return present;
    }

    public void markPresent()
    {
        present = true;
    }

    /** @return the backing array; characters {@code [0, length())} are valid. Do not modify. */
    public char[] array()
    {
        return chars;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public char charAt(final int index)
    {
        if (index < 0 || index >= length)
        {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return new String(chars, start, end - start);
    }

    /**
     * @return true when the content is the bytes {@code src[from, to)} read as ASCII, byte for character (a byte beyond
     *         ASCII never matches).
     */
    public boolean contentEqualsAscii(final byte[] src, final int from, final int to)
    {
        if (length != to - from)
        {
            return false;
        }
        final char[] c = chars;
        for (int k = 0; k < length; k++)
        {
            // A byte beyond ASCII is negative here: it never equals a character.
            if (c[k] != src[from + k])
            {
                return false;
            }
        }
        return true;
    }

    /** @return true when the content equals {@code text}. */
    public boolean contentEquals(final CharSequence text)
    {
        if (text.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (chars[i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return new String(chars, 0, length);
    }

    /** @return false when the result's budget refuses the growth {@code needed} characters take (it reports that). */
    boolean ensure(final int needed)
    {
        if (needed > chars.length)
        {
            final int grown = (int)Math.min(Integer.MAX_VALUE - 8, Math.max(needed, Math.max(16L, chars.length * 2L)));
            if (budget != null)
            {
                final long bytes = 2L * (grown - chars.length);
                if (content)
                {
                    budget.grewContent(bytes);
                }
                else if (!budget.grow(bytes, "a kept string"))
                {
                    return false;
                }
            }
            final char[] next = new char[grown];
            System.arraycopy(chars, 0, next, 0, length);
            chars = next;
        }
        return true;
    }

    /** Becomes an independent copy of {@code other}, presence included. */
    public void copyFrom(final MutableTextBuffer other)
    {
        clear();
        if (other.isPresent())
        {
            set(other, Integer.MAX_VALUE);
        }
    }
}
