package io.streamfold.aggregator.internal.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What a remembered hint answers for a frame: a match only for exactly the matched bytes, a refusal only for the value
 * of the refused line when the refusing match saw its whole value and the byte after it; anything else is matched anew.
 */
class HintedLineTest
{
    private final byte[] array = new byte[64];
    private final HintedLine hinted = new HintedLine();

    @Test
    void aMatchHoldsForExactlyItsBytesOnce()
    {
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.MATCHED, hinted.take(array, 10, 20, 100));
        assertEquals(HintedLine.UNKNOWN, hinted.take(array, 10, 20, 100), "one hint serves one frame");
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(array, 10, 19, 100), "a shorter payload");
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(array.clone(), 10, 20, 100), "another array");
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(array, 10, 20, 101), "a frame starting after the line");
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.MATCHED, hinted.take(array, 10, 20, 90), "an event line before the data line");
    }

    @Test
    void aRefusalHoldsOnlyForAValueEndedWithinWhatTheMatchSaw()
    {
        hinted.refuse(array, 10, 40, 100);
        assertEquals(HintedLine.REFUSED, hinted.take(array, 10, 29, 100));
        hinted.refuse(array, 10, 40, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(array, 10, 30, 100), "its line end lay past the bytes seen");
        hinted.refuse(array, 10, 40, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(array, 11, 20, 100), "another value");
        hinted.refuse(array, 10, 40, 100);
        assertEquals(HintedLine.UNKNOWN, hinted.take(null, 10, 20, 100), "a payload in no array");
    }

    @Test
    void theEventOfferedWholeTakesAMatchNeverARefusal()
    {
        hinted.refuse(array, 10, 40, 100);
        assertFalse(hinted.takeWhole());
        hinted.remember(array, 10, 30, 100);
        hinted.refuse(array, 10, 40, 100);
        assertFalse(hinted.takeWhole(), "a refusal replaces the match before it");
        hinted.remember(array, 10, 30, 100);
        assertTrue(hinted.takeWhole());
        assertFalse(hinted.takeWhole());
        hinted.refuse(array, 10, 40, 100);
        hinted.remember(array, 10, 30, 100);
        assertEquals(HintedLine.MATCHED, hinted.take(array, 10, 20, 100), "a match replaces the refusal before it");
    }
}
