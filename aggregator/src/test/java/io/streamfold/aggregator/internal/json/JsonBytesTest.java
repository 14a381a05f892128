package io.streamfold.aggregator.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The byte scanners must never accept what Jackson refuses, and must decode strings to exactly Jackson's
 * characters: a fast path trusts them in place of the parser.
 */
class JsonBytesTest
{
    private static final JsonFactory JACKSON = new JsonFactory();
    private static final String[] PIECES = {
        "{", "}", "[", "]", ",", ":", " ", "\"", "\"a\"", "\"k\":", "1", "0", "-", ".", "e", "+", "12", "01", "true",
        "false", "null", "tru", "x", "\\", "\\n", "\\u00e9", "\\ud83d", "\\ude00", "\\u12", "\\q", "é", "数", "🙂",
        "\u0001", "\t", "\n",
    };
    private static final byte[][] RAW = {
        { (byte)0xC0, (byte)0x80 }, { (byte)0xED, (byte)0xA0, (byte)0x80 }, { (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80 },
        { (byte)0xE2, (byte)0x82 }, { (byte)0x80 }, { (byte)0xFF },
    };

    @Property(tries = 3000)
    void acceptsOnlyWhatJacksonAccepts(@ForAll final Random random)
    {
        final byte[] bytes = random.nextBoolean() ? randomJsonish(random) : mutate(randomValue(random, 0), random);
        final int end = JsonBytes.valueEnd(bytes, 0, bytes.length, 32, 1 << 20);
        final boolean accepted = end == bytes.length;
        Statistics.label("accepted").collect(accepted);
        Statistics.label("accepted").coverage(c -> c.check(true).percentage(p -> p > 15));
        if (accepted)
        {
            assertTrue(jacksonAccepts(bytes), () -> "accepted but Jackson refuses: " + new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 3000)
    void decodesStringsAsJacksonDoes(@ForAll final Random random)
    {
        final byte[] inner = randomJsonish(random);
        final byte[] bytes = new byte[inner.length + 2];
        bytes[0] = '"';
        System.arraycopy(inner, 0, bytes, 1, inner.length);
        bytes[bytes.length - 1] = '"';
        final StringDecoder decoder = new StringDecoder(4);
        final int close = decoder.decode(bytes, 1, bytes.length);
        assertEquals(close, JsonBytes.stringEnd(bytes, 1, bytes.length), "decoder and scanner agree");
        Statistics.label("whole string").collect(close == bytes.length - 1);
        if (close == bytes.length - 1)
        {
            assertEquals(jacksonString(bytes), new String(decoder.chars(), 0, decoder.length()));
        }
    }

    @Test
    void examples()
    {
        assertValue("{\"a\":[1,-2.5e+3,true,null,{}],\"b\":\"\\u00e9\\n\"}", true);
        assertValue("[ ]", true);
        assertValue("{\"a\":01}", false);
        assertValue("{\"a\":1,}", false);
        assertValue("[1 2]", false);
        assertValue("[1,2,]", false);
        assertValue("[,1]", false);
        assertValue("[-]", false);
        assertValue("[01]", false);
        assertValue("[ 32 , -116,0 ]", true);
        assertValue("[1,2.5]", true);
        assertValue("[1,2e3]", true);
        assertValue("[-0,1234567890123456789012]", true);
        assertValue("{\"a\" 1}", false);
        assertValue("\"\\x\"", false);
        assertValue("-", false);
        assertValue("1.", false);
        assertValue("truex", false);
        // Deeper than allowed.
        assertEquals(JsonBytes.REFUSED, JsonBytes.valueEnd(bytes("[[[1]]]"), 0, 7, 2, 100));
        assertEquals(7, JsonBytes.valueEnd(bytes("[[[1]]]"), 0, 7, 3, 100));
        // A string longer than allowed.
        assertEquals(JsonBytes.REFUSED, JsonBytes.valueEnd(bytes("\"abcd\""), 0, 6, 3, 3));
    }

    /**
     * The compact integer-array scan (eight bytes a test) against a byte loop: arrays of short and long numbers, at every
     * offset in a word, damaged at one byte or cut short. What it accepts ends where the general scan ends and holds no
     * whitespace or sign; every compact array of numbers up to seven digits is accepted.
     */
    @Property(tries = 5000)
    void compactIntegerArraysEndWhereTheGeneralScanEnds(@ForAll final Random random)
    {
        final StringBuilder array = new StringBuilder("[");
        final int n = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 3 : 12);
        for (int k = 0; k < n; k++)
        {
            final int digits = random.nextInt(5) == 0 ? 1 + random.nextInt(20) : 1 + random.nextInt(3);
            array.append(k > 0 ? "," : "").append(random.nextInt(digits == 1 ? 3 : 8) == 0 ? '0' : (char)('1' + random.nextInt(9)));
            for (int d = 1; d < digits; d++)
            {
                array.append((char)('0' + random.nextInt(10)));
            }
        }
        array.append(']');
        final String pad = " ".repeat(random.nextInt(8));
        final String after = random.nextBoolean() ? "" : random.nextBoolean() ? "," : "],\"top\":[]}";
        byte[] bytes = bytes(pad + array + after);
        final boolean damaged = random.nextInt(3) == 0;
        if (damaged)
        {
            final byte[] with = {' ', '\n', '\r', '-', ',', '0', '9', ']', '[', '.', 'e', '/', ':', (byte)0xB0, (byte)0xAC};
            bytes[pad.length() + random.nextInt(array.length())] = with[random.nextInt(with.length)];
        }
        final int limit = random.nextInt(4) == 0 ? pad.length() + random.nextInt(bytes.length - pad.length() + 1) : bytes.length;
        final int from = pad.length();
        final int end = JsonBytes.compactIntegerArrayEnd(bytes, from, limit);
        Statistics.label("accepted").collect(end >= 0);
        if (end >= 0)
        {
            assertEquals(byteLoopIntegerArrayEnd(bytes, from, limit), end);
            for (int i = from; i < end; i++)
            {
                assertTrue(bytes[i] != ' ' && bytes[i] != '\n' && bytes[i] != '\r' && bytes[i] != '-', "no whitespace or sign");
            }
        }
        else if (!damaged && limit == bytes.length && array.toString().matches("\\[((0|[1-9][0-9]{0,6})(,(0|[1-9][0-9]{0,6}))*)?]"))
        {
            throw new AssertionError("compact array of short numbers refused: " + array);
        }
        // The general scan of the same bytes (which tries the compact one first) ends where the byte loop ends.
        final int loop = byteLoopIntegerArrayEnd(bytes, from, limit);
        if (loop >= 0 || end >= 0)
        {
            assertEquals(loop, JsonBytes.valueEnd(bytes, from, limit, 1, 0), array.toString());
        }
    }

    /** An array of integers (up to 18 digits, optional sign, whitespace between) as a plain loop, or REFUSED. */
    private static int byteLoopIntegerArrayEnd(final byte[] src, final int from, final int limit)
    {
        if (from >= limit || src[from] != '[')
        {
            return JsonBytes.REFUSED;
        }
        int i = from + 1;
        boolean first = true;
        while (true)
        {
            while (i < limit && (src[i] == ' ' || src[i] == '\n' || src[i] == '\r' || src[i] == '\t'))
            {
                i++;
            }
            if (i >= limit)
            {
                return JsonBytes.REFUSED;
            }
            if (first && src[i] == ']')
            {
                return i + 1;
            }
            first = false;
            if (src[i] == '-')
            {
                i++;
            }
            final int digits = i;
            while (i < limit && src[i] >= '0' && src[i] <= '9')
            {
                i++;
            }
            if (i == digits || i - digits > 18 || src[digits] == '0' && i - digits > 1)
            {
                return JsonBytes.REFUSED;
            }
            while (i < limit && (src[i] == ' ' || src[i] == '\n' || src[i] == '\r' || src[i] == '\t'))
            {
                i++;
            }
            if (i >= limit)
            {
                return JsonBytes.REFUSED;
            }
            if (src[i] == ']')
            {
                return i + 1;
            }
            if (src[i] != ',')
            {
                return JsonBytes.REFUSED;
            }
            i++;
        }
    }

    /** The run of digits ends at the first other byte, whatever its value and wherever it is in a word. */
    @Test
    void digitsEndAtEveryOtherByteInEveryPosition()
    {
        for (int b = 0; b < 256; b++)
        {
            final boolean digit = b >= '0' && b <= '9';
            for (int at = 0; at < 19; at++)
            {
                final byte[] src = new byte[24];
                java.util.Arrays.fill(src, (byte)'7');
                src[1 + at] = (byte)b;
                src[21] = 'x';
                final int expected = digit ? 21 : 1 + at;
                assertEquals(expected, JsonBytes.digitsEnd(src, 1, src.length), "byte " + b + " at " + at);
                // Limits inside the run, before and after the byte.
                assertEquals(Math.min(expected, 1 + at), JsonBytes.digitsEnd(src, 1, 1 + at));
            }
        }
    }

    /**
     * Every byte that ends or refuses a name or a string (a quote, a backslash, an escape, a control byte, ill-formed and
     * well-formed UTF-8) at every position of a body up to five words long, the body starting at every offset in a word:
     * the scanners that cross plain ASCII a word at a time end where a byte-by-byte reading ends, and {@link JsonMembers}
     * accepts an event with such a name or value exactly when both do.
     */
    @Test
    void namesAndStringsEndWhereAByteLoopEndsAtEveryWordPosition()
    {
        final byte[][] pieces = {
            { '"' }, { '\\' }, { '\\', 'n' }, { '\\', '"' }, { '\\', '\\' },
            { '\\', 'u', '0', '0', 'e', '9' }, { '\\', 'u', '1', '2' }, { '\\', 'q' }, { 0x01 },
            { 0x1F }, { 0x7F }, { 0x20 }, { (byte)0xC0, (byte)0x80 }, { (byte)0xED, (byte)0xA0, (byte)0x80 }, { (byte)0xE2, (byte)0x82 },
            { (byte)0x80 }, { (byte)0xFF }, { (byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80 }, bytes("é"), bytes("数"), bytes("🙂"),
        };
        final JsonMembers members = new JsonMembers();
        for (final byte[] piece : pieces)
        {
            for (int length = 1; length <= 40; length++)
            {
                for (int at = 0; at < length; at++)
                {
                    for (int pad = 0; pad < 8; pad++)
                    {
                        final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                        for (int k = 0; k < at; k++)
                        {
                            body.write('a' + k % 26);
                        }
                        body.writeBytes(piece);
                        for (int k = at + 1; k < length; k++)
                        {
                            body.write('A' + k % 26);
                        }
                        final byte[] b = body.toByteArray();
                        final String where = java.util.Arrays.toString(piece) + " at " + at + " of " + length + ", pad " + pad;
                        // A name: "{" padding, the quoted body, then a value.
                        final byte[] name = concat(" ".repeat(pad) + "{\"", b, "\":1}");
                        final int expectedName = byteLoopNameEnd(name, pad + 1, name.length, 30);
                        assertEquals(expectedName, JsonBytes.nameEnd(name, pad + 1, name.length, 30), "name " + where);
                        final boolean nameAccepted = members.checkObject(name, 0, name.length, 4, 30);
                        assertEquals(expectedName == name.length - 4, nameAccepted, "object with name " + where);
                        // A string value, also as a member's value.
                        final byte[] value = concat(" ".repeat(pad) + "{\"k\":\"", b, "\"}");
                        final int open = pad + 5;
                        final int expectedValue = byteLoopStringEnd(value, open + 1, value.length);
                        assertEquals(expectedValue, JsonBytes.stringEnd(value, open + 1, value.length), "string " + where);
                        final boolean valueAccepted = members.checkObject(value, 0, value.length, 4, 1000);
                        assertEquals(expectedValue == value.length - 2, valueAccepted, "object with string " + where);
                        if (valueAccepted)
                        {
                            assertTrue(jacksonAccepts(java.util.Arrays.copyOfRange(value, pad, value.length)), where);
                            // Decoded to Jackson's characters, up to the same closing quote; the string's end as the limit
                            // too.
                            final String jackson = jacksonString(java.util.Arrays.copyOfRange(value, open, value.length - 1));
                            for (final int limit : new int[] { value.length, value.length - 1 })
                            {
                                final StringDecoder decoder = new StringDecoder(4);
                                assertEquals(expectedValue, decoder.decode(value, open + 1, limit), "decoded " + where);
                                assertEquals(jackson, new String(decoder.chars(), 0, decoder.length()), "decoded " + where);
                            }
                            // Re-read as checked bytes, followed by a second member: the string is skipped to its end.
                            final byte[] twice = concat(" ".repeat(pad) + "{\"k\":\"", b, "\",\"z\":\"" +
                                new String(b, StandardCharsets.UTF_8) + "\"}");
                            assertTrue(members.readObject(twice, 0, twice.length), where);
                            assertEquals(2, members.count(), where);
                            assertEquals(value.length - 1, members.valueEnd(0), "re-read " + where);
                            assertEquals("z", members.name(1), where);
                            assertEquals(twice.length - 1, members.valueEnd(1), "re-read " + where);
                        }
                    }
                }
            }
        }
    }

    private static byte[] concat(final String before, final byte[] middle, final String after)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(bytes(before));
        out.writeBytes(middle);
        out.writeBytes(bytes(after));
        return out.toByteArray();
    }

    /** The name scan as a plain loop: no escapes, no control bytes, strict UTF-8, at most {@code max} bytes. */
    private static int byteLoopNameEnd(final byte[] src, final int from, final int limit, final int max)
    {
        for (int i = from + 1; i < limit; )
        {
            final int b = src[i];
            if (b == '"')
            {
                return i - from - 1 > max ? JsonBytes.REFUSED : i;
            }
            if (b >= 0 && (b < 0x20 || b == '\\'))
            {
                return JsonBytes.REFUSED;
            }
            i = b >= 0 ? i + 1 : Utf8Scan.sequenceEnd(src, i, limit);
            if (i < 0)
            {
                return JsonBytes.REFUSED;
            }
        }
        return JsonBytes.REFUSED;
    }

    /** The string scan as a plain loop: standard escapes, no control bytes, strict UTF-8. */
    private static int byteLoopStringEnd(final byte[] src, final int from, final int limit)
    {
        for (int i = from; i < limit; )
        {
            final int b = src[i];
            if (b == '"')
            {
                return i;
            }
            if (b >= 0 && b < 0x20)
            {
                return JsonBytes.REFUSED;
            }
            i = b == '\\' ? JsonBytes.escapeEnd(src, i, limit) : b >= 0 ? i + 1 : Utf8Scan.sequenceEnd(src, i, limit);
            if (i < 0)
            {
                return JsonBytes.REFUSED;
            }
        }
        return JsonBytes.REFUSED;
    }

    private static void assertValue(final String json, final boolean valid)
    {
        final byte[] b = bytes(json);
        assertEquals(valid ? b.length : JsonBytes.REFUSED, JsonBytes.valueEnd(b, 0, b.length, 32, 1000), json);
    }

    /**
     * {@link JsonBytes#quotedEnd} (a byte loop over a string's first bytes, a word search past them) ends where a byte
     * loop ends: strings of any length with escaped quotes and backslashes anywhere, a backslash last before the limit,
     * cut at any place.
     */
    @Property(tries = 3000)
    void quotedEndEndsWhereAByteLoopEnds(@ForAll final Random random)
    {
        final StringBuilder text = new StringBuilder("\"");
        final int n = random.nextInt(4) == 0 ? random.nextInt(20) : random.nextInt(300);
        for (int k = 0; k < n; k++)
        {
            switch (random.nextInt(24))
            {
                case 0:
                    text.append("\\\"");
                    break;
                case 1:
                    text.append("\\\\");
                    break;
                case 2:
                    text.append("\\u00e9");
                    break;
                case 3:
                    text.append('\u00e9');
                    break;
                default:
                    text.append((char)(' ' + random.nextInt(2) + 2 * random.nextInt(46)));
            }
        }
        text.append(random.nextInt(8) == 0 ? "\\" : "\"").append(random.nextBoolean() ? ",\"x\":1}" : "");
        final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        final int limit = random.nextInt(4) == 0 ? 1 + random.nextInt(bytes.length) : bytes.length;
        int expected = JsonBytes.REFUSED;
        for (int i = 1; i < limit; i++)
        {
            if (bytes[i] == '"')
            {
                expected = i + 1;
                break;
            }
            i += bytes[i] == '\\' ? 1 : 0;
        }
        Statistics.label("closed").collect(expected >= 0);
        assertEquals(expected, JsonBytes.quotedEnd(bytes, 0, limit), text::toString);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomJsonish(final Random random)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final int n = random.nextInt(24);
        for (int i = 0; i < n; i++)
        {
            if (random.nextInt(20) == 0)
            {
                out.writeBytes(RAW[random.nextInt(RAW.length)]);
            }
            else
            {
                out.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** A valid JSON value, up to a few levels deep. */
    private static String randomValue(final Random random, final int depth)
    {
        final int pick = random.nextInt(depth > 3 ? 4 : 6);
        switch (pick)
        {
            case 0:
                return random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null";
            case 1:
                return (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + (random.nextBoolean() ? "." + random.nextInt(100) : "") +
                    (random.nextInt(4) == 0 ? "e" + (random.nextBoolean() ? "-" : "") + random.nextInt(30) : "");
            case 2:
            case 3:
            {
                final StringBuilder sb = new StringBuilder("\"");
                final int n = random.nextInt(6);
                for (int i = 0; i < n; i++)
                {
                    final String piece = PIECES[random.nextInt(PIECES.length)];
                    sb.append(piece.equals("\"") || piece.equals("\\") || piece.equals("\u0001") || piece.equals("\t") ||
                        piece.equals("\n") || piece.equals("\\u12") || piece.equals("\\q") ? "\\\"" : piece);
                }
                return sb.append('"').toString();
            }
            case 4:
            {
                final StringBuilder sb = new StringBuilder("[");
                final int n = random.nextInt(4);
                // A third are flat integer arrays (token ids, a token's bytes), which have a scan of their own.
                final boolean integers = random.nextInt(3) == 0;
                for (int i = 0; i < n; i++)
                {
                    sb.append(i > 0 ? "," : "").append(random.nextBoolean() ? " " : "")
                        .append(integers ? Long.toString(random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(300) - 20) :
                            randomValue(random, depth + 1));
                }
                return sb.append(']').toString();
            }
            default:
            {
                final StringBuilder sb = new StringBuilder("{");
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    sb.append(i > 0 ? "," : "").append("\"k").append(i).append("\"").append(random.nextBoolean() ? " : " : ":")
                        .append(randomValue(random, depth + 1));
                }
                return sb.append('}').toString();
            }
        }
    }

    /** Half the time unchanged; otherwise one piece or raw byte inserted, or one byte removed. */
    private static byte[] mutate(final String json, final Random random)
    {
        final byte[] b = json.getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean() || b.length == 0)
        {
            return b;
        }
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        final int at = random.nextInt(b.length);
        out.write(b, 0, at);
        if (random.nextInt(3) == 0)
        {
            out.write(b, at + 1, b.length - at - 1);
            return out.toByteArray();
        }
        out.writeBytes(random.nextInt(4) == 0 ? RAW[random.nextInt(RAW.length)] :
            PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    private static boolean jacksonAccepts(final byte[] bytes)
    {
        try (JsonParser p = JACKSON.createParser(bytes))
        {
            JsonToken t = p.nextToken();
            if (t == null)
            {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private static String jacksonString(final byte[] bytes)
    {
        try (JsonParser p = JACKSON.createParser(bytes))
        {
            assertEquals(JsonToken.VALUE_STRING, p.nextToken());
            return p.getText();
        }
        catch (final IOException e)
        {
            throw new AssertionError("decoded, but Jackson refuses: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
