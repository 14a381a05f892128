package io.streamfold.parser.eventstream;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The CRC32 of a prelude's first 8 bytes, by table ("slicing by 8": one lookup per byte, all independent). Every
 * message needs it, and for 8 bytes a call of {@link java.util.zip.CRC32#update(byte[], int, int)} costs several
 * times more than the lookups (its setup dominates); the message CRC, over the whole message, stays with
 * {@link java.util.zip.CRC32}. Same polynomial, same result.
 */
final class PreludeCrc
{
    /** {@code TABLES[k][b]}: the CRC contribution of byte {@code b} followed by {@code k} zero bytes. */
    private static final int[][] TABLES = tables();

    private PreludeCrc()
    {
    }

    /** @return the CRC32 of the 8 bytes at {@code index}, as an unsigned value. */
    static long of(final DirectBuffer buffer, final int index)
    {
        final long word = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
        final int[][] t = TABLES;
        final int low = ~(int)word;
        final int high = (int)(word >>> 32);
        final int crc = t[7][low & 0xFF] ^ t[6][(low >>> 8) & 0xFF] ^ t[5][(low >>> 16) & 0xFF] ^ t[4][low >>> 24] ^
            t[3][high & 0xFF] ^ t[2][(high >>> 8) & 0xFF] ^ t[1][(high >>> 16) & 0xFF] ^ t[0][high >>> 24];
        return ~crc & 0xFFFF_FFFFL;
    }

    private static int[][] tables()
    {
        final int[][] t = new int[8][256];
        for (int b = 0; b < 256; b++)
        {
            int c = b;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >>> 1) : c >>> 1;
            }
            t[0][b] = c;
        }
        for (int b = 0; b < 256; b++)
        {
            for (int k = 1; k < 8; k++)
            {
                t[k][b] = t[0][t[k - 1][b] & 0xFF] ^ (t[k - 1][b] >>> 8);
            }
        }
        return t;
    }
}
