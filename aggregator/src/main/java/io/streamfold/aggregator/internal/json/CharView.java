package io.streamfold.aggregator.internal.json;

/**
 * A reusable {@link CharSequence} over someone else's characters: how deltas reach listeners without a
 * {@code String} per delta. Valid only during the callback that receives it.
 */
public final class CharView implements CharSequence
{
    private char[] chars = new char[0];
    private int offset;
    private int length;

    public CharView wrap(final char[] chars, final int offset, final int length)
    {
        this.chars = chars;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public char[] array()
    {
        return chars;
    }

    public int offset()
    {
        return offset;
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
        return chars[offset + index];
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return new String(chars, offset + start, end - start);
    }

    public boolean contentEquals(final String text)
    {
        if (text.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (chars[offset + i] != text.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return new String(chars, offset, length);
    }
}
