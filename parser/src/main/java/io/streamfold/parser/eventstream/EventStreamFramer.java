package io.streamfold.parser.eventstream;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.AbstractFramer;
import io.streamfold.parser.internal.Bytes;
import io.streamfold.parser.internal.SpillBuffer;
import io.streamfold.parser.internal.EventStreamHeaders;

/**
 * Decodes AWS {@code application/vnd.amazon.eventstream} messages, as Amazon Bedrock's
 * {@code ConverseStream} sends them. Each message is: a 12-byte prelude (total length, headers length,
 * CRC32 of those 8 bytes, all big-endian), the headers, the payload, and a CRC32 of everything before it.
 *
 * <p>Each valid message is delivered as one {@link Frame}: the payload is the message payload, and the
 * type is the {@code :event-type} header, or, when {@code :message-type} is {@code exception}, the
 * {@code :exception-type} header, or, when it is {@code error}, the {@code :error-code} header (empty when
 * the header is absent). {@link Frame#streamOffset()} is the offset of the message's first byte. During
 * the callback the frame's header views give access to all headers: {@link Frame#headerEquals(String, String)}
 * tells events ({@code :message-type} {@code event}) from exceptions and errors, and
 * {@link Frame#stringHeader(String)} reads, for example, {@code :error-message}. A header name given twice
 * counts the first time.
 *
 * <p>Errors, reported to {@link FrameListener#onError(StreamError)} at the message's start offset:
 * <ul>
 *   <li>{@link ErrorKind#CHECKSUM_MISMATCH} on the prelude CRC: the lengths cannot be trusted, so framing
 *       is lost and the framer stops, ignoring the rest of the stream until {@link #reset()}.</li>
 *   <li>{@link ErrorKind#MALFORMED_FRAMING} for impossible prelude lengths (total below 16, headers longer
 *       than total minus 16): framing is lost too and the framer stops.</li>
 *   <li>{@link ErrorKind#FRAME_TOO_LARGE} when the total length passes {@link FramingLimits#maxFrameBytes()}:
 *       the prelude is intact, so the message is skipped without buffering and framing goes on.</li>
 *   <li>{@link ErrorKind#CHECKSUM_MISMATCH} on the message CRC, or {@link ErrorKind#MALFORMED_FRAMING} for
 *       headers that do not parse (overrunning their section, unknown value type): that message is dropped
 *       and framing goes on with the next one, since its length was checked.</li>
 *   <li>{@link ErrorKind#TRUNCATED} when {@link #end()} comes inside a message.</li>
 * </ul>
 *
 * <p>A message inside one fed slice is read in place: payload and header views point at the caller's
 * bytes. A message spanning slices is copied into one reusable buffer of at most {@code maxFrameBytes}.
 * Message CRCs are computed with {@link CRC32} directly over heap bytes; off-heap bytes go through a small fixed
 * scratch array, so nothing is allocated per message. The prelude's 8 bytes are checked by table
 * ({@code PreludeCrc}), cheaper than a {@link CRC32} call for so few bytes. The header section of the last
 * message (up to 256 bytes) is kept: a message repeating it byte for byte reuses what its walk found.
 */
public final class EventStreamFramer extends AbstractFramer
{
    static final int PRELUDE_LENGTH = 12;
    static final int MIN_MESSAGE_LENGTH = 16;
    private static final long UINT_MASK = 0xFFFF_FFFFL;
    private static final int READING = 0;
    private static final int SKIPPING = 1;
    private static final int FAILED = 2;
    private static final byte[] EVENT_TYPE = ascii(":event-type");
    private static final byte[] MESSAGE_TYPE = ascii(":message-type");
    private static final byte[] EXCEPTION_TYPE = ascii(":exception-type");
    private static final byte[] ERROR_CODE = ascii(":error-code");
    private static final byte[] EXCEPTION = ascii("exception");
    private static final byte[] ERROR = ascii("error");
    /** Longer header sections are walked every time rather than kept for comparison. */
    private static final int MAX_REMEMBERED_HEADERS = 256;

