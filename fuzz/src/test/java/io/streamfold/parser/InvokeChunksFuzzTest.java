package io.streamfold.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.eventstream.InvokeChunks;
import io.streamfold.testkit.EventStreamEncoder;

/**
 * Bedrock invoke-stream chunks decoded by {@link InvokeChunks} behind the eventstream framer: chunks whose payload is
 * well-formed ({@code {"bytes":"<base64>"}} with padding, escapes and other members the fuzzer picks) or any bytes
 * at all. The framer checks of {@link FramerFuzzing} hold with the decoder in place, and a well-formed chunk decodes
 * to exactly what Java's own base64 decoder makes of it.
 */
class InvokeChunksFuzzTest
{
    private static final long BOUND = Math.max(FramerFuzzing.LIMITS.maxFrameBytes(), 12) + 512;

    @FuzzTest(maxDuration = "60s")
    void chunks(final FuzzedDataProvider data)
    {
        final int[] cuts = FramerFuzzing.cuts(data);
        final List<byte[]> expected = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int messages = data.consumeInt(1, 4);
        boolean allWellFormed = true;
        for (int m = 0; m < messages; m++)
        {
            final boolean wellFormed = data.consumeBoolean();
            final String payload;
            if (wellFormed)
            {
                final byte[] inner = data.consumeBytes(data.consumeInt(0, 120));
                String base64 = Base64.getEncoder().encodeToString(inner);
                if (data.consumeBoolean())
                {
                    base64 = base64.replace("=", "");
                }
                if (data.consumeBoolean())
                {
                    base64 = base64.replace("/", "\\/");
                }
                final String bytes = "\"bytes\":\"" + base64 + "\"";
                payload = data.consumeBoolean() ? "{" + bytes + ",\"p\":\"" + "x".repeat(data.consumeInt(0, 9)) + "\"}" :
                    "{\"p\":[1,{\"q\":\"}\\\"\"}], " + bytes + "}";
                // The framer delivers a message within the (small) frame limit, and skips a larger one with its own error.
                if (EventStreamEncoder.event(InvokeChunks.CHUNK, payload).length <= FramerFuzzing.LIMITS.maxFrameBytes())
                {
                    expected.add(inner);
                }
            }
            else
            {
                payload = new String(data.consumeBytes(data.consumeInt(0, 120)), StandardCharsets.ISO_8859_1);
                allWellFormed = false;
            }
            out.writeBytes(EventStreamEncoder.event(InvokeChunks.CHUNK, payload));
        }
        final byte[] stream = out.toByteArray();
        FramerFuzzing.checkStream(stream, cuts, listener -> new EventStreamFramer(new InvokeChunks(listener), FramerFuzzing.LIMITS), BOUND,
            true);
        if (!allWellFormed)
        {
            return;
        }
        final List<byte[]> got = new ArrayList<>();
        final List<String> decodeErrors = new ArrayList<>();
        final EventStreamFramer framer = new EventStreamFramer(new InvokeChunks(new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                final byte[] bytes = new byte[frame.length()];
                frame.buffer().getBytes(frame.offset(), bytes);
                got.add(bytes);
            }

            @Override
            public void onError(final StreamError error)
            {
                if (error.message().startsWith("invoke stream chunk"))
                {
                    decodeErrors.add(error.message());
                }
            }
        }), FramerFuzzing.LIMITS);
        framer.feed(stream, 0, stream.length);
        framer.end();
        if (!decodeErrors.isEmpty())
        {
            throw new AssertionError("a well-formed chunk was refused: " + decodeErrors);
        }
        if (got.size() != expected.size())
        {
            throw new AssertionError(expected.size() + " chunks within the frame limit, " + got.size() + " delivered");
        }
        for (int i = 0; i < got.size(); i++)
        {
            if (!Arrays.equals(expected.get(i), got.get(i)))
            {
                throw new AssertionError("chunk " + i + " decoded to " + Arrays.toString(got.get(i)) + ", sent " +
                    Arrays.toString(expected.get(i)));
            }
        }
    }
}
