package io.streamfold.cli;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FirstObjectScannerTest
{
    /** @return the verdict after scanning {@code text} in slices of {@code slice} bytes, stopping at the first verdict. */
    private static int scan(final String text, final int slice)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final Input.FirstObjectScanner scanner = new Input.FirstObjectScanner();
        for (int at = 0; at < bytes.length; at += slice)
        {
            final int verdict = scanner.scan(bytes, at, Math.min(bytes.length, at + slice));
            if (verdict != Input.FirstObjectScanner.UNDECIDED)
            {
                return verdict;
            }
        }
        return Input.FirstObjectScanner.UNDECIDED;
    }

    @Test
    void findsTheEndOfTheFirstObjectWhateverTheSlices()
    {
        final String[] ended = {
            "{}",
            "  \n{\"a\":1}\n{\"b\":2}",
            "{\"s\":\"} { ] [ \\\" }\",\"n\":{\"x\":[1,{}]}}",
            "\uFEFF{\"bom\":true}",
            "{\"escaped backslash\\\\\":\"}\"}",
        };
        for (final String text : ended)
        {
            for (int slice = 1; slice <= text.length(); slice++)
            {
                assertEquals(Input.FirstObjectScanner.OBJECT_ENDED, scan(text, slice), text + " / " + slice);
            }
        }
    }

    @Test
    void undecidedWhileTheObjectIsOpen()
    {
        final String[] open = {"", "   ", "{", "{\"a\":\"}", "{\"a\":{\"b\":1}", "{\"s\":\"\\\"}\""};
        for (final String text : open)
        {
            assertEquals(Input.FirstObjectScanner.UNDECIDED, scan(text, 1), text);
        }
    }

    @Test
    void anythingElseIsNotAnObject()
    {
        for (final String text : new String[]{"data: {}\n\n", "[{}]", "  event: x", "\uFEFFdata: 1"})
        {
            assertEquals(Input.FirstObjectScanner.NOT_AN_OBJECT, scan(text, 1), text);
        }
    }
}