    private final SpillBuffer spill;
    private final int maxFrameBytes;
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[256];

    private int state = READING;
    private long messageStartOffset;
    private int messageLength;
    private long skipRemaining;

    /**
     * What the last header walk found, relative to the start of the headers: the frame type (the event type, or
     * for an exception or error the exception type or error code) and the {@code :message-type} value; length -1
     * when absent.
     */
    private int typeAt;
    private int typeLength;
    private int messageTypeAt;
    private int messageTypeLength;
    /** The header bytes that walk read, for {@link #sameHeaders}; length -1 when none are known. */
    private final byte[] knownHeaders = new byte[MAX_REMEMBERED_HEADERS];
    private int knownHeadersLength = -1;
    /**
     * {@link Frame#headersSerial()}: a new one for every header walk (a section not the last one's bytes), drawn from
     * one count for all framers, so that a listener's conclusion about one section is never taken for another's, even
     * across resets or when the listener outlives its framer. Walks are rare (headers mostly repeat).
     */
    private static final AtomicLong SERIALS = new AtomicLong();
    private long headersSerial;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives the messages and errors.
     */
    public EventStreamFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives the messages and errors.
     * @param limits   {@link FramingLimits#maxFrameBytes()} bounds a whole message, prelude and CRC included.
     */
    public EventStreamFramer(final FrameListener listener, final FramingLimits limits)
    {
        super(listener, limits);
        maxFrameBytes = limits.maxFrameBytes();
        spill = new SpillBuffer(Math.max(maxFrameBytes, PRELUDE_LENGTH));
    }

    @Override
    protected void onBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final long base = bytesFed - offset;
        int i = offset;
        while (i < end)
        {
            if (state == FAILED)
            {
                return;
            }
            if (state == SKIPPING)
            {
                final int n = (int)Math.min(skipRemaining, end - i);
                i += n;
                skipRemaining -= n;
                if (skipRemaining == 0)
                {
                    state = READING;
                }
                continue;
            }

            final int available = end - i;
            if (spill.isEmpty())
            {
                messageStartOffset = base + i;
                if (available >= PRELUDE_LENGTH)
                {
                    if (!checkPrelude(buffer, i))
                    {
                        i += PRELUDE_LENGTH;
                        continue;
                    }
                    if (available >= messageLength)
                    {
                        decode(buffer, i);
                        i += messageLength;
                        continue;
                    }
                }
                spill.append(buffer, i, available);
                i = end;
                continue;
            }

            if (spill.length() < PRELUDE_LENGTH)
            {
                final int n = Math.min(PRELUDE_LENGTH - spill.length(), available);
                spill.append(buffer, i, n);
                i += n;
                if (spill.length() < PRELUDE_LENGTH)
                {
                    continue;
                }
                if (!checkPrelude(spill.buffer(), 0))
                {
                    spill.clear();
                    continue;
                }
            }
            final int n = Math.min(messageLength - spill.length(), end - i);
            spill.append(buffer, i, n);
            i += n;
            if (spill.length() == messageLength)
            {
                decode(spill.buffer(), 0);
                spill.clear();
            }
        }
    }

