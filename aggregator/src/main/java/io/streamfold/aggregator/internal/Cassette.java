package io.streamfold.aggregator.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.streamfold.aggregator.internal.json.Utf8Check;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FramingLimits;

/**
 * Recorded "cassettes" (a JSON object whose {@code response.body} is the array of streamed chunks, each under
 * {@code __data__}, or raw text chunks, as the project's seed stream) turned back into the SSE bytes the provider
 * sent, {@code data: <chunk>} and a blank line per chunk, as the cassette's bytes arrive: a cassette is a stream
 * too, read with the stream's limits and never held whole.
 *
 * <p>Recognised by structure, not by text: input is a cassette once it opens a JSON object whose {@code response}
 * object holds a {@code body} array, whatever the indentation or field order; it is not one as soon as it starts
 * with anything but an object or that object ends without one. Chunks are copied byte for byte, never
 * re-serialized, except for line breaks between tokens (a pretty-printed chunk), which would end an SSE line.
 *
 * <p>Memory is bounded by the framing limits: one chunk ({@code maxFrameBytes}), one string
 * ({@code maxFrameBytes}), nesting ({@code maxNestingDepth}). Past one, or on bytes that are not well-formed UTF-8
 * or JSON, {@link #feed} throws a {@link CassetteException} naming the kind and the byte offset; what was handed on
 * before stays handed on. Input that breaks a rule before it has shown a cassette's shape is not a cassette: it is
 * handed on as a stream, whose framing reports it. Not for hot paths.
 */
public final class Cassette
{
    /** Not decided yet: keep the bytes, they may be a stream. */
    public static final int UNDECIDED = 0;
    /** A cassette: its SSE bytes go to the sink. */
    public static final int CASSETTE = 1;
    /** Not a cassette: nothing went to the sink; hand the input on as it is. */
    public static final int NOT_A_CASSETTE = 2;

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    /** Receives the SSE bytes a cassette records. */
    public interface Sink
    {
        /** @param bytes valid only during the call. */
        void accept(byte[] bytes, int offset, int length);
    }

    /** Why a cassette cannot be read on: its kind, and the byte of the cassette where it was found. */
    public static final class CassetteException extends IOException
    {
        private static final long serialVersionUID = 1L;
        private final transient ErrorKind kind;
        private final long offset;

        CassetteException(final ErrorKind kind, final long offset, final String message)
        {
            super(message + " at byte " + offset);
            this.kind = kind;
            this.offset = offset;
        }

        /** @return LIMIT_EXCEEDED, MALFORMED_JSON or TRUNCATED. */
        public ErrorKind kind()
        {
            return kind;
        }

        /** @return the byte of the cassette where it was found. */
        public long offset()
        {
            return offset;
        }
    }

    // Where the parser is, as the depth of each container the structure check cares about.
    private static final int TOP = 0;
    private static final int IN_ROOT = 1;
    private static final int IN_RESPONSE = 2;
    private static final int IN_BODY = 3;
    private static final int IN_CHUNK = 4;
    private static final int DONE = 5;

    private final FramingLimits limits;
    private final Sink sink;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final Utf8Carry utf8 = new Utf8Carry();
    private long malformedAt = -1;
    private String malformedWhat;

    private int decision = UNDECIDED;
    private int where = TOP;
    /** Depth of containers inside the one {@link #where} names (values being skipped). */
    private int skipDepth;
    private String field;
    /** Bytes fed before the current slice. */
    private long base;
    /** Where the last token the parser returned ends. */
    private long tokenEnd;
    /** Where the root object ended when it closed without showing a cassette's shape, else -1. */
    private long rootEnd = -1;
    /** Where the current chunk's {@code __data__} value may start (just after its name), or -1. */
    private long dataFrom = -1;
    private boolean inValue;
    private int valueDepth;
    /** The current chunk's bytes from {@link #dataFrom} up to {@link #base}, when it spans slices. */
    private byte[] spill = new byte[0];
    private int spillLength;
    private byte[] out = new byte[256];

    public Cassette(final FramingLimits limits, final Sink sink)
    {
        this.limits = limits;
        this.sink = sink;
        final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(limits.maxFrameBytes())
                .maxNameLength(limits.maxLineBytes())
                .maxNestingDepth(limits.maxNestingDepth())
                .build())
            .build();
        try
        {
            parser = factory.createNonBlockingByteArrayParser();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
        feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
    }

