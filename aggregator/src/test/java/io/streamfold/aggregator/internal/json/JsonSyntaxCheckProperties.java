package io.streamfold.aggregator.internal.json;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JsonSyntaxCheck#isOneValue(char[], int, int, int)}, the parser-free tool input check, gives Jackson's
 * verdict ({@link JsonText#isOneValue(char[], int, int)}) on valid texts of every value kind and on texts broken
 * by one edit, with characters from U+0080 up inside and outside strings. One checker serves every try, as one
 * serves every tool call of a stream.
 */
class JsonSyntaxCheckProperties
{
    /** Characters an edit inserts: JSON's own, whitespace, controls, letters of literals, and non-ASCII. */
    private static final String EDITS = "{}[]\",:\\ \t\n\r\u0000\u001f0123456789eE.-+truefalsnlx/\u00e9\u2028\ufeff\ud83d\ude00\ud800";

    private static final JsonSyntaxCheck CHECK = new JsonSyntaxCheck();

    @Property(tries = 3000)
    void givesJacksonsVerdict(@ForAll final Random random)
    {
        final StringBuilder text = new StringBuilder();
        value(random, text, 0);
        final boolean broken = random.nextInt(3) > 0;
        if (broken)
        {
            edit(random, text);
        }
        final char[] chars = ("  " + text + " ").toCharArray();
        final boolean jackson = JsonText.isOneValue(chars, 1, chars.length - 1);
        Statistics.collect(broken ? "broken" : "valid", jackson);
        assertEquals(jackson, CHECK.isOneValue(chars, 1, chars.length - 1, JsonText.MAX_DEPTH), text::toString);
    }

    /**
     * The byte check of an event ({@link JsonSyntaxCheck#check(byte[], int, int, int)}) gives Jackson's verdict on objects
     * whose strings run long (plain runs crossed a word at a time past their first bytes, escapes, control bytes and
     * multi-byte characters at any place after them), valid or broken by one edit.
     */
    @Property(tries = 3000)
    void byteCheckGivesJacksonsVerdictOnLongStrings(@ForAll final Random random)
    {
        final StringBuilder text = new StringBuilder("{");
        final int members = 1 + random.nextInt(3);
        for (int m = 0; m < members; m++)
        {
            text.append(m > 0 ? "," : "").append("\"k").append(m).append("\":");
            if (random.nextInt(4) == 0)
            {
                value(random, text, 1);
            }
            else
            {
                longString(random, text);
            }
        }
        text.append('}');
        final boolean broken = random.nextInt(3) > 0;
        if (broken)
        {
            edit(random, text);
        }
        final String event = " " + text + " ";
        final byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        // An edit may leave half a surrogate pair, which has no UTF-8 (the check is given well-formed UTF-8 only).
        Assume.that(event.equals(new String(bytes, StandardCharsets.UTF_8)));
        final char[] chars = event.toCharArray();
        // The check reads an event, so an object only: Jackson's verdict counts where the first value is one.
        int first = 0;
        while (first < chars.length && " \t\n\r".indexOf(chars[first]) >= 0)
        {
            first++;
        }
        final boolean jackson = first < chars.length && chars[first] == '{' && JsonText.isOneValue(chars, 0, chars.length);
        final boolean checked = CHECK.check(bytes, 0, bytes.length, JsonText.MAX_DEPTH) &&
            JsonBytes.skipWhitespace(bytes, CHECK.objectEnd(), bytes.length) == bytes.length;
        Statistics.collect(broken ? "broken" : "valid", jackson);
        assertEquals(jackson, checked, () -> visible(text));
    }

    private static String visible(final CharSequence text)
    {
        final StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < ' ' || c > '~' ? String.format("\\u%04x", c) : String.valueOf((char)c)));
        return out.toString();
    }

    /** A string of up to a few hundred bytes: runs of plain ASCII of any length between escapes and other characters. */
    static void longString(final Random random, final StringBuilder out)
    {
        out.append('"');
        final int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++)
        {
            final int run = random.nextInt(3) == 0 ? random.nextInt(4) : random.nextInt(60);
            for (int k = 0; k < run; k++)
            {
                // Printable ASCII but the quote and the backslash: spaces and '!' too, below the opaque-run test's bound.
                final char c = (char)(' ' + random.nextInt(95));
                out.append(c == '"' || c == '\\' ? 'q' : c);
            }
            switch (random.nextInt(5))
            {
                case 0:
                case 1:
                    escape(random, out);
                    break;
                case 2:
                    out.append(new String[] {"\u00e9", "\u4e2d", "\ud83d\ude00", " "}[random.nextInt(4)]);
                    break;
                case 3:
                    out.append(random.nextInt(8) == 0 ? "\t" : "\u00e9\u00e9\u00e9");
                    break;
                default:
                    break;
            }
        }
        out.append('"');
    }

    @Test
    void nestingUpToJacksonsDepth()
    {
        for (final int depth : new int[] {JsonText.MAX_DEPTH, JsonText.MAX_DEPTH + 1})
        {
            final char[] chars = ("[".repeat(depth) + "]".repeat(depth)).toCharArray();
            assertEquals(JsonText.isOneValue(chars, 0, chars.length), CHECK.isOneValue(chars, 0, chars.length, JsonText.MAX_DEPTH));
        }
        final char[] deep = "[[[1]]]".toCharArray();
        assertFalse(CHECK.isOneValue(deep, 0, deep.length, 2));
        assertTrue(CHECK.isOneValue(deep, 0, deep.length, 3));
    }

    @Test
    void scalarsAndTrailingContent()
    {
        for (final String ok : new String[] {"1", " -0.5e+3 ", "\"a\u00e9\"", "true", "null", "{}", "[ ]", "\"\\u00e9\""})
        {
            assertTrue(CHECK.isOneValue(ok.toCharArray(), 0, ok.length(), 10), ok);
        }
        for (final String bad : new String[] {"", "  ", "1 2", "{} x", "{}}", "\u00e9", "1\u00e9", "01", "tru", "[1,]", "\"a"})
        {
            assertFalse(CHECK.isOneValue(bad.toCharArray(), 0, bad.length(), 10), bad);
        }
    }

    static void value(final Random random, final StringBuilder out, final int depth)
    {
        final int kind = random.nextInt(depth > 4 ? 5 : 7);
        switch (kind)
        {
            case 0:
                out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
                break;
            case 1:
                number(random, out);
                break;
            case 2:
            case 3:
            case 4:
                string(random, out);
                break;
            case 5:
            {
                out.append('{');
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0)
                    {
                        out.append(',');
                    }
                    space(random, out);
                    string(random, out);
                    space(random, out);
                    out.append(':');
                    space(random, out);
                    value(random, out, depth + 1);
                }
                out.append('}');
                break;
            }
            default:
            {
                out.append('[');
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0)
                    {
                        out.append(',');
                    }
                    space(random, out);
                    value(random, out, depth + 1);
                    space(random, out);
                }
                out.append(']');
            }
        }
    }

    private static void number(final Random random, final StringBuilder out)
    {
        if (random.nextBoolean())
        {
            out.append('-');
        }
        out.append(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(100000));
        if (random.nextBoolean())
        {
            out.append('.').append(random.nextInt(1000));
        }
        if (random.nextInt(3) == 0)
        {
            out.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "+" : random.nextBoolean() ? "-" : "")
                .append(random.nextInt(30));
        }
    }

    private static void string(final Random random, final StringBuilder out)
    {
        out.append('"');
        final int n = random.nextInt(6);
        for (int i = 0; i < n; i++)
        {
            switch (random.nextInt(6))
            {
                case 0:
                case 1:
                    escape(random, out);
                    break;
                case 2:
                    out.append("\u00e9\u4e2d\ud83d\ude00".charAt(random.nextInt(4)));
                    break;
                default:
                    out.append((char)('a' + random.nextInt(26)));
            }
        }
        out.append('"');
    }

    /** One escape: a short one or a {@code \\u} one of any code unit, half of a surrogate pair included. */
    private static void escape(final Random random, final StringBuilder out)
    {
        if (random.nextBoolean())
        {
            out.append('\\').append("n\"\\/tbfr".charAt(random.nextInt(8)));
        }
        else
        {
            out.append(String.format("\\u%04x", random.nextInt(0x10000)));
        }
    }

    private static void space(final Random random, final StringBuilder out)
    {
        if (random.nextInt(4) == 0)
        {
            out.append(" \t\n\r".charAt(random.nextInt(4)));
        }
    }

    /** One edit: a character removed, replaced or inserted, or the text cut short. */
    private static void edit(final Random random, final StringBuilder text)
    {
        final int at = random.nextInt(text.length() + 1);
        final char c = EDITS.charAt(random.nextInt(EDITS.length()));
        switch (random.nextInt(4))
        {
            case 0:
                if (at < text.length())
                {
                    text.deleteCharAt(at);
                }
                break;
            case 1:
                if (at < text.length())
                {
                    text.setCharAt(at, c);
                }
                break;
            case 2:
                text.insert(at, c);
                break;
            default:
                text.setLength(at);
        }
    }
}
