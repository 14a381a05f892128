package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.internal.json.JsonMembers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The nesting of a kept value, found eight bytes at a time between quotes and brackets, is the nesting a byte-wise
 * walk finds: for any JSON value (strings holding brackets, quotes, escapes, multi-byte and control-looking bytes,
 * numbers and words of any length) at any offset in a larger array. The count of opening brackets that settles most
 * nesting checks without that walk counts every one, so it is never below the nesting, and a kept value's
 * {@link KeptBytes#nestsWithin} answers as its nesting does for every limit.
 */
class CheckedRepeatsDepthProperties
{
    @Property(tries = 1000)
    void depthIsTheByteWiseNesting(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final StringBuilder json = new StringBuilder();
        value(r, json, 0);
        final String pad = "x".repeat(r.nextInt(9));
        final byte[] value = json.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] src = (pad + json + pad).getBytes(StandardCharsets.UTF_8);
        final int from = pad.length();
        assertEquals(byteWise(value, 0, value.length), CheckedRepeats.depth(src, from, from + value.length), json.toString());
    }

    @Property(tries = 1000)
    void openingsCountEveryBracketAndBoundTheNesting(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final StringBuilder json = new StringBuilder();
        value(r, json, 0);
        final String pad = "{[".repeat(r.nextInt(5)) + "x".repeat(r.nextInt(9));
        final byte[] value = json.toString().getBytes(StandardCharsets.UTF_8);
        final byte[] src = (pad + json + pad).getBytes(StandardCharsets.UTF_8);
        final int from = pad.getBytes(StandardCharsets.UTF_8).length;
        int brackets = 0;
        for (final byte b : value)
        {
            brackets += b == '{' || b == '[' ? 1 : 0;
        }
        final int openings = CheckedRepeats.openings(src, from, from + value.length);
        assertEquals(brackets, openings, json.toString());
        final int depth = byteWise(value, 0, value.length);
        final KeptBytes kept = new KeptBytes();
        kept.keep(src, from, from + value.length, true);
        for (int maxDepth = 0; maxDepth <= openings + 1; maxDepth++)
        {
            assertEquals(depth <= maxDepth, kept.nestsWithin(maxDepth), json + " within " + maxDepth);
        }
    }

    private static void value(final Random r, final StringBuilder out, final int depth)
    {
        final int kind = depth > 6 ? 2 + r.nextInt(3) : r.nextInt(5);
        switch (kind)
        {
            case 0:
            case 1:
            {
                final boolean object = kind == 0;
                out.append(object ? '{' : '[');
                for (int n = r.nextInt(5), k = 0; k < n; k++)
                {
                    if (k > 0)
                    {
                        out.append(r.nextBoolean() ? "," : " , ");
                    }
                    if (object)
                    {
                        string(r, out);
                        out.append(':');
                    }
                    value(r, out, depth + 1);
                }
                out.append(object ? '}' : ']');
                break;
            }
            case 2:
                string(r, out);
                break;
            case 3:
                out.append(r.nextInt(3) == 0 ? "-12345678.25e-3" : Integer.toString(r.nextInt(100000)));
                break;
            default:
                out.append(r.nextBoolean() ? "true" : "null");
        }
    }

    private static void string(final Random r, final StringBuilder out)
    {
        final String[] pieces = {"a", "token", "[", "]", "{", "}", "\\\"", "\\\\", "\\u005b", "\u00e9", "\uD83D\uDE42", " ", "\\n", "0123456789"};
        out.append('"');
        for (int n = r.nextInt(12), k = 0; k < n; k++)
        {
            out.append(pieces[r.nextInt(pieces.length)]);
        }
        out.append('"');
    }

    /** The walk as it was, a byte at a time. */
    private static int byteWise(final byte[] src, final int from, final int to)
    {
        int depth = 0;
        int most = 0;
        int i = from;
        while (i < to)
        {
            final byte b = src[i];
            if (b == '"')
            {
                i = JsonMembers.skip(src, i, to);
                continue;
            }
            if (b == '{' || b == '[')
            {
                most = Math.max(most, ++depth);
            }
            else if (b == '}' || b == ']')
            {
                depth--;
            }
            i++;
        }
        return most;
    }
}
