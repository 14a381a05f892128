package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

/**
 * The one UTF-8 byte order mark rule: {@code EF BB BF}, recognised only at stream offsets 0-2 and
 * dropped there. Every framer and detector asks it rather than spelling the bytes again.
 */
public final class Bom
{
    /** Bytes in the mark. */
    public static final int LENGTH = 3;

    private Bom()
    {
    }

    /**
     * @param index 0, 1 or 2.
     * @return the mark's byte at {@code index}.
     */
    public static byte byteAt(final int index)
    {
        return index == 0 ? (byte)0xEF : index == 1 ? (byte)0xBB : (byte)0xBF;
    }

    /**
     * @param b            a byte of the stream.
     * @param streamOffset its stream offset.
     * @return true when {@code b} is the mark's byte for that offset (so offsets 3 and later never match).
     */
    public static boolean isByteAt(final byte b, final long streamOffset)
    {
        return streamOffset >= 0 && streamOffset < LENGTH && b == byteAt((int)streamOffset);
    }

    /** @return true when the {@code length} bytes at {@code offset} begin with the whole mark. */
    public static boolean startsWith(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= LENGTH && buffer.getByte(offset) == byteAt(0) && buffer.getByte(offset + 1) == byteAt(1) &&
            buffer.getByte(offset + 2) == byteAt(2);
    }

    /** @return true when the {@code length} bytes at {@code offset} begin with the whole mark. */
    public static boolean startsWith(final byte[] bytes, final int offset, final int length)
    {
        return length >= LENGTH && bytes[offset] == byteAt(0) && bytes[offset + 1] == byteAt(1) &&
            bytes[offset + 2] == byteAt(2);
    }
}