    /**
     * @return the input offset just past the JSON object the input starts with, when that object closed without being a
     *         cassette (an NDJSON line, or a whole JSON document such as an HTTP error body); else -1.
     */
    public long rootObjectEnd()
    {
        return rootEnd;
    }

    /** @return {@link #UNDECIDED}, {@link #CASSETTE} or {@link #NOT_A_CASSETTE}. */
    public int decision()
    {
        return decision;
    }

    /**
     * Reads the next slice of the input; once it is a cassette, hands on the SSE bytes of every chunk completed.
     *
     * @return the decision so far; once {@link #NOT_A_CASSETTE}, later calls do nothing.
     * @throws CassetteException when the cassette is not well-formed or passes a limit.
     */
    public int feed(final byte[] bytes, final int offset, final int length) throws CassetteException
    {
        if (decision == NOT_A_CASSETTE || length == 0)
        {
            return decision;
        }
        if (malformedAt < 0)
        {
            final int malformed = utf8.check(bytes, offset, length);
            if (malformed >= 0)
            {
                // Refused once the input shows it is a cassette: a stream's own events are judged by the dialects.
                malformedAt = base + malformed - offset;
                malformedWhat = Utf8Check.describe(bytes, malformed, offset + length);
            }
        }
        try
        {
            feeder.feedInput(bytes, offset, offset + length);
            JsonToken t;
            while (decision != NOT_A_CASSETTE && (t = parser.nextToken()) != JsonToken.NOT_AVAILABLE && t != null)
            {
                tokenEnd = parser.currentLocation().getByteOffset();
                token(t, bytes, offset);
            }
            if (dataFrom >= 0 && decision == CASSETTE)
            {
                checkChunkSize(base + length - dataFrom);
            }
            else if (base + length - tokenEnd > limits.maxFrameBytes())
            {
                // The parser holds a token in progress whole; its own string limit is not checked until it ends.
                throw new StreamConstraintsException("a token longer than the frame limit (" + limits.maxFrameBytes() + " bytes)");
            }
        }
        catch (final CassetteException e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            if (decision == UNDECIDED)
            {
                // Not JSON, or past a limit before it showed a cassette's shape: a stream for the framers to judge.
                decision = NOT_A_CASSETTE;
                return decision;
            }
            refuseIllFormed();
            refuse(e instanceof StreamConstraintsException ? ErrorKind.LIMIT_EXCEEDED : ErrorKind.MALFORMED_JSON,
                parser.currentLocation().getByteOffset(), firstLine(e.getMessage()));
        }
        refuseIllFormed();
        if (dataFrom >= 0 && decision != NOT_A_CASSETTE)
        {
            keepSpanning(bytes, offset, length);
        }
        base += length;
        return decision;
    }

    /**
     * The input ended.
     *
     * @return the decision: input that ended undecided (a truncated first object) is not a cassette.
     * @throws CassetteException when a cassette ended before its root object closed.
     */
    public int end() throws CassetteException
    {
        if (decision == UNDECIDED)
        {
            decision = NOT_A_CASSETTE;
        }
        if (decision == CASSETTE)
        {
            if (utf8.pending() && malformedAt < 0)
            {
                refuse(ErrorKind.MALFORMED_JSON, base, "the cassette is not well-formed UTF-8 (a sequence cut at its end)");
            }
            if (where != DONE)
            {
                refuse(ErrorKind.TRUNCATED, base, "the cassette ends before its JSON object closes");
            }
        }
        return decision;
    }

