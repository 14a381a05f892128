package io.streamfold.parser.eventstream;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.FrameAccess;
import org.agrona.DirectBuffer;

/**
 * Bedrock's {@code InvokeModelWithResponseStream}: every eventstream message of {@code :event-type chunk} holds
 * {@code {"bytes":"<base64>"}} (beside Bedrock's {@code "p"} padding), the base64 of one model event's JSON: an
 * Anthropic Messages event for Claude, a Converse-shaped event for Nova. This listener, put between an
 * {@link EventStreamFramer} and the dialect's listener, decodes it and hands over the same frame (type {@code chunk},
 * headers as sent) with the model event as its payload. Any other message (an exception, another event type) passes
 * through unchanged. A chunk whose {@code bytes} is missing or not base64 is reported ({@link ErrorKind#MALFORMED_FRAMING})
 * and skipped. Decodes into one buffer reused chunk after chunk; no allocation per chunk once it has grown.
 */
public final class InvokeChunks implements FrameListener
{
    /** The {@code :event-type} of the messages this listener decodes. */
    public static final String CHUNK = "chunk";

    private static final FrameAccess FRAMES = FrameAccess.get();
    private static final byte[] BYTES_KEY = {'b', 'y', 't', 'e', 's'};
    /** The value of each base64 character, -1 for any other byte. */
    private static final byte[] BASE64 = new byte[256];

