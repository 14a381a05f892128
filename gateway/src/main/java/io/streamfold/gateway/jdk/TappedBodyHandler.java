package io.streamfold.gateway.jdk;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

import io.streamfold.gateway.FormatChooser;
import io.streamfold.gateway.GatewayOutcome;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.gateway.SharedTap;
import io.streamfold.gateway.StreamTap;
import io.streamfold.gateway.TapPool;

/**
 * Wraps any {@link HttpResponse.BodyHandler} so the body is folded as it passes to it: make one per
 * request (it starts the clock), pass it to {@code HttpClient.send}/{@code sendAsync}; one
 * {@link GenAiRecord} goes to the sink when the body ends, fails, is cancelled or a policy stops it.
 *
 * <p>The downstream subscriber receives exactly the buffers the client delivered (the tap feeds each one
 * after passing it on, by absolute index, without moving its position). {@code cancel()} and
 * {@code onError} may come from any thread: feeding and ending are serialised.
 *
 * @param <T> the downstream body type.
 */
public final class TappedBodyHandler<T> implements HttpResponse.BodyHandler<T>
{
    private final HttpResponse.BodyHandler<T> downstream;
    private final TapPool pool;
    private final Consumer<GenAiRecord> sink;
    private final Consumer<StreamTap> binder;
    private final String path;
    private final String requestModel;
    private final long requestBytes;
    private final long startEpochMillis;
    private final long startNanos;

    /**
     * @param downstream   the handler whose subscriber receives the body.
     * @param pool         where the tap comes from.
     * @param path         request path (chooses the format with the response Content-Type).
     * @param requestModel the request body's {@code model}, or null.
     * @param requestBytes request body bytes.
     * @param sink         receives the record.
     * @param binder       binds a listener or context to the tap, or null.
     */
    public TappedBodyHandler(
        final HttpResponse.BodyHandler<T> downstream, final TapPool pool, final String path,
        final String requestModel, final long requestBytes, final Consumer<GenAiRecord> sink,
        final Consumer<StreamTap> binder)
    {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.binder = binder;
        this.path = path;
        this.requestModel = requestModel;
        this.requestBytes = requestBytes;
        this.startEpochMillis = pool.clock().epochMillis();
        this.startNanos = pool.clock().nanoTime();
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(final HttpResponse.ResponseInfo info)
    {
        final String contentType = info.headers().firstValue("content-type").orElse(null);
        final StreamTap tap = pool.acquire(FormatChooser.choose(path, contentType));
        tap.start(path, requestModel, requestBytes, startEpochMillis, startNanos);
        if (binder != null)
        {
            binder.accept(tap);
        }
        tap.responseHead(info.statusCode(), contentType);
        return new Subscriber<>(downstream.apply(info), new SharedTap(tap, sink));
    }

    /** The wrapping subscriber. */
    private static final class Subscriber<T> implements HttpResponse.BodySubscriber<T>
    {
        private final HttpResponse.BodySubscriber<T> downstream;
        private final SharedTap tap;
        private volatile Flow.Subscription upstream;
        private int[] positions = new int[8];
        private volatile boolean done;

        Subscriber(final HttpResponse.BodySubscriber<T> downstream, final SharedTap tap)
        {
            this.downstream = downstream;
            this.tap = tap;
        }

        @Override
        public CompletionStage<T> getBody()
        {
            return downstream.getBody();
        }

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            upstream = subscription;
            downstream.onSubscribe(new Flow.Subscription()
            {
                @Override
                public void request(final long n)
                {
                    subscription.request(n);
                }

                @Override
                public void cancel()
                {
                    tap.finish(GatewayOutcome.CLIENT_ABORTED);
                    subscription.cancel();
                }
            });
        }

        @Override
        public void onNext(final List<ByteBuffer> items)
        {
            if (done)
            {
                return;
            }
            final int n = items.size();
            if (positions.length < 2 * n)
            {
                positions = new int[2 * n];
            }
            // What the downstream gets is what we feed, whatever it does with the positions afterwards.
            for (int i = 0; i < n; i++)
            {
                final ByteBuffer b = items.get(i);
                positions[2 * i] = b.position();
                positions[2 * i + 1] = b.remaining();
            }
            downstream.onNext(items);
            boolean stop = false;
            for (int i = 0; i < n; i++)
            {
                stop = tap.feed(items.get(i), positions[2 * i], positions[2 * i + 1]);
            }
            if (stop && tap.finish(null))
            {
                done = true;
                upstream.cancel();
                downstream.onComplete();
            }
        }

        @Override
        public void onError(final Throwable throwable)
        {
            if (tap.finish(throwable instanceof HttpTimeoutException ? GatewayOutcome.UPSTREAM_TIMEOUT :
                GatewayOutcome.UPSTREAM_RESET) || !done)
            {
                done = true;
                downstream.onError(throwable);
            }
        }

        @Override
        public void onComplete()
        {
            // A cancelled body still completes its downstream: only a policy stop has completed it already.
            if (tap.finish(null) || !done)
            {
                done = true;
                downstream.onComplete();
            }
        }
    }
}
