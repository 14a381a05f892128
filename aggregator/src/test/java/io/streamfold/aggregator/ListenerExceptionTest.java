package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 9: a listener that throws neither corrupts the result nor is reported as bad input or as
 * a streamfold defect, and a listener that calls back into its own aggregator is refused.
 */
class ListenerExceptionTest
{
    private static final String CHAT =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\",\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n" +
        "data: [DONE]\n\n";

    private static final byte[] BYTES = CHAT.getBytes(StandardCharsets.UTF_8);

    /** Throws from every callback, onError and onEnd included. */
    private static final class ThrowingListener implements StreamListener
    {
        @Override
        public void onMessageStart(final CharSequence id, final CharSequence model)
        {
            throw new IllegalArgumentException("boom start");
        }

        @Override
        public void onTextDelta(final int choice, final CharSequence text)
        {
            throw new IllegalArgumentException("boom text");
        }

        @Override
        public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
        {
            throw new IllegalArgumentException("boom tool");
        }

        @Override
        public void onUsage(final Usage usage)
        {
            throw new IllegalArgumentException("boom usage");
        }

        @Override
        public void onFinish(final int choice, final CharSequence reason)
        {
            throw new IllegalArgumentException("boom finish");
        }

        @Override
        public void onError(final StreamError error)
        {
            throw new IllegalStateException("boom error");
        }

        @Override
        public void onEnd(final Outcome outcome)
        {
            throw new IllegalStateException("boom end");
        }
    }

    @Test
    void throwingListenerLeavesTheResultAsWithoutOneAndIsRecorded()
    {
        final StreamAggregator plain = StreamAggregator.create(Format.OPENAI_CHAT);
        plain.feed(BYTES, 0, BYTES.length);
        plain.end();

        final StreamAggregator guarded = StreamAggregator.builder().format(Format.OPENAI_CHAT).strict(true)
            .listener(new ThrowingListener()).build();
        for (int i = 0; i < BYTES.length; i++)
        {
            guarded.feed(BYTES, i, 1);
        }
        guarded.end();

        final Aggregate r = guarded.result();
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertEquals(plain.result().toJson(), r.toJson());
        assertFalse(r.errors().isEmpty());
        final List<String> callbacks = new ArrayList<>();
        for (final StreamError e : r.errors())
        {
            assertEquals(ErrorKind.LISTENER_ERROR, e.kind(), e.toString());
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.message());
            callbacks.add(e.message().split(" ")[1]);
        }
        assertTrue(callbacks.contains("onMessageStart"), callbacks.toString());
        assertTrue(callbacks.contains("onTextDelta"), callbacks.toString());
        assertTrue(callbacks.contains("onToolCallStart"), callbacks.toString());
        assertTrue(callbacks.contains("onUsage"), callbacks.toString());
        assertTrue(callbacks.contains("onFinish"), callbacks.toString());
        assertTrue(callbacks.contains("onError"), callbacks.toString());
        assertTrue(callbacks.contains("onEnd"), callbacks.toString());
        assertTrue(r.errors().get(0).message().contains("boom start"), r.errors().get(0).message());
    }

    @Test
    void feedEndAndResetFromInsideACallbackAreRefusedAndChangeNothing()
    {
        final List<RuntimeException> refused = new ArrayList<>();
        final StreamAggregator[] self = new StreamAggregator[1];
        final StreamListener reentrant = new StreamListener()
        {
            @Override
            public void onTextDelta(final int choice, final CharSequence text)
            {
                try
                {
                    self[0].feed(BYTES, 0, BYTES.length);
                }
                catch (final RuntimeException e)
                {
                    refused.add(e);
                }
                try
                {
                    self[0].end();
                }
                catch (final RuntimeException e)
                {
                    refused.add(e);
                }
                self[0].reset();
            }
        };
        self[0] = StreamAggregator.builder().format(Format.AUTO).listener(reentrant).build();
        self[0].feed(BYTES, 0, BYTES.length);
        self[0].end();

        final StreamAggregator plain = StreamAggregator.create(Format.AUTO);
        plain.feed(BYTES, 0, BYTES.length);
        plain.end();

        assertEquals(4, refused.size());
        for (final RuntimeException e : refused)
        {
            assertTrue(e instanceof IllegalStateException, e.toString());
            assertTrue(e.getMessage().contains("inside a StreamListener callback"), e.getMessage());
        }
        final Aggregate r = self[0].result();
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertEquals(plain.result().toJson(), r.toJson());
        // The uncaught reset() refusals are the listener's own exceptions: recorded, one per text delta.
        assertEquals(2, r.errors().size(), r.errors().toString());
        for (final StreamError e : r.errors())
        {
            assertEquals(ErrorKind.LISTENER_ERROR, e.kind());
            assertTrue(e.message().contains("reset() called from inside"), e.message());
        }

        // Usable again once the callbacks are over.
        self[0].reset();
        assertEquals(Outcome.IN_PROGRESS, self[0].result().outcome());
    }
}
