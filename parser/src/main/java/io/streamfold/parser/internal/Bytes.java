package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

/** Small byte helpers shared by the framers. */
public final class Bytes
{
    private Bytes()
    {
    }

    /**
     * @param buffer holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @param ascii  text to compare with, ASCII only.
     * @return true when the bytes equal the text.
     */
    public static boolean equalsAscii(final DirectBuffer buffer, final int offset, final int length, final String ascii)
    {
        if (length != ascii.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)ascii.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
