package io.streamfold.aggregator.internal.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link StringDecoder} reads a word at a time and hands long runs to the four-words-a-test search: whatever the bytes
 * (plain runs of every length, escapes, well- and ill-formed UTF-8, control bytes), wherever the string starts in a
 * word and wherever the limit cuts it, one reused decoder ends and decodes exactly as a byte-by-byte reading does.
 */
class StringDecoderProperties
{
    /** What a string may hold besides plain ASCII. */
    private static final byte[][] GOOD = {
        { '\\', 'n' }, { '\\', '"' }, { '\\', '\\' }, { '\\', '/' }, { '\\', 'u', '0', '0', 'e', '9' }, { '\\', 'u', 'D', '8', '3', 'D' },
        { 0x7F }, { 0x20 }, utf8("é"), utf8("°"), utf8("数"), utf8("🙂"), utf8("👍"),
    };
    /** What ends a string early or breaks it. */
    private static final byte[][] BAD = {
        { '"' }, { '\\' }, { '\\', 'u', '1', '2' }, { '\\', 'q' }, { 0x01 }, { 0x1F }, { (byte)0xC0, (byte)0x80 },
        { (byte)0xED, (byte)0xA0, (byte)0x80 }, { (byte)0xE2, (byte)0x82 }, { (byte)0x80 }, { (byte)0xFF },
        { (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80 },
    };

    /** Reused across tries, as a dialect reuses one: what a longer string left in its chars must not show. */
    private static final StringDecoder DECODER = new StringDecoder(4);

    @Property(tries = 5000)
    void decodesAsAByteLoopDoes(@ForAll final Random random)
    {
        final byte[] body = body(random);
        final int pad = random.nextInt(16);
        final byte[] src = new byte[pad + body.length + 1 + random.nextInt(12)];
        Arrays.fill(src, (byte)(random.nextBoolean() ? '"' : 'x'));
        System.arraycopy(body, 0, src, pad, body.length);
        src[pad + body.length] = '"';
        // Most limits past the closing quote; some cut the string anywhere.
        final int limit = random.nextInt(4) == 0 ? pad + random.nextInt(body.length + 2) : src.length;
        final char[] expected = new char[Math.max(0, limit - pad) + 1];
        final int[] expectedLength = new int[1];
        final int expectedClose = byteLoop(src, pad, limit, expected, expectedLength);
        final int close = DECODER.decode(src, pad, limit);
        Statistics.label("closed").collect(close >= 0);
        assertEquals(expectedClose, close, () -> "end of " + new String(body, StandardCharsets.ISO_8859_1));
        assertEquals(expectedClose, JsonBytes.stringEnd(src, pad, limit), "the scanner agrees");
        if (close >= 0)
        {
            assertEquals(expectedLength[0], DECODER.length());
            assertArrayEquals(Arrays.copyOf(expected, expectedLength[0]), Arrays.copyOf(DECODER.chars(), DECODER.length()));
            assertEquals(expectedLength[0], StringDecoder.decodedLength(src, pad, close));
        }
    }

    /**
     * Pieces between plain runs of any length up to a few words, now and then a long one (an opaque value); a plain byte
     * is now and then a quote or a backslash too.
     */
    private static byte[] body(final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int n = random.nextInt(8);
        for (int i = 0; i <= n; i++)
        {
            final int run = random.nextInt(10) == 0 ? random.nextInt(400) : random.nextInt(20);
            for (int k = 0; k < run; k++)
            {
                final int b = 0x20 + random.nextInt(0x60);
                out.write((b == '"' || b == '\\') && random.nextInt(8) != 0 ? 'a' : b);
            }
            final byte[] piece = random.nextInt(12) == 0 ? BAD[random.nextInt(BAD.length)] : GOOD[random.nextInt(GOOD.length)];
            if (i < n)
            {
                out.writeBytes(piece);
            }
        }
        return out.toByteArray();
    }

    /** The reference: one byte at a time, as the decoder read before it read words. */
    private static int byteLoop(final byte[] src, final int from, final int limit, final char[] out, final int[] length)
    {
        int n = 0;
        int i = from;
        while (i < limit)
        {
            final int b = src[i];
            if (b == '"')
            {
                length[0] = n;
                return i;
            }
            if (b >= 0x20 && b != '\\')
            {
                out[n++] = (char)b;
                i++;
            }
            else if (b == '\\')
            {
                final int end = JsonBytes.escapeEnd(src, i, limit);
                if (end < 0)
                {
                    return JsonBytes.REFUSED;
                }
                final byte e = src[i + 1];
                out[n++] = e == 'b' ? '\b' : e == 'f' ? '\f' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' :
                    e == 'u' ? (char)Integer.parseInt(new String(src, i + 2, 4, StandardCharsets.US_ASCII), 16) : (char)e;
                i = end;
            }
            else if (b < 0)
            {
                final int cp = Utf8Scan.codePoint(src, i, limit);
                if (cp < 0)
                {
                    return JsonBytes.REFUSED;
                }
                n += Character.toChars(cp, out, n);
                i += Utf8Scan.length(cp);
            }
            else
            {
                return JsonBytes.REFUSED;
            }
        }
        return JsonBytes.REFUSED;
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
