package io.streamfold.aggregator.internal.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.CharBuffer;

import org.junit.jupiter.api.Test;

/**
 * Text set or appended from another buffer, a string or any other character sequence keeps the same characters and
 * answers the same limits, whichever way it is copied.
 */
class MutableTextBufferTest
{
    private static final String TEXT = "naïve 東京 😀 \"quoted\"";

    @Test
    void everyKindOfSequenceIsCopiedWhole()
    {
        final MutableTextBuffer other = new MutableTextBuffer();
        other.set(TEXT, Integer.MAX_VALUE);
        for (final CharSequence source : new CharSequence[] {TEXT, other, CharBuffer.wrap(TEXT), new StringBuilder(TEXT)})
        {
            final MutableTextBuffer target = new MutableTextBuffer();
            target.set("left over from before", Integer.MAX_VALUE);
            assertTrue(target.set(source, Integer.MAX_VALUE), source.getClass().getSimpleName());
            assertEquals(TEXT, target.toString(), source.getClass().getSimpleName());
            assertTrue(target.append(source, Integer.MAX_VALUE));
            assertEquals(TEXT + TEXT, target.toString(), "appended after what it holds: " + source.getClass().getSimpleName());
        }
    }

    @Test
    void aSequenceOverTheLimitLeavesTheBufferEmptyButPresent()
    {
        final MutableTextBuffer other = new MutableTextBuffer();
        other.set(TEXT, Integer.MAX_VALUE);
        for (final CharSequence source : new CharSequence[] {TEXT, other, CharBuffer.wrap(TEXT)})
        {
            final MutableTextBuffer target = new MutableTextBuffer();
            target.set("before", Integer.MAX_VALUE);
            assertFalse(target.set(source, TEXT.length() - 1));
            assertEquals("", target.toString());
            assertTrue(target.isPresent());
            target.set("before", Integer.MAX_VALUE);
            assertFalse(target.append(source, TEXT.length() + 5), "over the limit with what it holds");
            assertEquals("before", target.toString(), "an append refused keeps what was there");
        }
    }

    @Test
    void aBufferCopiesItself()
    {
        final MutableTextBuffer buffer = new MutableTextBuffer();
        buffer.set(TEXT, Integer.MAX_VALUE);
        assertTrue(buffer.set(buffer, Integer.MAX_VALUE));
        assertEquals(TEXT, buffer.toString());
    }
}
