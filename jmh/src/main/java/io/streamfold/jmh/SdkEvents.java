package io.streamfold.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectReader;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;

/**
 * The input side of an SDK peer: SSE framed by streamfold's tokenizer (the SDKs' own SSE readers are not
 * public), each event read by the SDK's own mapper into its event class and handed to the SDK's accumulator.
 *
 * @param <E> the SDK's stream event class.
 */
final class SdkEvents<E> implements FrameListener
{
    private final ObjectReader reader;
    private final int slice;
    private final Consumer<E> sink;
    private final SseTokenizer tokenizer = new SseTokenizer(this, FramingLimits.DEFAULT);
    private byte[] scratch = new byte[1024];

    /**
     * @param reader the SDK mapper's reader for its event class.
     * @param slice  bytes per feed, as the network would hand them over.
     * @param sink   the SDK's accumulator.
     */
    SdkEvents(final ObjectReader reader, final int slice, final Consumer<E> sink)
    {
        this.reader = reader;
        this.slice = slice;
        this.sink = sink;
    }

    /** Frames, reads and hands on every event of {@code bytes}. */
    void feed(final byte[] bytes)
    {
        tokenizer.reset();
        for (int i = 0; i < bytes.length; i += slice)
        {
            tokenizer.feed(bytes, i, Math.min(slice, bytes.length - i));
        }
        tokenizer.end();
    }

    @Override
    public void onFrame(final Frame frame)
    {
        final int length = frame.length();
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        frame.buffer().getBytes(frame.offset(), scratch, 0, length);
        try
        {
            sink.accept(reader.readValue(scratch, 0, length));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onError(final StreamError error)
    {
        throw new IllegalStateException(error.toString());
    }
}
