package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;

/** Feeding helpers and an event recorder shared by the Responses dialect tests. */
public final class ResponsesTestSupport
{
    private ResponsesTestSupport()
    {
    }

    /** Writes every listener event as a line, copying the views, so two runs can be compared. */
    public static final class Recorder implements StreamListener
    {
        public final StringBuilder log = new StringBuilder();
        public final List<StreamError> errors = new ArrayList<>();
        int ends;

        @Override
        public void onMessageStart(final CharSequence id, final CharSequence model)
        {
            log.append("start ").append(id).append(' ').append(model).append('\n');
        }

        @Override
        public void onTextDelta(final int choice, final CharSequence text)
        {
            log.append("text ").append(choice).append(' ').append(text).append('\n');
        }

        @Override
        public void onReasoningDelta(final int choice, final CharSequence text)
        {
            log.append("reasoning ").append(choice).append(' ').append(text).append('\n');
        }

        @Override
        public void onRefusalDelta(final int choice, final CharSequence text)
        {
            log.append("refusal ").append(choice).append(' ').append(text).append('\n');
        }

        @Override
        public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
        {
            log.append("tool ").append(toolIndex).append(' ').append(id).append(' ').append(name).append('\n');
        }

        @Override
        public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
        {
            log.append("args ").append(toolIndex).append(' ').append(fragment).append('\n');
        }

        @Override
        public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
        {
            log.append("tool-end ").append(toolIndex).append(' ').append(call.text()).append('\n');
        }

        @Override
        public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
        {
            log.append("logprob ").append(token).append(' ').append(logprob).append('\n');
        }

        @Override
        public void onUsage(final Usage usage)
        {
            log.append("usage ").append(usage).append('\n');
        }

        @Override
        public void onFinish(final int choice, final CharSequence reason)
        {
            log.append("finish ").append(reason).append('\n');
        }

        @Override
        public void onError(final StreamError error)
        {
            errors.add(error);
            log.append("error ").append(error.kind()).append(' ').append(error.message()).append('\n');
        }

        @Override
        public void onEnd(final Outcome outcome)
        {
            ends++;
            log.append("end ").append(outcome).append('\n');
        }
    }

    public static StreamAggregator aggregator(final Recorder recorder)
    {
        return StreamAggregator.builder().format(Format.OPENAI_RESPONSES).listener(recorder).build();
    }

    /** Feeds {@code bytes} whole, then ends. */
    public static Aggregate whole(final byte[] bytes, final Recorder recorder)
    {
        final StreamAggregator a = aggregator(recorder);
        feedScribbled(a, bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    public static Aggregate whole(final String sse, final Recorder recorder)
    {
        return whole(sse.getBytes(StandardCharsets.UTF_8), recorder);
    }

    /** Feeds {@code bytes} in random slices (1 = byte by byte when maxSlice is 1), then ends. */
    public static Aggregate sliced(final StreamAggregator a, final byte[] bytes, final Random random, final int maxSlice)
    {
        int at = 0;
        while (at < bytes.length)
        {
            final int n = Math.min(bytes.length - at, 1 + random.nextInt(maxSlice));
            feedScribbled(a, bytes, at, n);
            at += n;
        }
        a.end();
        return a.result();
    }

    /** Feeds a copy of the slice and scribbles over it afterwards, so a kept view of fed bytes fails. */
    public static void feedScribbled(final StreamAggregator a, final byte[] bytes, final int offset, final int length)
    {
        final byte[] copy = new byte[length + 2];
        System.arraycopy(bytes, offset, copy, 1, length);
        a.feed(copy, 1, length);
        java.util.Arrays.fill(copy, (byte)'#');
    }

    /** @return the data payloads of an SSE text (simple: one data line per event, as in the corpus). */
    public static List<String> dataPayloads(final String sse)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : sse.split("\r\n|\n|\r"))
        {
            if (line.startsWith("data:"))
            {
                final String payload = line.substring(line.startsWith("data: ") ? 6 : 5);
                out.add(payload);
            }
        }
        return out;
    }
}
