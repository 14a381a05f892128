package io.streamfold.parser;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

import io.streamfold.parser.internal.Bytes;
import io.streamfold.parser.internal.EventStreamHeaders;
import io.streamfold.parser.internal.FrameAccess;
import io.streamfold.parser.internal.Utf8;

/**
 * One complete frame handed to a {@link FrameListener}: an SSE event, an NDJSON line, an element of a
 * streamed JSON array, or an AWS eventstream message. A flyweight: the framer reuses one instance, and
 * every view is valid only during the callback. Views point at the caller's own bytes whenever the
 * frame lay inside one fed slice; otherwise at the framer's reusable buffer.
 *
 * <p>An AWS eventstream frame also carries its message's raw headers ({@link #headersBuffer()}), read
 * with {@link #headerEquals(String, String)} and {@link #stringHeader(String)}: {@code :message-type},
 * {@code :event-type}, {@code :exception-type}, {@code :error-code}, {@code :error-message}, ...
 *
 * <p>Byte views are exact. Text accessors decode UTF-8 with U+FFFD for invalid sequences, and allocate;
 * hot paths read the byte views.
 */
public final class Frame
{
    private static final String MESSAGE_TYPE = ":message-type";

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
    private DirectBuffer headersBuffer;
    private int headersOffset;
    private int headersLength;
    /** Where the framer found the first {@code :message-type} string value in the headers; length -1 if none. */
    private int messageTypeOffset;
    private int messageTypeLength = -1;
    private long headersSerial;
    private long index;
    private long streamOffset;

    static
    {
        // Framers hand over the same few buffers event after event: a reference is stored only when it changes, since
        // each store of one costs a garbage collector's write barrier, a measurable part of framing a short event.
        FrameAccess.install(new FrameAccess()
        {
            public Frame newFrame()
            {
                return new Frame();
            }

            public void payload(final Frame frame, final DirectBuffer buffer, final int offset, final int length)
            {
                if (frame.payloadBuffer != buffer)
                {
                    frame.payloadBuffer = buffer;
                }
                frame.payloadOffset = offset;
                frame.payloadLength = length;
            }

            public void type(final Frame frame, final DirectBuffer buffer, final int offset, final int length)
            {
                if (frame.typeBuffer != buffer)
                {
                    frame.typeBuffer = buffer;
                }
                frame.typeOffset = offset;
                frame.typeLength = length;
            }

            public void id(
                final Frame frame, final DirectBuffer buffer, final int offset, final int length, final boolean present)
            {
                if (frame.idBuffer != buffer)
                {
                    frame.idBuffer = buffer;
                }
                frame.idOffset = offset;
                frame.idLength = length;
                frame.hasId = present;
            }

            public void headers(final Frame frame, final DirectBuffer buffer, final int offset, final int length,
                final int messageTypeOffset, final int messageTypeLength, final long serial)
            {
                if (frame.headersBuffer != buffer)
                {
                    frame.headersBuffer = buffer;
                }
                frame.headersOffset = offset;
                frame.headersLength = length;
                frame.messageTypeOffset = messageTypeOffset;
                frame.messageTypeLength = messageTypeLength;
                frame.headersSerial = serial;
            }

            public void position(final Frame frame, final long index, final long streamOffset)
            {
                frame.index = index;
                frame.streamOffset = streamOffset;
            }
        });
    }

    /** Created by framers only. */
    private Frame()
    {
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

    /**
     * @return buffer holding the raw headers of an AWS eventstream message (null for other formats);
     * see {@link #headersLength()}.
     */
    public DirectBuffer headersBuffer()
    {
        return headersBuffer;
    }

    /** @return offset of the raw eventstream headers in {@link #headersBuffer()}. */
    public int headersOffset()
    {
        return headersOffset;
    }

    /** @return length of the raw eventstream headers in bytes; 0 for other formats. */
    public int headersLength()
    {
        return headersLength;
    }

    /**
     * Tells repeated eventstream header sections apart from new ones without comparing them: two frames with the same
     * nonzero serial have header sections of the same bytes (consecutive messages of a stream mostly do), so whatever a
     * listener concluded from one frame's headers holds for the other. A serial is never given to a different header
     * section, by any framer, also after a reset; a message whose section differs from its predecessor's gets a new
     * one. Only a number to compare, not a count of anything.
     *
     * @return the header section's serial, positive; 0 for frames without headers (SSE, NDJSON, JSON arrays).
     */
    public long headersSerial()
    {
        return headersSerial;
    }

    /**
     * Compares a string-valued eventstream header with ASCII text without decoding or allocating.
     *
     * @param name  header name, ASCII, e.g. {@code ":message-type"}.
     * @param ascii expected value, ASCII.
     * @return true when the frame has a string header of that name whose value equals {@code ascii}.
     */
    public boolean headerEquals(final String name, final String ascii)
    {
        if (MESSAGE_TYPE.equals(name))
        {
            return messageTypeLength >= 0 && Bytes.equalsAscii(headersBuffer, messageTypeOffset, messageTypeLength, ascii);
        }
        final int valueOffset = findStringHeader(name);
        return valueOffset >= 0 &&
            Bytes.equalsAscii(headersBuffer, valueOffset + 2, headersBuffer.getShort(valueOffset, ByteOrder.BIG_ENDIAN) &
            0xFFFF, ascii);
    }

    /**
     * Looks up a string-valued eventstream header, such as {@code :error-message}. Allocates; meant for
     * rare paths.
     *
     * @param name header name, ASCII.
     * @return the value decoded as UTF-8, or null when there is no string header of that name.
     */
    public String stringHeader(final String name)
    {
        final int valueOffset = findStringHeader(name);
        return valueOffset < 0 ? null :
            Utf8.decode(headersBuffer, valueOffset + 2, headersBuffer.getShort(valueOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    /** @return index of the 2-byte length of the named string header's value, or -1. */
    private int findStringHeader(final String name)
    {
        final DirectBuffer buffer = headersBuffer;
        if (buffer == null)
        {
            return -1;
        }
        // The framer validated the header section before delivering the frame, so the walk stays inside it.
        final int end = headersOffset + headersLength;
        int p = headersOffset;
        while (p < end)
        {
            final int nameLength = buffer.getByte(p) & 0xFF;
            final int nameOffset = p + 1;
            p = nameOffset + nameLength;
            final byte type = buffer.getByte(p++);
            if (type == EventStreamHeaders.STRING && Bytes.equalsAscii(buffer, nameOffset, nameLength, name))
            {
                return p;
            }
            int valueLength = EventStreamHeaders.valueLength(type);
            if (valueLength == EventStreamHeaders.VARIABLE)
            {
                valueLength = 2 + (buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            }
            p += valueLength;
        }
        return -1;
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
