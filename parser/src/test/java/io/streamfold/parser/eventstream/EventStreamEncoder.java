package io.streamfold.parser.eventstream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Test-side writer of AWS eventstream messages, so tests can build any message, valid or broken. */
public final class EventStreamEncoder
{
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();

    public static byte[] event(final String eventType, final String payload)
    {
        return new EventStreamEncoder()
            .string(":event-type", eventType)
            .string(":content-type", "application/json")
            .string(":message-type", "event")
            .encode(payload.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public EventStreamEncoder string(final String name, final String value)
    {
        return variable(name, 7, value.getBytes(StandardCharsets.UTF_8));
    }

    public EventStreamEncoder bytes(final String name, final byte[] value)
    {
        return variable(name, 6, value);
    }

    public EventStreamEncoder bool(final String name, final boolean value)
    {
        return fixed(name, value ? 0 : 1, new byte[0]);
    }

    public EventStreamEncoder int8(final String name, final byte value)
    {
        return fixed(name, 2, new byte[]{value});
    }

    public EventStreamEncoder int16(final String name, final short value)
    {
        return fixed(name, 3, ByteBuffer.allocate(2).putShort(value).array());
    }

    public EventStreamEncoder int32(final String name, final int value)
    {
        return fixed(name, 4, ByteBuffer.allocate(4).putInt(value).array());
    }

    public EventStreamEncoder int64(final String name, final long value)
    {
        return fixed(name, 5, ByteBuffer.allocate(8).putLong(value).array());
    }

    public EventStreamEncoder timestamp(final String name, final long millis)
    {
        return fixed(name, 8, ByteBuffer.allocate(8).putLong(millis).array());
    }

    public EventStreamEncoder uuid(final String name, final long high, final long low)
    {
        return fixed(name, 9, ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

    /** Writes a header with any type byte and raw value bytes, for malformed-header tests. */
    public EventStreamEncoder raw(final String name, final int type, final byte[] value)
    {
        return fixed(name, type, value);
    }

    /** Appends raw bytes to the header section. */
    public EventStreamEncoder headerBytes(final byte... raw)
    {
        headers.writeBytes(raw);
        return this;
    }

    private EventStreamEncoder variable(final String name, final int type, final byte[] value)
    {
        final byte[] withLength = ByteBuffer.allocate(2 + value.length).putShort((short)value.length).put(value).array();
        return fixed(name, type, withLength);
    }

    private EventStreamEncoder fixed(final String name, final int type, final byte[] value)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        headers.write(nameBytes.length);
        headers.writeBytes(nameBytes);
        headers.write(type);
        headers.writeBytes(value);
        return this;
    }

    public byte[] encode(final byte[] payload)
    {
        final byte[] headerBytes = headers.toByteArray();
        final int total = 12 + headerBytes.length + payload.length + 4;
        final ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(headerBytes.length);
        out.putInt((int)crc(out.array(), 0, 8));
        out.put(headerBytes).put(payload);
        out.putInt((int)crc(out.array(), 0, total - 4));
        return out.array();
    }

    /** Builds a bare prelude with a correct CRC for arbitrary (possibly impossible) lengths. */
    static byte[] prelude(final int total, final int headersLength)
    {
        final ByteBuffer out = ByteBuffer.allocate(12);
        out.putInt(total).putInt(headersLength);
        out.putInt((int)crc(out.array(), 0, 8));
        return out.array();
    }

    static long crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
