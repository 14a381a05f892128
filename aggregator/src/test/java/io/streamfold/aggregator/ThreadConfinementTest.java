package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ConcurrentModificationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.streamfold.aggregator.event.StreamListener;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 10: an aggregator belongs to one thread at a time; a call that overlaps another thread's
 * feed fails loudly and leaves the stream as the owning thread folds it.
 */
class ThreadConfinementTest
{
    private static final byte[] CHAT = (
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void aSecondThreadInsideFeedIsRefused() throws Exception
    {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch tried = new CountDownLatch(1);
        final StreamListener parking = new StreamListener()
        {
            @Override
            public void onTextDelta(final int choice, final CharSequence text)
            {
                inside.countDown();
                try
                {
                    tried.await(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        };
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(parking).build();
        final Thread owner = new Thread(() ->
        {
            a.feed(CHAT, 0, CHAT.length);
            a.end();
        }, "owner");
        owner.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));

        final AtomicReference<RuntimeException> feedFailure = new AtomicReference<>();
        final AtomicReference<RuntimeException> resetFailure = new AtomicReference<>();
        try
        {
            a.feed(CHAT, 0, CHAT.length);
        }
        catch (final RuntimeException e)
        {
            feedFailure.set(e);
        }
        try
        {
            a.reset();
        }
        catch (final RuntimeException e)
        {
            resetFailure.set(e);
        }
        tried.countDown();
        owner.join(10_000);

        assertTrue(feedFailure.get() instanceof ConcurrentModificationException, String.valueOf(feedFailure.get()));
        assertTrue(feedFailure.get().getMessage().contains("one thread at a time"), feedFailure.get().getMessage());
        assertTrue(feedFailure.get().getMessage().contains("'owner'"), feedFailure.get().getMessage());
        assertTrue(resetFailure.get() instanceof ConcurrentModificationException, String.valueOf(resetFailure.get()));

        final StreamAggregator plain = StreamAggregator.create(Format.OPENAI_CHAT);
        plain.feed(CHAT, 0, CHAT.length);
        plain.end();
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(plain.result().toJson(), a.result().toJson());
        assertTrue(a.result().errors().isEmpty(), a.result().errors().toString());
    }

    @Test
    void handingTheAggregatorOverBetweenThreadsIsFine() throws Exception
    {
        final StreamAggregator a = StreamAggregator.create(Format.OPENAI_CHAT);
        final int half = CHAT.length / 2;
        final Thread first = new Thread(() -> a.feed(CHAT, 0, half));
        first.start();
        first.join();
        final Thread second = new Thread(() ->
        {
            a.feed(CHAT, half, CHAT.length - half);
            a.end();
        });
        second.start();
        second.join();
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertTrue(a.result().errors().isEmpty());
    }
}
