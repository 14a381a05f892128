package io.streamfold.parser;

import java.util.Objects;

/**
 * An error as a value: what went wrong, where, and a one-line human reason. Errors never escape
 * {@code feed}/{@code end} as exceptions; they are handed to the listener and parsing continues where
 * it safely can. Allocated only when an error happens, never on the normal path.
 */
public final class StreamError
{
    private final ErrorKind kind;
    private final long eventNumber;
    private final long byteOffset;
    private final String message;

    /**
     * @param kind        what went wrong.
     * @param eventNumber zero-based number of the frame (event, line, element) it concerns, or -1 if none.
     * @param byteOffset  offset in the stream, counted from the first byte fed after construction or reset.
     * @param message     one line, for humans.
     */
    public StreamError(final ErrorKind kind, final long eventNumber, final long byteOffset, final String message)
    {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.eventNumber = eventNumber;
        this.byteOffset = byteOffset;
        this.message = Objects.requireNonNull(message, "message");
    }

    /** @return what went wrong. */
    public ErrorKind kind()
    {
        return kind;
    }

    /** @return zero-based number of the frame the error concerns, or -1 when it concerns no frame. */
    public long eventNumber()
    {
        return eventNumber;
    }

    /** @return stream byte offset at which the error was detected (start of the frame where known). */
    public long byteOffset()
    {
        return byteOffset;
    }

    /** @return a one-line reason for humans. */
    public String message()
    {
        return message;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof StreamError))
        {
            return false;
        }
        final StreamError that = (StreamError)o;
        return eventNumber == that.eventNumber && byteOffset == that.byteOffset &&
            kind == that.kind && message.equals(that.message);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(kind, eventNumber, byteOffset, message);
    }

    @Override
    public String toString()
    {
        return kind + " at event " + eventNumber + ", byte " + byteOffset + ": " + message;
    }
}
