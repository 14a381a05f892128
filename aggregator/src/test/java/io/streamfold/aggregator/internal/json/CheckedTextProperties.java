package io.streamfold.aggregator.internal.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CheckedText#decodesTo} says a checked string body decodes to some characters exactly when decoding it
 * ({@link StringDecoder}, what the dialect did before) gives those characters: for bodies of plain runs of every length,
 * escapes of every kind (lone surrogates included), two-, three- and four-byte characters, at any place in a word, and
 * characters that are the decoded text, a text one character off anywhere, shorter or longer.
 */
class CheckedTextProperties
{
    private static final byte[][] PIECES = {
        { '\\', 'n' }, { '\\', '"' }, { '\\', '\\' }, { '\\', '/' }, { '\\', 'b' }, { '\\', 'f' }, { '\\', 'r' }, { '\\', 't' },
        { '\\', 'u', '0', '0', 'e', '9' }, { '\\', 'u', '0', '0', '4', '1' }, { '\\', 'u', 'D', '8', '3', 'D' },
        { '\\', 'u', 'd', 'e', '0', '0' }, { '\\', 'u', 'F', 'F', 'F', 'F' }, { 0x7F }, { 0x20 }, { '~' },
        utf8("é"), utf8("°"), utf8("数"), utf8("🙂"), utf8("👍"), utf8("\u0800"), utf8("\uFFFD"), utf8("\u07FF"),
        utf8("\uD800\uDC00"), utf8("\uDBFF\uDFFF"),
    };

    private static final StringDecoder DECODER = new StringDecoder(4);

    @Property(tries = 5000)
    void agreesWithTheDecoder(@ForAll final Random random)
    {
        final byte[] body = body(random);
        final int pad = random.nextInt(16);
        final byte[] src = new byte[pad + body.length + 1 + random.nextInt(12)];
        Arrays.fill(src, (byte)'x');
        System.arraycopy(body, 0, src, pad, body.length);
        final int close = pad + body.length;
        src[close] = '"';
        // Checked bytes, as the dialect only ever compares.
        assertEquals(close, JsonBytes.stringEnd(src, pad, src.length));
        assertEquals(close, DECODER.decode(src, pad, src.length));
        final char[] decoded = Arrays.copyOf(DECODER.chars(), DECODER.length());

        final char[] chars;
        switch (random.nextInt(5))
        {
            case 0:
            case 1:
                chars = decoded;
                break;
            case 2:
            {
                // One character off.
                chars = decoded.clone();
                if (chars.length > 0)
                {
                    final int at = random.nextInt(chars.length);
                    chars[at] = random.nextBoolean() ? (char)(chars[at] ^ (1 << random.nextInt(16))) : (char)random.nextInt(0x80);
                }
                break;
            }
            case 3:
                // Shorter.
                chars = Arrays.copyOf(decoded, decoded.length == 0 ? 0 : random.nextInt(decoded.length));
                break;
            default:
            {
                // Longer.
                chars = Arrays.copyOf(decoded, decoded.length + 1 + random.nextInt(9));
                for (int i = decoded.length; i < chars.length; i++)
                {
                    chars[i] = (char)(random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x10000));
                }
            }
        }
        // The characters lie in a longer array, as a part's text does.
        final char[] held = Arrays.copyOf(chars, chars.length + random.nextInt(9));
        final boolean expected = Arrays.equals(chars, decoded);
        Statistics.label("equal").collect(expected);
        assertEquals(expected, CheckedText.decodesTo(held, chars.length, src, pad, close),
            () -> new String(body, StandardCharsets.UTF_8) + " against " + new String(chars));
    }

    @Property(tries = 200)
    void longPlainTextsCompareAWordAtATime(@ForAll final Random random)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = random.nextInt(300);
        for (int i = 0; i < n; i++)
        {
            sb.append((char)(' ' + random.nextInt(0x5F)));
        }
        final String text = sb.toString().replace("\\", "/").replace("\"", "'");
        final byte[] src = ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
        assertTrue(CheckedText.decodesTo(text.toCharArray(), text.length(), src, 1, src.length - 1));
        if (!text.isEmpty())
        {
            final char[] off = text.toCharArray();
            off[random.nextInt(off.length)] ^= 1;
            assertEquals(Arrays.equals(off, text.toCharArray()), CheckedText.decodesTo(off, off.length, src, 1, src.length - 1));
        }
    }

    private static byte[] body(final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int pieces = random.nextInt(12);
        for (int p = 0; p < pieces; p++)
        {
            if (random.nextInt(3) == 0)
            {
                final byte[] piece = PIECES[random.nextInt(PIECES.length)];
                out.write(piece, 0, piece.length);
            }
            else
            {
                // Plain runs of every length, around a word and more.
                final int run = random.nextInt(random.nextBoolean() ? 9 : 40);
                for (int i = 0; i < run; i++)
                {
                    out.write('a' + random.nextInt(26));
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
