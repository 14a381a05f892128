package io.streamfold.aggregator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.StreamError;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Shared by the Gemini and Ollama tests: feeding a stream in different slicings and rendering the result. */
public final class GeminiTesting
{
    private GeminiTesting()
    {
    }

    public static StreamAggregator whole(final Format format, final byte[] bytes)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a;
    }

    public static StreamAggregator byteByByte(final Format format, final byte[] bytes)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        for (int i = 0; i < bytes.length; i++)
        {
            a.feed(bytes, i, 1);
        }
        a.end();
        return a;
    }

    /** Random slices, fed alternately through the byte[], ByteBuffer (direct) and DirectBuffer overloads. */
    public static StreamAggregator randomSlices(final Format format, final byte[] bytes, final long seed)
    {
        final Random random = new Random(seed);
        final StreamAggregator a = StreamAggregator.create(format);
        int at = 0;
        int turn = 0;
        while (at < bytes.length)
        {
            final int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 300));
            switch (turn++ % 3)
            {
                case 0:
                    a.feed(bytes, at, n);
                    break;
                case 1:
                {
                    final ByteBuffer direct = ByteBuffer.allocateDirect(n);
                    direct.put(bytes, at, n).flip();
                    a.feed(direct);
                    break;
                }
                default:
                {
                    final byte[] padded = new byte[n + 7];
                    System.arraycopy(bytes, at, padded, 3, n);
                    a.feed(new UnsafeBuffer(padded), 3, n);
                }
            }
            at += n;
        }
        a.end();
        return a;
    }

    /** Everything observable about a result, for comparing slicings. */
    public static String render(final StreamAggregator a)
    {
        final Aggregate r = a.result();
        return r.outcome() + "\n" + r.toJson() + "\n" + r.toNormalizedJson();
    }

    public static void assertNoInternalError(final Aggregate r)
    {
        for (final StreamError e : r.errors())
        {
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.toString());
        }
    }

    /** Records listener events as text, in order. */
    public static final class Recorder implements StreamListener
    {
        public final List<String> events = new ArrayList<>();
        public final StringBuilder text = new StringBuilder();
        public final StringBuilder reasoning = new StringBuilder();
        public final StringBuilder arguments = new StringBuilder();

        @Override
        public void onTextDelta(final int choice, final CharSequence delta)
        {
            text.append(delta);
        }

        @Override
        public void onReasoningDelta(final int choice, final CharSequence delta)
        {
            reasoning.append(delta);
        }

        @Override
        public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
        {
            events.add("toolStart " + choice + " " + toolIndex + " " + id + " " + name);
        }

        @Override
        public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
        {
            arguments.append(fragment);
        }

        @Override
        public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
        {
            events.add("toolEnd " + choice + " " + toolIndex + " " + call.text());
        }

        @Override
        public void onFinish(final int choice, final CharSequence reason)
        {
            events.add("finish " + choice + " " + reason);
        }

        @Override
        public void onError(final StreamError error)
        {
            events.add("error " + error.kind());
        }

        @Override
        public void onEnd(final Outcome outcome)
        {
            events.add("end " + outcome);
        }
    }

    private static final String ALPHABET = "ab \n\"\\/é秋😀{}[],:";

    /** @return up to 11 code points drawn from an alphabet of JSON-escaping and multi-byte characters. */
    public static String randomText(final Random r)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = r.nextInt(12);
        for (int i = 0; i < n; i++)
        {
            sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, r.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return sb.toString();
    }

    /** @return {@code s} as a JSON string literal. */
    public static String quote(final String s)
    {
        return MutableRawJson.quote(s);
    }
}
