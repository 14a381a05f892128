package io.streamfold.parser.internal;

import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/** The shared bracket and string scanner ends structures where JSON does, whatever the slicing. */
class JsonScannerTest
{
    @Test
    void endsAtTheClosingBracketOutsideStrings()
    {
        assertEnd("{\"a\":\"}]\\\"{[\",\"b\":[1,{\"c\":\"\\\\\"}]} trailing", "{\"a\":\"}]\\\"{[\",\"b\":[1,{\"c\":\"\\\\\"}]}");
        assertEnd("[[], {}, \"]\"] ,", "[[], {}, \"]\"]");
        assertEnd("\"a string \\\" with } inside\" rest", "\"a string \\\" with } inside\"");
    }

    @Test
    void staysOpenUntilClosed()
    {
        final JsonScanner scanner = new JsonScanner();
        final byte[] bytes = utf8("{\"a\":[1,2");
        assertEquals(bytes.length, scanner.scan(Buffers.wrap(bytes), 0, bytes.length, Long.MAX_VALUE));
        assertEquals(JsonScanner.OPEN, scanner.status());
        final byte[] rest = utf8("]}x");
        assertEquals(2, scanner.scan(Buffers.wrap(rest), 0, rest.length, Long.MAX_VALUE));
        assertEquals(JsonScanner.CLOSED, scanner.status());
    }

    @Test
    void stopsJustPastTheBracketThatIsTooDeepAndCanGoOn()
    {
        final JsonScanner scanner = new JsonScanner();
        final byte[] bytes = utf8("[[[\"[[[\"]]] ");
        final DirectBuffer buffer = Buffers.wrap(bytes);
        assertEquals(3, scanner.scan(buffer, 0, bytes.length, 2));
        assertEquals(JsonScanner.TOO_DEEP, scanner.status());
        assertEquals(bytes.length - 1, scanner.scan(buffer, 3, bytes.length, Long.MAX_VALUE));
        assertEquals(JsonScanner.CLOSED, scanner.status());
    }

    /** Whole and at every split, the structure at the start of {@code text} ends after {@code structure}. */
    private static void assertEnd(final String text, final String structure)
    {
        final byte[] bytes = utf8(text);
        final int expected = utf8(structure).length;
        final DirectBuffer buffer = Buffers.wrap(bytes);
        for (int cut = 0; cut <= bytes.length; cut++)
        {
            final JsonScanner scanner = new JsonScanner();
            int end = scanner.scan(buffer, 0, cut, Long.MAX_VALUE);
            if (scanner.status() == JsonScanner.OPEN)
            {
                end = scanner.scan(buffer, end, bytes.length, Long.MAX_VALUE);
            }
            assertEquals(JsonScanner.CLOSED, scanner.status(), text + " cut at " + cut);
            assertEquals(expected, end, text + " cut at " + cut);
        }
    }
}