    /**
     * Validates the 12-byte prelude at {@code index}. On success sets {@link #messageLength}; otherwise
     * reports the error and moves to {@link #SKIPPING} or {@link #FAILED}.
     */
    private boolean checkPrelude(final DirectBuffer buffer, final int index)
    {
        final long total = buffer.getInt(index, ByteOrder.BIG_ENDIAN) & UINT_MASK;
        final long headers = buffer.getInt(index + 4, ByteOrder.BIG_ENDIAN) & UINT_MASK;
        final long expectedCrc = buffer.getInt(index + 8, ByteOrder.BIG_ENDIAN) & UINT_MASK;
        if (PreludeCrc.of(buffer, index) != expectedCrc)
        {
            fail(ErrorKind.CHECKSUM_MISMATCH, "eventstream prelude CRC mismatch");
            return false;
        }
        if (total < MIN_MESSAGE_LENGTH || headers > total - MIN_MESSAGE_LENGTH)
        {
            fail(ErrorKind.MALFORMED_FRAMING, "impossible eventstream prelude: total length " + total +
                ", headers length " + headers);
            return false;
        }
        if (total > maxFrameBytes)
        {
            state = SKIPPING;
            skipRemaining = total - PRELUDE_LENGTH;
            error(ErrorKind.FRAME_TOO_LARGE, messageStartOffset, "eventstream message of " + total +
                " bytes is larger than " + maxFrameBytes + "; skipped");
            return false;
        }
        messageLength = (int)total;
        return true;
    }

    private void fail(final ErrorKind kind, final String message)
    {
        state = FAILED;
        error(kind, messageStartOffset, message + "; framing lost, ignoring the rest of the stream");
    }

    /** Checks the message CRC, reads the headers and delivers the message at {@code index}. */
    private void decode(final DirectBuffer buffer, final int index)
    {
        final int crcIndex = index + messageLength - 4;
        crc.reset();
        crcUpdate(buffer, index, messageLength - 4);
        if (crc.getValue() != (buffer.getInt(crcIndex, ByteOrder.BIG_ENDIAN) & UINT_MASK))
        {
            error(ErrorKind.CHECKSUM_MISMATCH, messageStartOffset, "eventstream message CRC mismatch; dropped");
            return;
        }

        final int headersStart = index + PRELUDE_LENGTH;
        final int headersLength = buffer.getInt(index + 4, ByteOrder.BIG_ENDIAN);
        final int headersEnd = headersStart + headersLength;
        if (!sameHeaders(buffer, headersStart, headersLength))
        {
            if (!readHeaders(buffer, headersStart, headersEnd))
            {
                error(ErrorKind.MALFORMED_FRAMING, messageStartOffset, "eventstream headers do not parse; dropped");
                return;
            }
            rememberHeaders(buffer, headersStart, headersLength);
            headersSerial = SERIALS.incrementAndGet();
        }

        FRAMES.headers(frame, buffer, headersStart, headersLength, headersStart + messageTypeAt, messageTypeLength, headersSerial);
        FRAMES.payload(frame, buffer, headersEnd, crcIndex - headersEnd);
        if (typeLength < 0)
        {
            FRAMES.type(frame, buffer, index, 0);
        }
        else
        {
            FRAMES.type(frame, buffer, headersStart + typeAt, typeLength);
        }
        FRAMES.id(frame, buffer, index, 0, false);
        FRAMES.position(frame, framesDelivered, messageStartOffset);
        listener.onFrame(frame);
        framesDelivered++;
        FRAMES.headers(frame, null, 0, 0, 0, -1, 0);
    }

    /**
     * Consecutive messages of a stream mostly carry the same header bytes (the same event type, content type and
     * message type): the same bytes parse the same way, so the walk's findings are reused.
     */
    private boolean sameHeaders(final DirectBuffer buffer, final int start, final int length)
    {
        return length == knownHeadersLength && Bytes.equals(buffer, start, length, knownHeaders, length);
    }

    private void rememberHeaders(final DirectBuffer buffer, final int start, final int length)
    {
        if (length > MAX_REMEMBERED_HEADERS)
        {
            knownHeadersLength = -1;
            return;
        }
        buffer.getBytes(start, knownHeaders, 0, length);
        knownHeadersLength = length;
    }

