package io.streamfold.aggregator.internal.json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

/**
 * Reads a tool call's JSON arguments fragment by fragment and reports each field the moment its value is
 * complete: its JSON pointer (RFC 6901) and its raw JSON text. Fields at every depth count, array elements
 * count (with index segments), and an object or array value is reported once it closes, after its own fields.
 * The root value itself is not a field and is not reported.
 *
 * <p>Tokens come from Jackson's non-blocking parser, so no fragment is parsed twice: work per fragment is
 * proportional to the fragment. The raw text of a value is taken from a copy of the characters kept only while
 * a field of the root is open, so memory is bounded by the largest top-level field (and by the size limit).
 * Nothing is allocated per fragment in steady state.
 *
 * <p>Malformed input, content after the root value, too deep nesting or too many characters stop the reader:
 * nothing more is reported and {@link #failure()} says why. Not thread-safe; one instance serves one tool call
 * at a time and is reused through {@link #reset}.
 */
public final class ArgumentFieldReader
{
    /** Receives completed fields, as ranges of characters valid only during the call. */
    public interface FieldHandler
    {
        /**
         * A field's value is complete.
         *
         * @param pointer       holds the field's JSON pointer from index 0, e.g. {@code /a/b/0/c}.
         * @param pointerLength its length.
         * @param text          holds the value's JSON text exactly as streamed.
         * @param valueOffset   where the value starts in {@code text}.
         * @param valueLength   its length.
         */
        void onField(char[] pointer, int pointerLength, char[] text, int valueOffset, int valueLength);
    }

    private static final OutputStream DISCARD = new OutputStream()
    {
        @Override
        public void write(final int b)
        {
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
        }
    };

    private static final int[] NO_INTS = new int[0];

    // Where the encoder is in the JSON text: enough to find the first hex digit of a \\u escape.
    private static final int OUTSIDE = 0;
    private static final int IN_STRING = 1;
    private static final int AFTER_BACKSLASH = 2;
    private static final int FIRST_HEX = 3;
    private static final int LAST_HEX = 6;

    private final JsonFactory factory;
    private final int maxDepth;
    private final int maxChars;

    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private FieldHandler handler;
    private String failure;
    private boolean rootDone;

    // The characters fed, from absolute position capBase on; positions below are absolute (since the call began).
    private char[] cap = new char[64];
    private int capBase;
    private int capLength;
    private int encodedChars;
    private int bytesFed;
    private byte[] bytes = new byte[64];
    private int lexState;

    // Where the last token ended, in characters and in UTF-8 bytes.
    private int tokenEndChar;
    private int tokenEndByte;

    // The JSON pointer being built, and per open container: where its own pointer ends, next array index
    // (-1 for objects), and where its text starts.
    private final JsonPointerBuilder pointer = new JsonPointerBuilder();
    private int depth;
    private int[] segmentEnd = NO_INTS;
    private int[] nextIndex = NO_INTS;
    private int[] valueStart = NO_INTS;