    private void token(final JsonToken t, final byte[] bytes, final int offset) throws IOException
    {
        if (inValue || (dataFrom >= 0 && skipDepth == 0 && where == IN_CHUNK && t != JsonToken.FIELD_NAME))
        {
            dataValue(t, bytes, offset);
            return;
        }
        if (skipDepth > 0)
        {
            if (t.isStructStart())
            {
                skipDepth++;
            }
            else if (t.isStructEnd())
            {
                skipDepth--;
            }
            return;
        }
        switch (where)
        {
            case TOP:
                if (t != JsonToken.START_OBJECT)
                {
                    decision = NOT_A_CASSETTE;
                    return;
                }
                where = IN_ROOT;
                return;
            case IN_ROOT:
                if (t == JsonToken.FIELD_NAME)
                {
                    field = parser.currentName();
                }
                else if (t == JsonToken.END_OBJECT)
                {
                    end(IN_ROOT);
                }
                else if ("response".equals(field) && t == JsonToken.START_OBJECT)
                {
                    where = IN_RESPONSE;
                }
                else
                {
                    skip(t);
                }
                return;
            case IN_RESPONSE:
                if (t == JsonToken.FIELD_NAME)
                {
                    field = parser.currentName();
                }
                else if (t == JsonToken.END_OBJECT)
                {
                    where = IN_ROOT;
                    field = null;
                }
                else if ("body".equals(field) && t == JsonToken.START_ARRAY)
                {
                    where = IN_BODY;
                    decision = CASSETTE;
                }
                else
                {
                    skip(t);
                }
                return;
            case IN_BODY:
                if (t == JsonToken.END_ARRAY)
                {
                    where = IN_RESPONSE;
                    field = null;
                }
                else if (t == JsonToken.VALUE_STRING)
                {
                    // A body recorded as raw text chunks: they are the wire bytes themselves.
                    refuseIllFormedBefore(tokenEnd);
                    final byte[] text = parser.getText().getBytes(StandardCharsets.UTF_8);
                    sink.accept(text, 0, text.length);
                }
                else if (t == JsonToken.START_OBJECT)
                {
                    where = IN_CHUNK;
                }
                else
                {
                    skip(t);
                }
                return;
            case IN_CHUNK:
                if (t == JsonToken.END_OBJECT)
                {
                    where = IN_BODY;
                }
                else if (t == JsonToken.FIELD_NAME && "__data__".equals(parser.currentName()))
                {
                    dataFrom = parser.currentLocation().getByteOffset();
                    spillLength = 0;
                }
                else if (t != JsonToken.FIELD_NAME)
                {
                    skip(t);
                }
                return;
            default:
                refuse(ErrorKind.MALFORMED_JSON, parser.currentTokenLocation().getByteOffset(), "bytes after the cassette's object");
        }
    }

    private void end(final int level)
    {
        if (level == IN_ROOT)
        {
            where = DONE;
            if (decision == UNDECIDED)
            {
                decision = NOT_A_CASSETTE;
                rootEnd = tokenEnd;
            }
        }
    }

    private void skip(final JsonToken t)
    {
        if (t.isStructStart())
        {
            skipDepth = 1;
        }
    }

    /** A token of a chunk's {@code __data__} value: once the value is whole, its bytes are one SSE event. */
    private void dataValue(final JsonToken t, final byte[] bytes, final int offset) throws CassetteException
    {
        if (!inValue)
        {
            inValue = true;
            valueDepth = 0;
        }
        if (t.isStructStart())
        {
            valueDepth++;
        }
        else if (t.isStructEnd())
        {
            valueDepth--;
        }
        if (valueDepth > 0)
        {
            return;
        }
        final long end = parser.currentLocation().getByteOffset();
        emit(valueStart(end, bytes, offset), end, bytes, offset);
        inValue = false;
        dataFrom = -1;
        spillLength = 0;
    }

    /**
     * @return where the value starts: the first byte after its name that is neither the colon nor whitespace (the
     * non-blocking parser's token locations for a structure start are not exact).
     */
    private long valueStart(final long end, final byte[] bytes, final int offset)
    {
        long g = dataFrom;
        while (g < end)
        {
            final byte b = byteAt(g, bytes, offset);
            if (b != ':' && b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                break;
            }
            g++;
        }
        return g;
    }

    private byte byteAt(final long g, final byte[] bytes, final int offset)
    {
        return g < base ? spill[(int)(g - dataFrom)] : bytes[offset + (int)(g - base)];
    }

    /** Hands on {@code data: } and the cassette's bytes {@code [from, to)}, line breaks dropped, and a blank line. */
    private void emit(final long from, final long to, final byte[] bytes, final int offset) throws CassetteException
    {
        checkChunkSize(to - from);
        refuseIllFormedBefore(to);
        int n = 0;
        ensureOut((int)(to - from) + DATA.length + 2);
        System.arraycopy(DATA, 0, out, 0, DATA.length);
        n += DATA.length;
        for (long g = from; g < to; g++)
        {
            final byte b = byteAt(g, bytes, offset);
            // Inside a JSON value a raw line break can only be whitespace between tokens.
            if (b != '\n' && b != '\r')
            {
                out[n++] = b;
            }
        }
        out[n++] = '\n';
        out[n++] = '\n';
        sink.accept(out, 0, n);
    }