    /**
     * Walks the headers, noting where the four string headers this framer uses are (length -1 when
     * absent). A name given twice counts the first time, as {@link Frame}'s lookups read it.
     *
     * @return false when a header overruns the section or has an unknown value type.
     */
    private boolean readHeaders(final DirectBuffer buffer, final int start, final int end)
    {
        int eventTypeAt = 0;
        int eventTypeLength = -1;
        int exceptionTypeAt = 0;
        int exceptionTypeLength = -1;
        int errorCodeAt = 0;
        int errorCodeLength = -1;
        messageTypeAt = 0;
        messageTypeLength = -1;
        int p = start;
        while (p < end)
        {
            final int nameLength = buffer.getByte(p) & 0xFF;
            final int nameOffset = p + 1;
            p = nameOffset + nameLength;
            if (p >= end)
            {
                return false;
            }
            final byte type = buffer.getByte(p++);
            int valueLength = EventStreamHeaders.valueLength(type);
            if (valueLength == EventStreamHeaders.UNKNOWN)
            {
                return false;
            }
            if (valueLength == EventStreamHeaders.VARIABLE)
            {
                if (p + 2 > end)
                {
                    return false;
                }
                valueLength = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                p += 2;
            }
            if (valueLength > end - p)
            {
                return false;
            }
            // Told apart by length first; a name given twice counts the first time.
            if (type != EventStreamHeaders.STRING)
            {
                p += valueLength;
                continue;
            }
            if (nameLength == EVENT_TYPE.length)
            {
                if (eventTypeLength < 0 && Bytes.equals(buffer, nameOffset, nameLength, EVENT_TYPE, nameLength))
                {
                    eventTypeAt = p - start;
                    eventTypeLength = valueLength;
                }
                else if (errorCodeLength < 0 && Bytes.equals(buffer, nameOffset, nameLength, ERROR_CODE, nameLength))
                {
                    errorCodeAt = p - start;
                    errorCodeLength = valueLength;
                }
            }
            else if (nameLength == MESSAGE_TYPE.length)
            {
                if (messageTypeLength < 0 && Bytes.equals(buffer, nameOffset, nameLength, MESSAGE_TYPE, nameLength))
                {
                    messageTypeAt = p - start;
                    messageTypeLength = valueLength;
                }
            }
            else if (nameLength == EXCEPTION_TYPE.length && exceptionTypeLength < 0 &&
                Bytes.equals(buffer, nameOffset, nameLength, EXCEPTION_TYPE, nameLength))
            {
                exceptionTypeAt = p - start;
                exceptionTypeLength = valueLength;
            }
            p += valueLength;
        }
        typeAt = eventTypeAt;
        typeLength = eventTypeLength;
        if (messageTypeLength >= 0)
        {
            final int at = start + messageTypeAt;
            if (Bytes.equals(buffer, at, messageTypeLength, EXCEPTION, EXCEPTION.length))
            {
                typeAt = exceptionTypeAt;
                typeLength = exceptionTypeLength;
            }
            else if (Bytes.equals(buffer, at, messageTypeLength, ERROR, ERROR.length))
            {
                typeAt = errorCodeAt;
                typeLength = errorCodeLength;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void crcUpdate(final DirectBuffer buffer, final int index, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.update(array, buffer.wrapAdjustment() + index, length);
            return;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(scratch.length, length - done);
            buffer.getBytes(index + done, scratch, 0, n);
            crc.update(scratch, 0, n);
            done += n;
        }
    }

    @Override
    protected void onEnd()
    {
        if (state == READING && !spill.isEmpty() || state == SKIPPING)
        {
            error(ErrorKind.TRUNCATED, messageStartOffset, "stream ended inside an eventstream message");
        }
        state = FAILED;
        spill.clear();
    }

    @Override
    public void reset()
    {
        super.reset();
        spill.trim();
        state = READING;
        messageStartOffset = 0;
        messageLength = 0;
        skipRemaining = 0;
        knownHeadersLength = -1;
    }

    /** @return bytes held by this framer's reusable buffers now: bounded by the {@link FramingLimits}, for monitoring. */
    public int retainedBytes()
    {
        return spill.buffer().capacity() + scratch.length + knownHeaders.length;
    }
}
