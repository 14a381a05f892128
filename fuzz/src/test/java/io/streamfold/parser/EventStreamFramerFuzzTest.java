package io.streamfold.parser;

import java.io.ByteArrayOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.parser.eventstream.EventStreamFramer;

/**
 * The AWS eventstream framer, fed either raw bytes or well-formed messages (correct lengths and CRCs,
 * every header type) that the fuzzer may then damage: one byte changed, the stream cut short. Random
 * bytes alone almost never pass the prelude CRC, so without the encoder the fuzzer would only ever
 * reach the checksum error path. See {@link FramerFuzzing} for what is checked.
 */
class EventStreamFramerFuzzTest
{
    /** The message buffer (at least a prelude) plus the framer's fixed 512-byte header scratch. */
    private static final long BOUND = Math.max(FramerFuzzing.LIMITS.maxFrameBytes(), 12) + 512;

    @FuzzTest(maxDuration = "60s")
    void messages(final FuzzedDataProvider data)
    {
        final boolean raw = data.consumeBoolean();
        final int[] cuts = FramerFuzzing.cuts(data);
        final byte[] stream = raw ? data.consumeRemainingAsBytes() : encode(data);
        FramerFuzzing.checkStream(stream, cuts, listener -> new EventStreamFramer(listener, FramerFuzzing.LIMITS), BOUND);
    }

    private static byte[] encode(final FuzzedDataProvider data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int messages = data.consumeInt(1, 4);
        for (int m = 0; m < messages; m++)
        {
            final EventStreamEncoder encoder = new EventStreamEncoder();
            final int headers = data.consumeInt(0, 4);
            for (int h = 0; h < headers; h++)
            {
                final String name = data.pickValue(new String[] {
                    ":event-type", ":message-type", ":content-type", ":exception-type", "x", data.consumeString(8) });
                switch (data.consumeInt(0, 10))
                {
                    case 0: encoder.string(name, data.consumeString(16)); break;
                    case 1: encoder.bytes(name, data.consumeBytes(16)); break;
                    case 2: encoder.bool(name, data.consumeBoolean()); break;
                    case 3: encoder.int8(name, data.consumeByte()); break;
                    case 4: encoder.int16(name, data.consumeShort()); break;
                    case 5: encoder.int32(name, data.consumeInt()); break;
                    case 6: encoder.int64(name, data.consumeLong()); break;
                    case 7: encoder.timestamp(name, data.consumeLong()); break;
                    case 8: encoder.uuid(name, data.consumeLong(), data.consumeLong()); break;
                    case 9: encoder.raw(name, data.consumeInt(0, 255), data.consumeBytes(8)); break;
                    default: encoder.headerBytes(data.consumeBytes(8));
                }
            }
            final byte[] message = encoder.encode(data.consumeBytes(data.consumeInt(0, 300)));
            if (data.consumeInt(0, 3) == 0)
            {
                message[data.consumeInt(0, message.length - 1)] ^= (byte)data.consumeInt(1, 255);
            }
            out.writeBytes(message);
        }
        final byte[] all = out.toByteArray();
        final int keep = data.consumeBoolean() ? data.consumeInt(0, all.length) : all.length;
        return java.util.Arrays.copyOf(all, keep);
    }
}
