package io.streamfold.parser.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.zip.CRC32;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.streamfold.parser.internal.SafeBuffer;

class PreludeCrcTest
{
    @Property
    void equalsCrc32OfTheEightBytesAtAnyOffset(@ForAll @Size(min = 8, max = 40) final byte[] bytes,
        @ForAll @IntRange(max = 32) final int at)
    {
        final int index = Math.min(at, bytes.length - 8);
        final CRC32 crc = new CRC32();
        crc.update(bytes, index, 8);
        assertEquals(crc.getValue(), PreludeCrc.of(new UnsafeBuffer(bytes), index));
        assertEquals(crc.getValue(), PreludeCrc.of(new SafeBuffer(bytes), index));
    }

    @Test
    void knownValues()
    {
        // The CRC32 check value of "12345678", and of eight 0xFF bytes.
        assertEquals(0x9AE0DAAFL, PreludeCrc.of(new UnsafeBuffer("12345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0));
        final byte[] ones = {-1, -1, -1, -1, -1, -1, -1, -1};
        final CRC32 crc = new CRC32();
        crc.update(ones);
        assertEquals(crc.getValue(), PreludeCrc.of(new UnsafeBuffer(ones), 0));
    }
}