    /**
     * @param maxDepth most nested containers, the root included.
     * @param maxChars most characters of arguments.
     */
    public ArgumentFieldReader(final int maxDepth, final int maxChars)
    {
        if (maxDepth < 1 || maxChars < 1)
        {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxDepth = maxDepth;
        this.maxChars = maxChars;
        // Jackson's own limits must not trip before ours (a 5,000-digit integer is still an argument).
        // Names are decoded from the raw text here, so Jackson need not intern them (String.intern per new name).
        this.factory = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth + 1)
                .maxNumberLength(maxChars)
                .maxStringLength(maxChars)
                .maxNameLength(maxChars)
                .build())
            .build();
    }

    /**
     * Starts reading a new tool call's arguments.
     *
     * @param handler receives the fields.
     */
    public void reset(final FieldHandler handler)
    {
        closeParser();
        this.handler = handler;
        failure = null;
        rootDone = false;
        capBase = 0;
        capLength = 0;
        encodedChars = 0;
        bytesFed = 0;
        lexState = OUTSIDE;
        tokenEndChar = 0;
        tokenEndByte = 0;
        pointer.truncate(0);
        depth = 0;
        try
        {
            parser = factory.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
        }
        catch (final IOException e)
        {
            fail("cannot start: " + e.getMessage());
        }
    }

    /**
     * Feeds the next fragment of the arguments text.
     *
     * @param chars  characters.
     * @param offset first one.
     * @param length how many.
     */
    public void feed(final char[] chars, final int offset, final int length)
    {
        if (!accepts(length))
        {
            return;
        }
        System.arraycopy(chars, offset, cap, capLength, length);
        capLength += length;
        parse(false);
    }

    /**
     * Feeds the next fragment of the arguments text.
     *
     * @param fragment characters.
     */
    public void feed(final CharSequence fragment)
    {
        final int length = fragment.length();
        if (!accepts(length))
        {
            return;
        }
        for (int i = 0; i < length; i++)
        {
            cap[capLength + i] = fragment.charAt(i);
        }
        capLength += length;
        parse(false);
    }

    /** The arguments are over: completes a trailing value, or records that the text stopped inside one. */
    public void end()
    {
        if (parser == null || failure != null)
        {
            return;
        }
        parse(true);
        if (failure == null && !rootDone)
        {
            fail(encodedChars == 0 ? "no arguments" : "arguments end inside a value");
        }
        closeParser();
    }

    /** @return true once the root value has closed with nothing malformed before it. */
    public boolean isComplete()
    {
        return rootDone && failure == null;
    }

    /** @return why reading stopped (malformed JSON, a limit, incomplete text), or null. */
    public String failure()
    {
        return failure;
    }

    private boolean accepts(final int length)
    {
        if (parser == null || failure != null)
        {
            return false;
        }
        if (length > maxChars - (capBase + capLength))
        {
            fail("arguments longer than " + maxChars + " characters");
            return false;
        }
        makeRoom(length);
        return true;
    }

    /** Drops text no open field can need any more, then grows: amortised O(1) per character. */
    private void makeRoom(final int length)
    {
        if (capLength + length <= cap.length)
        {
            return;
        }
        final int keepFrom = Math.min(depth >= 2 ? valueStart[1] : tokenEndChar, encodedChars);
        final int drop = keepFrom - capBase;
        final int kept = capLength - drop;
        char[] to = cap;
        if (kept + length > cap.length / 2)
        {
            to = new char[Math.max(cap.length * 2, kept + length)];
        }
        System.arraycopy(cap, drop, to, 0, kept);
        cap = to;
        capBase += drop;
        capLength = kept;
    }

    private void parse(final boolean last)
    {
        final int chunkStart = bytesFed;
        final int n = encode(last);
        try
        {
            if (n > 0)
            {
                feeder.feedInput(bytes, 0, n);
            }
            if (last)
            {
                feeder.endOfInput();
            }
            JsonToken t;
            while (failure == null && (t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE)
            {
                if (last && depth > 0)
                {
                    // Only a number waits for the end of input, and inside an open container the text is cut
                    // short: the number's last digit is not known, so it is not reported.
                    break;
                }
                final int endByte = chunkStart + n - parser.releaseBuffered(DISCARD);
                final int start = skipSeparators(tokenEndChar);
                advance(endByte);
                token(t, start);
            }
        }
        catch (final IOException e)
        {
            fail("malformed JSON at character " + tokenEndChar + ": " + firstLine(e.getMessage()));
        }
    }

    /** Encodes the characters not yet given to the parser as UTF-8, holding back a high surrogate whose pair may follow. */
    private int encode(final boolean last)
    {
        final int end = capBase + capLength;
        if (bytes.length < (end - encodedChars) * 3)
        {
            bytes = new byte[Math.max(bytes.length * 2, (end - encodedChars) * 3)];
        }
        final byte[] out = bytes;
        final char[] in = cap;
        int o = 0;
        int i = encodedChars - capBase;
        final int limit = capLength;
        while (i < limit)
        {
            final char c = in[i];
            if (c < 0x80)
            {
                out[o++] = lexState == OUTSIDE && c != '"' ? (byte)c : lex(c);
                i++;
            }
            else if (c < 0x800)
            {
                out[o++] = (byte)(0xC0 | (c >> 6));
                out[o++] = (byte)(0x80 | (c & 0x3F));
                i++;
            }
            else if (Character.isHighSurrogate(c) && i + 1 == limit && !last)
            {
                break;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < limit && Character.isLowSurrogate(in[i + 1]))
            {
                final int cp = Character.toCodePoint(c, in[i + 1]);
                out[o++] = (byte)(0xF0 | (cp >> 18));
                out[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                out[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (byte)(0x80 | (cp & 0x3F));
                i += 2;
            }
            else
            {
                // A lone surrogate cannot be UTF-8: it goes to the parser as U+FFFD, one character for three bytes.
                final int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                out[o++] = (byte)(0xE0 | (cp >> 12));
                out[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (byte)(0x80 | (cp & 0x3F));
                i++;
            }
        }
        encodedChars = capBase + i;
        bytesFed += o;
        return o;
    }

    /**
     * Follows strings and escapes. Jackson's non-blocking parser (2.21) rejects an escaped surrogate pair in a
     * field name, so every {@code \\uD...} escape reaches it as {@code \\u0...}: as long, as valid, and never a
     * surrogate. Nothing read here comes from Jackson's decoded text (values are raw, names are decoded below), so
     * the substitution changes no result.
     */
    private byte lex(final char c)
    {
        switch (lexState)
        {
            case OUTSIDE:
                lexState = c == '"' ? IN_STRING : OUTSIDE;
                return (byte)c;
            case IN_STRING:
                lexState = c == '\\' ? AFTER_BACKSLASH : c == '"' ? OUTSIDE : IN_STRING;
                return (byte)c;
            case AFTER_BACKSLASH:
                lexState = c == 'u' ? FIRST_HEX : IN_STRING;
                return (byte)c;
            case FIRST_HEX:
                lexState++;
                return c == 'd' || c == 'D' ? (byte)'0' : (byte)c;
            default:
                lexState = lexState == LAST_HEX ? IN_STRING : lexState + 1;
                return (byte)c;
        }
    }

    /** Moves the token-end cursor to byte {@code endByte}, counting characters by their UTF-8 length. */
    private void advance(final int endByte)
    {
        int b = tokenEndByte;
        int c = tokenEndChar - capBase;
        final char[] in = cap;
        while (b < endByte)
        {
            final char ch = in[c];
            if (ch < 0x80)
            {
                b++;
                c++;
            }
            else if (ch < 0x800)
            {
                b += 2;
                c++;
            }
            else if (Character.isHighSurrogate(ch) && Character.isLowSurrogate(in[c + 1]))
            {
                b += 4;
                c += 2;
            }
            else
            {
                b += 3;
                c++;
            }
        }
        tokenEndByte = b;
        tokenEndChar = capBase + c;
    }

    private int skipSeparators(final int from)
    {
        int c = from - capBase;
        while (c < capLength)
        {
            final char ch = cap[c];
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != ',' && ch != ':')
            {
                break;
            }
            c++;
        }
        return capBase + c;
    }

    private void token(final JsonToken t, final int start)
    {
        if (rootDone)
        {
            fail("content after the arguments value at character " + start);
            return;
        }
        switch (t)
        {
            case START_OBJECT:
            case START_ARRAY:
                if (depth == maxDepth)
                {
                    fail("arguments nested deeper than " + maxDepth);
                    return;
                }
                enterValue();
                push(t == JsonToken.START_ARRAY ? 0 : -1, start);
                break;
            case END_OBJECT:
            case END_ARRAY:
                depth--;
                pointer.truncate(segmentEnd[depth]);
                if (depth == 0)
                {
                    rootDone = true;
                }
                else
                {
                    report(valueStart[depth], tokenEndChar);
                }
                break;
            case FIELD_NAME:
                pointer.truncate(segmentEnd[depth - 1]);
                pointer.appendName(cap, start - capBase);
                break;
            default:
                if (depth == 0)
                {
                    rootDone = true;
                    return;
                }
                enterValue();
                report(start, trimEnd(start, tokenEndChar));
        }
    }

    /** A value begins: inside an array its segment is the element index. */
    private void enterValue()
    {
        if (depth > 0 && nextIndex[depth - 1] >= 0)
        {
            pointer.truncate(segmentEnd[depth - 1]);
            pointer.appendIndex(nextIndex[depth - 1]++);
        }
    }

    private void push(final int index, final int start)
    {
        if (depth == segmentEnd.length)
        {
            final int size = Math.max(8, depth * 2);
            segmentEnd = Arrays.copyOf(segmentEnd, size);
            nextIndex = Arrays.copyOf(nextIndex, size);
            valueStart = Arrays.copyOf(valueStart, size);
        }
        segmentEnd[depth] = pointer.length();
        nextIndex[depth] = index;
        valueStart[depth] = start;
        depth++;
    }

    /** A number or literal ends where the parser saw the delimiter that ended it; the delimiter is not part of it. */
    private int trimEnd(final int start, final int end)
    {
        int e = end - capBase;
        final int s = start - capBase;
        while (e > s)
        {
            final char ch = cap[e - 1];
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != ',' && ch != '}' && ch != ']')
            {
                break;
            }
            e--;
        }
        return capBase + e;
    }

    private void report(final int start, final int end)
    {
        handler.onField(pointer.chars(), pointer.length(), cap, start - capBase, end - start);
    }

    private void fail(final String why)
    {
        if (failure == null)
        {
            failure = why;
        }
        closeParser();
    }

    private void closeParser()
    {
        if (parser != null)
        {
            try
            {
                parser.close();
            }
            catch (final IOException ignored)
            {
                // Nothing is held that a failed close could leak.
            }
            parser = null;
            feeder = null;
        }
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "unreadable";
        }
        final int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
