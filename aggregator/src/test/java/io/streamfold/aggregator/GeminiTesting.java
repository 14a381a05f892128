package io.streamfold.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.StreamError;

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
        Feeding.feedWhole(a, bytes, Feeding.Via.ARRAY);
        a.end();
        return a;
    }

    public static StreamAggregator byteByByte(final Format format, final byte[] bytes)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        Feeding.feedByteByByte(a, bytes, Feeding.Via.ARRAY);
        a.end();
        return a;
    }

    /** Random slices, fed alternately through the byte[], ByteBuffer (direct) and DirectBuffer overloads. */
    public static StreamAggregator randomSlices(final Format format, final byte[] bytes, final long seed)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        Feeding.feedAll(a, bytes, Feeding.randomSizes(new Random(seed), 8, 300),
            Feeding.Via.ARRAY, Feeding.Via.DIRECT, Feeding.Via.UNSAFE);
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

    /**
     * @return {@code s} as a JSON string literal; one time in four with one character in ten (and every one that
     *         must be escaped) written as a {@code \}{@code u} escape, which decodes to the same text
     */
    public static String quoteEscaping(final String s, final Random r)
    {
        if (r.nextInt(4) > 0)
        {
            return quote(s);
        }
        final StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || r.nextInt(10) == 0)
            {
                q.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
