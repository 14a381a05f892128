package io.streamfold.aggregator.internal.dialect.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Test-side writer of AWS eventstream messages as Bedrock ConverseStream sends them, byte-exact per the
 * eventstream format: prelude (total length, headers length, CRC32 of those 8 bytes, big-endian),
 * headers (name length, name, type 7 = string with a 2-byte length), payload, CRC32 of all that.
 *
 * <p>The shared corpus holds no real Bedrock recording, so the Bedrock tests build their streams here;
 * the payload shapes follow the ConverseStream API reference.
 */
public final class BedrockEventStream
{
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();

    /** A {@code :message-type event} message. */
    public static byte[] event(final String eventType, final String json)
    {
        return new BedrockEventStream()
            .header(":event-type", eventType)
            .header(":content-type", "application/json")
            .header(":message-type", "event")
            .encode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code :message-type exception} message, as Bedrock sends throttling and validation failures mid-stream. */
    public static byte[] exception(final String exceptionType, final String json)
    {
        return new BedrockEventStream()
            .header(":exception-type", exceptionType)
            .header(":content-type", "application/json")
            .header(":message-type", "exception")
            .encode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code :message-type error} message: code and message in headers, empty payload. */
    public static byte[] error(final String code, final String message)
    {
        return new BedrockEventStream()
            .header(":error-code", code)
            .header(":error-message", message)
            .header(":message-type", "error")
            .encode(new byte[0]);
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

    public BedrockEventStream header(final String name, final String value)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] v = value.getBytes(StandardCharsets.UTF_8);
        headers.write(n.length);
        headers.writeBytes(n);
        headers.write(7);
        headers.write(v.length >>> 8);
        headers.write(v.length & 0xFF);
        headers.writeBytes(v);
        return this;
    }

    public byte[] encode(final byte[] payload)
    {
        final byte[] h = headers.toByteArray();
        final int total = 12 + h.length + payload.length + 4;
        final ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(total).putInt(h.length);
        out.putInt((int)crc(out.array(), 0, 8));
        out.put(h).put(payload);
        out.putInt((int)crc(out.array(), 0, total - 4));
        return out.array();
    }

    public static long crc(final byte[] bytes, final int offset, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    /** JSON string literal of {@code s}, escaping what JSON requires. */
    public static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