    /** Keeps the part of the slice that belongs to a chunk still open, bounded by the frame limit. */
    private void keepSpanning(final byte[] bytes, final int offset, final int length) throws CassetteException
    {
        final int from = dataFrom > base ? (int)(dataFrom - base) : 0;
        final int count = length - from;
        checkChunkSize((long)spillLength + count);
        if (spill.length < spillLength + count)
        {
            spill = java.util.Arrays.copyOf(spill, Math.max(spillLength + count, Math.min(limits.maxFrameBytes() + 16, spill.length * 2)));
        }
        System.arraycopy(bytes, offset + from, spill, spillLength, count);
        spillLength += count;
    }

    private void checkChunkSize(final long size) throws CassetteException
    {
        // The spill holds the name's colon and spaces too: a few bytes of slack over the frame limit.
        if (size > limits.maxFrameBytes() + 16L)
        {
            refuse(ErrorKind.LIMIT_EXCEEDED, dataFrom, "a cassette chunk larger than the frame limit (" + limits.maxFrameBytes() + " bytes)");
        }
    }

    private void ensureOut(final int size)
    {
        if (out.length < size)
        {
            out = new byte[Math.max(size, out.length * 2)];
        }
    }

    private void refuseIllFormed() throws CassetteException
    {
        refuseIllFormedBefore(Long.MAX_VALUE);
    }

    /** Nothing at or after an ill-formed byte is handed on: the parser would have decoded it leniently. */
    private void refuseIllFormedBefore(final long end) throws CassetteException
    {
        if (malformedAt >= 0 && malformedAt < end && decision == CASSETTE)
        {
            refuse(ErrorKind.MALFORMED_JSON, malformedAt, "the cassette is not well-formed UTF-8 (" + malformedWhat + ")");
        }
    }

    private void refuse(final ErrorKind kind, final long at, final String message) throws CassetteException
    {
        throw new CassetteException(kind, at, message);
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "not JSON";
        }
        final int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }

    /**
     * @param json a whole cassette.
     * @return the SSE body it records.
     * @throws IOException when it is not a cassette, not well-formed, or passes a default limit.
     */
    public static byte[] toSse(final byte[] json) throws IOException
    {
        final ByteArrayOutputStream sse = new ByteArrayOutputStream(json.length);
        final Cassette cassette = new Cassette(FramingLimits.DEFAULT, sse::write);
        cassette.feed(json, 0, json.length);
        if (cassette.end() != CASSETTE)
        {
            throw new IOException("no response.body array in the cassette");
        }
        return sse.toByteArray();
    }

    /** UTF-8 well-formedness across slices: a sequence cut by a slice's end is checked with the next one. */
    private static final class Utf8Carry
    {
        private final byte[] carry = new byte[4];
        private int carried;

        boolean pending()
        {
            return carried > 0;
        }

        /** @return the index in {@code bytes} of an ill-formed sequence, or -1. */
        int check(final byte[] bytes, final int offset, final int length)
        {
            int from = offset;
            final int end = offset + length;
            if (carried > 0)
            {
                final int need = sequenceLength(carry[0]) - carried;
                final int take = Math.min(need, length);
                System.arraycopy(bytes, from, carry, carried, take);
                carried += take;
                from += take;
                if (take < need)
                {
                    return -1;
                }
                final int bad = Utf8Check.firstMalformed(carry, 0, carried);
                carried = 0;
                if (bad >= 0)
                {
                    return offset;
                }
            }
            final int tail = cutTail(bytes, from, end);
            final int bad = Utf8Check.firstMalformed(bytes, from, end - tail - from);
            if (bad >= 0)
            {
                return bad;
            }
            System.arraycopy(bytes, end - tail, carry, 0, tail);
            carried = tail;
            return -1;
        }

        /** @return how many bytes at the end begin a sequence the slice cuts short. */
        private static int cutTail(final byte[] bytes, final int from, final int end)
        {
            for (int k = 1; k <= 3 && end - k >= from; k++)
            {
                final int b = bytes[end - k] & 0xFF;
                if ((b & 0xC0) != 0x80)
                {
                    return sequenceLength((byte)b) > k ? k : 0;
                }
            }
            return 0;
        }

        private static int sequenceLength(final byte lead)
        {
            final int b = lead & 0xFF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                return 2;
            }
            if (b >= 0xE0 && b <= 0xEF)
            {
                return 3;
            }
            return b >= 0xF0 && b <= 0xF4 ? 4 : 1;
        }
    }
}
