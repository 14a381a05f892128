package io.streamfold.gateway.reactor;

import java.util.Objects;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.ByteBuf;
import io.streamfold.gateway.GatewayOutcome;
import io.streamfold.gateway.SharedTap;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Taps a response body {@code Flux<ByteBuf>} (Reactor Netty's {@code ByteBufFlux}, Spring Cloud Gateway's
 * body): every buffer is passed on first, unchanged, then folded by absolute index while the operator
 * holds its own reference, so Reactor Netty's release after {@code onNext} is unaffected. Completion,
 * error, cancellation and a policy stop each end the stream once with its record.
 */
public final class ReactorTap
{
    private ReactorTap()
    {
    }

    /**
     * @param body the response body.
     * @param tap  the stream's tap, started and given the response head; ended by this operator.
     * @return the same buffers, tapped. Subscribe once.
     */
    public static Flux<ByteBuf> tap(final Publisher<ByteBuf> body, final SharedTap tap)
    {
        Objects.requireNonNull(tap, "tap");
        return Flux.from(body).transform(source -> new Operator(source, tap));
    }

    private static final class Operator extends Flux<ByteBuf>
    {
        private final Flux<ByteBuf> source;
        private final SharedTap tap;

        Operator(final Flux<ByteBuf> source, final SharedTap tap)
        {
            this.source = source;
            this.tap = tap;
        }

        @Override
        public void subscribe(final CoreSubscriber<? super ByteBuf> actual)
        {
            source.subscribe(new TapSubscriber(actual, tap));
        }
    }

    private static final class TapSubscriber implements CoreSubscriber<ByteBuf>, Subscription
    {
        private final CoreSubscriber<? super ByteBuf> actual;
        private final SharedTap tap;
        private Subscription upstream;
        private volatile boolean done;

        TapSubscriber(final CoreSubscriber<? super ByteBuf> actual, final SharedTap tap)
        {
            this.actual = actual;
            this.tap = tap;
        }

        @Override
        public Context currentContext()
        {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(final Subscription s)
        {
            if (Operators.validate(upstream, s))
            {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(final ByteBuf buffer)
        {
            if (done)
            {
                Operators.onNextDropped(buffer, actual.currentContext());
                return;
            }
            final int index = buffer.readerIndex();
            final int length = buffer.readableBytes();
            final boolean stop;
            buffer.retain();
            try
            {
                actual.onNext(buffer);
                stop = tap.feed(buffer, index, length);
            }
            finally
            {
                buffer.release();
            }
            if (stop && tap.finish(null))
            {
                done = true;
                upstream.cancel();
                actual.onComplete();
            }
        }

        @Override
        public void onError(final Throwable t)
        {
            if (done)
            {
                Operators.onErrorDropped(t, actual.currentContext());
                return;
            }
            done = true;
            tap.finish(t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout") ?
                GatewayOutcome.UPSTREAM_TIMEOUT : GatewayOutcome.UPSTREAM_RESET);
            actual.onError(t);
        }

        @Override
        public void onComplete()
        {
            if (done)
            {
                return;
            }
            done = true;
            tap.finish(null);
            actual.onComplete();
        }

        @Override
        public void request(final long n)
        {
            upstream.request(n);
        }

        @Override
        public void cancel()
        {
            tap.finish(GatewayOutcome.CLIENT_ABORTED);
            upstream.cancel();
        }
    }
}