    static
    {
        java.util.Arrays.fill(BASE64, (byte)-1);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++)
        {
            BASE64[alphabet.charAt(i)] = (byte)i;
        }
    }

    /** The decode buffer kept between chunks; one grown past it for a larger chunk is dropped at the next small one. */
    private static final int KEPT_BYTES = 64 * 1024;

    private final FrameListener listener;
    private byte[] decoded = new byte[256];
    private DirectBuffer decodedView = Buffers.wrap(decoded);

    /** @param listener receives every frame, chunks with their model event as payload. */
    public InvokeChunks(final FrameListener listener)
    {
        this.listener = listener;
    }

    @Override
    public void onFrame(final Frame frame)
    {
        if (!frame.typeEquals(CHUNK) || !frame.headerEquals(":message-type", "event"))
        {
            listener.onFrame(frame);
            return;
        }
        if (decoded.length > KEPT_BYTES && frame.length() <= KEPT_BYTES)
        {
            // One large chunk (an image) grew the buffer: not kept for the rest of the stream, nor a pooled next one.
            decoded = new byte[KEPT_BYTES];
            decodedView = Buffers.wrap(decoded);
        }
        final int length = decode(frame.buffer(), frame.offset(), frame.offset() + frame.length());
        if (length < 0)
        {
            listener.onError(new StreamError(ErrorKind.MALFORMED_FRAMING, frame.index(), frame.streamOffset(),
                "invoke stream chunk without a base64 \"bytes\" string; skipped"));
            return;
        }
        FRAMES.payload(frame, decodedView, 0, length);
        listener.onFrame(frame);
    }

    @Override
    public void onError(final StreamError error)
    {
        listener.onError(error);
    }

    /** @return the decoded length of the payload's top-level {@code bytes} string, or -1 when it has none that decodes. */
    private int decode(final DirectBuffer src, final int from, final int to)
    {
        int i = skipBlanks(src, from, to);
        if (i >= to || src.getByte(i) != '{')
        {
            return -1;
        }
        i++;
        while (true)
        {
            i = skipBlanks(src, i, to);
            if (i >= to || src.getByte(i) != '"')
            {
                return -1;
            }
            final int keyStart = i + 1;
            final int keyEnd = stringEnd(src, keyStart, to);
            if (keyEnd < 0)
            {
                return -1;
            }
            i = skipBlanks(src, keyEnd + 1, to);
            if (i >= to || src.getByte(i) != ':')
            {
                return -1;
            }
            i = skipBlanks(src, i + 1, to);
            if (i >= to)
            {
                return -1;
            }
            if (isBytesKey(src, keyStart, keyEnd))
            {
                return src.getByte(i) == '"' ? base64(src, i + 1, to) : -1;
            }
            i = valueEnd(src, i, to);
            i = skipBlanks(src, i, to);
            if (i >= to || src.getByte(i) != ',')
            {
                return -1;
            }
            i++;
        }
    }

    /**
     * Decodes base64 from {@code from} to the closing quote. JSON may write {@code /} as {@code \/}: the backslash is
     * skipped; any other escape, or a character outside the alphabet, is not base64.
     */
    private int base64(final DirectBuffer src, final int from, final int to)
    {
        int out = 0;
        int bits = 0;
        int count = 0;
        int padding = 0;
        for (int i = from; i < to; i++)
        {
            final byte b = src.getByte(i);
            if (b == '"')
            {
                return end(out, bits, count % 4, padding);
            }
            if (b == '\\')
            {
                if (i + 1 >= to || src.getByte(i + 1) != '/')
                {
                    return -1;
                }
                continue;
            }
            if (b == '=')
            {
                padding++;
                continue;
            }
            final int v = BASE64[b & 0xFF];
            if (v < 0 || padding > 0)
            {
                return -1;
            }
            bits = bits << 6 | v;
            count++;
            if (count % 4 == 0)
            {
                ensure(out + 3);
                decoded[out++] = (byte)(bits >> 16);
                decoded[out++] = (byte)(bits >> 8);
                decoded[out++] = (byte)bits;
                bits = 0;
            }
        }
        return -1;
    }

    /** Writes the last group's bytes: {@code rest} characters after the last whole group, {@code padding} '=' after them. */
    private int end(final int out, final int bits, final int rest, final int padding)
    {
        if (rest == 0)
        {
            return padding == 0 ? out : -1;
        }
        if (rest == 1 || padding > 4 - rest)
        {
            return -1;
        }
        ensure(out + 2);
        decoded[out] = (byte)(rest == 2 ? bits >> 4 : bits >> 10);
        if (rest == 2)
        {
            return out + 1;
        }
        decoded[out + 1] = (byte)(bits >> 2);
        return out + 2;
    }

    private void ensure(final int capacity)
    {
        if (capacity > decoded.length)
        {
            decoded = java.util.Arrays.copyOf(decoded, Math.max(capacity, decoded.length * 2));
            decodedView = Buffers.wrap(decoded);
        }
    }

    private static boolean isBytesKey(final DirectBuffer src, final int from, final int to)
    {
        if (to - from != BYTES_KEY.length)
        {
            return false;
        }
        for (int k = 0; k < BYTES_KEY.length; k++)
        {
            if (src.getByte(from + k) != BYTES_KEY[k])
            {
                return false;
            }
        }
        return true;
    }

    private static int skipBlanks(final DirectBuffer src, final int from, final int to)
    {
        int i = from;
        while (i < to)
        {
            final byte b = src.getByte(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                break;
            }
            i++;
        }
        return i;
    }

    /** @return the index of the quote closing the string whose first character is at {@code from}, or -1. */
    private static int stringEnd(final DirectBuffer src, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte b = src.getByte(i);
            if (b == '\\')
            {
                i++;
            }
            else if (b == '"')
            {
                return i;
            }
        }
        return -1;
    }

    /** @return the index just past the value starting at {@code from} (a string, a scalar or a nested structure). */
    private static int valueEnd(final DirectBuffer src, final int from, final int to)
    {
        int depth = 0;
        for (int i = from; i < to; i++)
        {
            final byte b = src.getByte(i);
            if (b == '"')
            {
                final int end = stringEnd(src, i + 1, to);
                if (end < 0)
                {
                    return to;
                }
                i = end;
                if (depth == 0)
                {
                    return end + 1;
                }
            }
            else if (b == '{' || b == '[')
            {
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                if (depth == 0)
                {
                    return i;
                }
                if (--depth == 0)
                {
                    return i + 1;
                }
            }
            else if (depth == 0 && (b == ',' || b == ' ' || b == '\t' || b == '\n' || b == '\r'))
            {
                return i;
            }
        }
        return to;
    }
}
