package io.streamfold.parser;

import org.agrona.DirectBuffer;

/**
 * One complete frame handed to a {@link FrameListener}: an SSE event, an NDJSON line, an element of a
 * streamed JSON array, or an AWS eventstream message. A flyweight: the framer reuses one instance, and
 * every view is valid only during the callback. Views point at the caller's own bytes whenever the
 * frame lay inside one fed slice; otherwise at the framer's reusable buffer.
 *
 * <p>Byte views are exact. Text accessors decode UTF-8 with U+FFFD for invalid sequences, and allocate;
 * hot paths read the byte views.
 */
public final class Frame
{
    private DirectBuffer payloadBuffer;
    private int payloadOffset;
    private int payloadLength;
    private DirectBuffer typeBuffer;
    private int typeOffset;
    private int typeLength;
    private DirectBuffer idBuffer;
    private int idOffset;
    private int idLength;
    private boolean hasId;
    private long index;
    private long streamOffset;

    /** Created by framers only. */
    Frame()
    {
    }

    void payload(final DirectBuffer buffer, final int offset, final int length)
    {
        payloadBuffer = buffer;
        payloadOffset = offset;
        payloadLength = length;
    }

    void type(final DirectBuffer buffer, final int offset, final int length)
    {
        typeBuffer = buffer;
        typeOffset = offset;
        typeLength = length;
    }

    void id(final DirectBuffer buffer, final int offset, final int length, final boolean present)
    {
        idBuffer = buffer;
        idOffset = offset;
        idLength = length;
        hasId = present;
    }

    void position(final long index, final long streamOffset)
    {
        this.index = index;
        this.streamOffset = streamOffset;
    }

    /** @return buffer holding the payload (SSE data, the JSON line or element, the eventstream payload). */
    public DirectBuffer buffer()
    {
        return payloadBuffer;
    }

    /** @return offset of the payload in {@link #buffer()}. */
    public int offset()
    {
        return payloadOffset;
    }

    /** @return payload length in bytes. */
    public int length()
    {
        return payloadLength;
    }

    /** @return buffer holding the event type; see {@link #typeLength()}. */
    public DirectBuffer typeBuffer()
    {
        return typeBuffer;
    }

    /** @return offset of the event type in {@link #typeBuffer()}. */
    public int typeOffset()
    {
        return typeOffset;
    }

    /**
     * @return length of the event type: the SSE {@code event} field or the eventstream
     * {@code :event-type} header; 0 when the frame has none (an SSE event without {@code event} is of
     * type {@code message}, see {@link #type()}).
     */
    public int typeLength()
    {
        return typeLength;
    }

    /** @return buffer holding the last event id (SSE only); see {@link #hasId()}. */
    public DirectBuffer idBuffer()
    {
        return idBuffer;
    }

    /** @return offset of the id in {@link #idBuffer()}. */
    public int idOffset()
    {
        return idOffset;
    }

    /** @return length of the id in bytes. */
    public int idLength()
    {
        return idLength;
    }

    /** @return true once an SSE {@code id} field has been accepted in this stream (it may be empty). */
    public boolean hasId()
    {
        return hasId;
    }

    /** @return zero-based number of this frame in the stream. */
    public long index()
    {
        return index;
    }

    /** @return stream byte offset of the first byte of this frame (its first line, for SSE). */
    public long streamOffset()
    {
        return streamOffset;
    }

    /**
     * Compares the event type with ASCII text without decoding or allocating.
     *
     * @param ascii expected type, ASCII only.
     * @return true when the frame's type bytes equal {@code ascii}.
     */
    public boolean typeEquals(final String ascii)
    {
        return Bytes.equalsAscii(typeBuffer, typeOffset, typeLength, ascii);
    }

    /**
     * Compares the payload with ASCII text without decoding or allocating.
     *
     * @param ascii expected payload, ASCII only.
     * @return true when the payload bytes equal {@code ascii}.
     */
    public boolean payloadEquals(final String ascii)
    {
        return Bytes.equalsAscii(payloadBuffer, payloadOffset, payloadLength, ascii);
    }

    /** @return the payload decoded as UTF-8 (allocates). */
    public String payloadAsString()
    {
        return Utf8.decode(payloadBuffer, payloadOffset, payloadLength);
    }

    /** @return the event type decoded as UTF-8, {@code "message"} when empty (allocates). */
    public String type()
    {
        return typeLength == 0 ? "message" : Utf8.decode(typeBuffer, typeOffset, typeLength);
    }

    /** @return the last event id decoded as UTF-8, or null when none was ever set (allocates). */
    public String id()
    {
        return hasId ? Utf8.decode(idBuffer, idOffset, idLength) : null;
    }

    /** @return the payload bytes, copied (allocates). */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength];
        payloadBuffer.getBytes(payloadOffset, bytes);
        return bytes;
    }

    @Override
    public String toString()
    {
        return "Frame{index=" + index + ", offset=" + streamOffset + ", type=" + type() +
            ", id=" + id() + ", payload=" + payloadAsString() + '}';
    }
}
