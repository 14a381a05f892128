package io.streamfold.parser.sse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.agrona.DirectBuffer;
import io.streamfold.parser.Frame;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.internal.Utf8;

/** Test listener: records everything an {@link SseTokenizer} reports, decoded to comparable values. */
final class SseRecorder implements SseListener
{
    /** One dispatched event as plain values; {@code id} is null when no id was ever accepted. */
    static final class Event
    {
        final String type;
        final String data;
        final String id;
        final long streamOffset;

        Event(final String type, final String data, final String id, final long streamOffset)
        {
            this.type = type;
            this.data = data;
            this.id = id;
            this.streamOffset = streamOffset;
        }

        @Override
        public boolean equals(final Object o)
        {
            if (!(o instanceof Event))
            {
                return false;
            }
            final Event that = (Event)o;
            return type.equals(that.type) && data.equals(that.data) && Objects.equals(id, that.id) &&
                streamOffset == that.streamOffset;
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(type, data, id, streamOffset);
        }

        @Override
        public String toString()
        {
            return "{type=" + type + ", data=" + data.replace("\n", "\\n") + ", id=" + id + ", at=" + streamOffset + '}';
        }
    }

    final List<Event> events = new ArrayList<>();
    final List<Long> retries = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    final List<StreamError> errors = new ArrayList<>();
    DirectBuffer lastFrameBuffer;

    @Override
    public void onFrame(final Frame frame)
    {
        assert frame.index() == events.size() : "frame index " + frame.index();
        events.add(new Event(frame.type(), frame.payloadAsString(), frame.id(), frame.streamOffset()));
        lastFrameBuffer = frame.buffer();
    }

    @Override
    public void onError(final StreamError error)
    {
        errors.add(error);
    }

    @Override
    public void onComment(final DirectBuffer buffer, final int offset, final int length)
    {
        comments.add(Utf8.decode(buffer, offset, length));
    }

    @Override
    public void onRetry(final long millis)
    {
        retries.add(millis);
    }

    void clear()
    {
        events.clear();
        retries.clear();
        comments.clear();
        errors.clear();
        lastFrameBuffer = null;
    }

    /** @return everything observable, for comparing two runs. */
    String transcript()
    {
        return "events=" + events + "\nretries=" + retries + "\ncomments=" + comments + "\nerrors=" + errors;
    }
}
