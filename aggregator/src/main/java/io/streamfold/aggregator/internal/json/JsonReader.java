package io.streamfold.aggregator.internal.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.JsonScanner;
import org.agrona.DirectBuffer;

/**
 * Reads each event's JSON payload with one Jackson non-blocking parser per stream, fed payload after
 * payload as a sequence of root values. Reusing the parser is what keeps the steady state free of
 * garbage (a blocking parser would be a new object per event). A payload that is not exactly one
 * well-formed JSON value raises {@link BadPayload}; the parser is then replaced so the damage cannot
 * reach the next event.
 */
public final class JsonReader
{
    /** The most bytes one UTF-16 char of a string can take as sent (a {@code \}{@code uXXXX} escape). */
    private static final int MAX_BYTES_PER_CHAR = 6;

    private final AggregationLimits limits;
    /** The parser's string limit, which {@link #beginObject} enforces whatever the parser saw before. */
    private final int maxStringChars;
    private final CharView view = new CharView();
    private final DirectBuffer replay = Buffers.wrap(new byte[0]);
    private final DirectBuffer structureView = Buffers.wrap(new byte[0]);
    private final JsonScanner structureScanner = new JsonScanner();
    private final JsonSyntaxCheck syntax = new JsonSyntaxCheck();
    private final FedParser fed;
    private byte[] scratch = new byte[0];
    private String mismatch = "";

    private byte[] input;
    private int inputOffset;
    private int inputLength;
    /** Array offset just past the current payload's object when the syntax check read it whole, else -1. */
    private int checkedEnd = -1;
    /**
     * Whether the current token is a string the parser was not fed (a long value string of a checked payload, read in
     * the bytes instead, between {@link FedParser#lastElidedOpen} and {@link FedParser#lastElidedClose}).
     */
    private boolean elided;
    /** Whether {@link #elidedChars} holds the current elided string's characters. */
    private boolean elidedDecoded;
    private final StringDecoder elidedChars = new StringDecoder(MutableRawJson.LONG_STRING_BYTES);

    /** @return the longest string, in chars, this reader accepts: a reader that reads ahead of it must stay within it. */
    public static int maxStringChars(final AggregationLimits limits)
    {
        return Math.max(limits.maxTextChars(), limits.maxRawBytes());
    }

    public JsonReader(final AggregationLimits limits)
    {
        this.limits = limits;
        this.maxStringChars = maxStringChars(limits);
        this.fed = new FedParser(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxNestingDepth())
                .maxStringLength(maxStringChars)
                .maxNumberLength(limits.maxNumberLength())
                .build())
            .build());
        // A long value string of a checked payload costs the parser a pass over its bytes to tokenize it, where a
        // dialect mostly keeps it as those bytes (a signature, rendered HTML) or decodes it once.
        syntax.listLongStrings(MutableRawJson.LONG_STRING_BYTES);
    }

    /**
     * Starts reading one payload.
     *
     * @return the payload's first token.
     */
    public JsonToken begin(final DirectBuffer buffer, final int offset, final int length) throws BadPayload
    {
        load(buffer, offset, length);
        return start(null, 0);
    }

    /** Makes the payload the current input (a copy only for a buffer with no array), checking its UTF-8. */
    private void load(final DirectBuffer buffer, final int offset, final int length) throws BadPayload
    {
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            input = array;
            inputOffset = (int)buffer.wrapAdjustment() + offset;
        }
        else
        {
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            buffer.getBytes(offset, scratch, 0, length);
            input = scratch;
            inputOffset = 0;
        }
        inputLength = length;
        checkedEnd = -1;
        elided = false;
        // Before the parser sees a byte: Jackson decodes some ill-formed UTF-8 (overlong forms, encoded
        // surrogates) to real characters, so an event that is not well-formed is refused whole.
        final int malformed = Utf8Check.firstMalformed(input, inputOffset, length);
        if (malformed >= 0)
        {
            throw new BadPayload("invalid UTF-8 (" + Utf8Check.describe(input, malformed, inputOffset + length) +
                ") at byte " + (malformed - inputOffset) + " of the event");
        }
    }

    /**
     * Feeds the loaded payload to the parser, without the contents of the {@code count} value strings listed in
     * {@code strings} (as {@link JsonSyntaxCheck#longStrings()} lists them).
     *
     * @return its first token.
     */
    private JsonToken start(final int[] strings, final int count) throws BadPayload
    {
        try
        {
            fed.feed(input, inputOffset, inputOffset + inputLength, strings, count);
        }
        catch (final IOException e)
        {
            fed.renew();
            throw new BadPayload("cannot start parsing: " + BadPayload.describe(e));
        }
        return next();
    }

    /**
     * Starts reading a payload that must be one JSON object. The object is first checked whole (its UTF-8,
     * its syntax, its depth), so one that is cut short, malformed anywhere or too deep is rejected before a
     * dialect folds any of it: such an event is skipped, not half applied. Bytes after a whole object are
     * reported by {@link #finish()} once the object is folded.
     */
    public void beginObject(final DirectBuffer buffer, final int offset, final int length) throws BadPayload
    {
        load(buffer, offset, length);
        if (!syntax.check(input, inputOffset, length, limits.maxNestingDepth(), maxStringChars))
        {
            throw new BadPayload(syntax.problem() + " at byte " + syntax.problemAt() + " of the event");
        }
        checkedEnd = syntax.objectEnd();
        if (start(syntax.longStrings(), syntax.longStringCount()) != JsonToken.START_OBJECT)
        {
            abandon();
            throw new BadPayload("event data is not a JSON object");
        }
    }

    /**
     * As {@link #beginObject(DirectBuffer, int, int)}, with the object's first {@code skip} bytes left unread: its
     * opening brace and whole members, each followed by its comma, that the caller has recognised (strictly, as
     * well-formed JSON) as repeating what it already folded, so reading them again would change nothing. The rest is
     * checked from there as the whole check would check it, and read as the members of an object; offsets (string
     * starts, captured structures) stay those of the whole payload.
     *
     * @param skip bytes from the payload's start to the first member to read, after the comma ending the last
     *             skipped one; 0 reads the whole object.
     */
    public void beginObject(final DirectBuffer buffer, final int offset, final int length, final int skip) throws BadPayload
    {
        if (skip <= 0 || limits.maxNestingDepth() < 1)
        {
            beginObject(buffer, offset, length);
            return;
        }
        load(buffer, offset, length);
        if (!syntax.checkFrom(input, inputOffset, inputOffset + skip, length, limits.maxNestingDepth(), maxStringChars))
        {
            throw new BadPayload(syntax.problem() + " at byte " + syntax.problemAt() + " of the event");
        }
        checkedEnd = syntax.objectEnd();
        try
        {
            fed.feedObjectFrom(input, inputOffset, skip, length, syntax.longStrings(), syntax.longStringCount());
        }
        catch (final IOException e)
        {
            fed.renew();
            throw new BadPayload("cannot start parsing: " + BadPayload.describe(e));
        }
    }

    /**
     * Starts reading a value kept earlier with {@link #capture}: a field that arrived before the key it
     * depends on (an index after its delta), read again once the key is known.
     *
     * @return the value's first token.
     */
    public JsonToken begin(final MutableRawJson captured) throws BadPayload
    {
        replay.wrap(captured.structuredBytes(), 0, captured.structuredLength());
        return begin(replay, 0, captured.structuredLength());
    }

    /** @return the next token; never NOT_AVAILABLE (an unfinished payload is malformed). */
    public JsonToken next() throws BadPayload
    {
        elided = false;
        JsonToken token;
        try
        {
            token = fed.parser().nextToken();
            if (token == JsonToken.NOT_AVAILABLE && fed.feedNextPiece())
            {
                // The parser stopped inside an elided string, and now ends it at its closing quote.
                token = fed.parser().nextToken();
                if (token != JsonToken.VALUE_STRING)
                {
                    throw new IllegalStateException("an elided string read as " + token);
                }
                elided = true;
                elidedDecoded = false;
            }
        }
        catch (final IOException e)
        {
            fed.renew();
            throw new BadPayload(BadPayload.describe(e));
        }
        if (token == JsonToken.NOT_AVAILABLE || token == null)
        {
            fed.renew();
            throw new BadPayload("payload ends inside a JSON value");
        }
        return token;
    }

    /** Checks that nothing but whitespace follows the root value, and readies the parser for the next payload. */
    public void finish() throws BadPayload
    {
        // The non-blocking parser holds back a trailing partial token ("tr", "12", an open string) waiting
        // for more input, and would only fail on the next payload: check the tail here instead.
        final int rootEnd = rootEnd();
        if (rootEnd >= 0 && !onlyWhitespace(rootEnd, inputOffset + inputLength))
        {
            fed.renew();
            throw new BadPayload("text after the JSON value");
        }
        final JsonToken token;
        try
        {
            token = fed.parser().nextToken();
        }
        catch (final IOException e)
        {
            fed.renew();
            throw new BadPayload("text after the JSON value: " + BadPayload.describe(e));
        }
        if (token != JsonToken.NOT_AVAILABLE)
        {
            fed.renew();
            throw new BadPayload("more than one JSON value in one event");
        }
        fed.settle();
    }

    /** @return array offset just past the root object or array the reader has just closed, or -1 when not known. */
    private int rootEnd()
    {
        if (checkedEnd >= 0)
        {
            // Where the syntax check found the object's end: exact, unlike the parser's token offsets.
            return fed.parser().currentToken() == JsonToken.END_OBJECT && fed.parser().getParsingContext().getParent() == null ?
                checkedEnd : -1;
        }
        final JsonToken t = fed.parser().currentToken();
        if ((t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) || fed.parser().getParsingContext().getParent() != null)
        {
            return -1;
        }
        final byte close = t == JsonToken.END_OBJECT ? (byte)'}' : (byte)']';
        // The non-blocking parser places an empty object's or array's close just past it ("{}" at 2): one back.
        for (long at = fed.tokenOffset(), candidate = at; candidate >= at - 1; candidate--)
        {
            if (candidate >= 0 && candidate < inputLength && input[inputOffset + (int)candidate] == close)
            {
                return inputOffset + (int)candidate + 1;
            }
        }
        return -1;
    }

    private boolean onlyWhitespace(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte b = input[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return false;
            }
        }
        return true;
    }

    /** Abandons the current payload after a dialect-level problem; the next payload starts clean. */
    public void abandon()
    {
        if (fed.settled())
        {
            return;
        }
        if (fed.atRootWaiting() && onlyWhitespaceAfterRoot())
        {
            // Between root values with nothing left unread: the parser is clean and keeps the field
            // names it has learned, so a pooled aggregator's next stream does not learn them again.
            fed.settle();
            return;
        }
        fed.renew();
    }

    /** @return whether the current payload's root value is closed and only whitespace follows it. */
    private boolean onlyWhitespaceAfterRoot()
    {
        final int rootEnd = rootEnd();
        return rootEnd >= 0 && onlyWhitespace(rootEnd, inputOffset + inputLength);
    }

    /** @return the current field name (Jackson's canonical instance). */
    public String name() throws BadPayload
    {
        try
        {
            return fed.parser().currentName();
        }
        catch (final IOException e)
        {
            throw new BadPayload(BadPayload.describe(e));
        }
    }

    public JsonToken token()
    {
        return fed.parser().currentToken();
    }

    /** @return the characters of the current string, number or name token, as a reused view. */
    public CharView text() throws BadPayload
    {
        if (elided)
        {
            if (!elidedDecoded)
            {
                elidedChars.decode(input, fed.lastElidedOpen() + 1, fed.lastElidedClose() + 1);
                elidedDecoded = true;
            }
            return view.wrap(elidedChars.chars(), 0, elidedChars.length());
        }
        try
        {
            return view.wrap(fed.parser().getTextCharacters(), fed.parser().getTextOffset(), fed.parser().getTextLength());
        }
        catch (final IOException e)
        {
            throw new BadPayload(BadPayload.describe(e));
        }
    }

    /** @return the current integer value; BadPayload when it is not an integer that fits a long. */
    public long longValue() throws BadPayload
    {
        if (fed.parser().currentToken() != JsonToken.VALUE_NUMBER_INT)
        {
            throw new BadPayload("expected an integer, got " + seen());
        }
        try
        {
            return fed.parser().getLongValue();
        }
        catch (final IOException e)
        {
            throw new BadPayload(BadPayload.describe(e));
        }
    }

    /**
     * Reads the current value as an index or count: a non-negative integer that fits a long. Any other value
     * (negative, fraction, exponent form, too large, string, null, boolean, array, object) is skipped whole,
     * so the reader keeps its place, and {@link #mismatch()} names the field and what was seen.
     *
     * @param field the field's name as the message should show it.
     * @return the value, or -1 when it is not an index.
     */
    public long index(final String field) throws BadPayload
    {
        if (fed.parser().currentToken() == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                final JsonParser.NumberType type = fed.parser().getNumberType();
                if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG)
                {
                    final long v = fed.parser().getLongValue();
                    if (v >= 0)
                    {
                        return v;
                    }
                }
            }
            catch (final IOException e)
            {
                fed.renew();
                throw new BadPayload(BadPayload.describe(e));
            }
        }
        mismatch = field + " must be a non-negative integer, got " + seen();
        skip();
        return -1;
    }

    /** @return what the last {@link #index} refused, as a message naming the field and the value seen. */
    public String mismatch()
    {
        return mismatch;
    }

    /** @return the current value as an error message shows it: scalars as written (abbreviated), else its type. */
    String seen() throws BadPayload
    {
        final JsonToken t = fed.parser().currentToken();
        if (t == null)
        {
            return "nothing";
        }
        switch (t)
        {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_NULL:
                return "null";
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_STRING:
                return "the string \"" + abbreviated(text()) + "\"";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return abbreviated(text());
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    private static String abbreviated(final CharSequence s)
    {
        return s.length() <= 40 ? s.toString() : s.subSequence(0, 40) + "...";
    }

    /** @return the current number as a double; BadPayload when it is not a number. */
    public double doubleValue() throws BadPayload
    {
        final JsonToken t = fed.parser().currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT)
        {
            throw new BadPayload("expected a number, found " + t);
        }
        try
        {
            return fed.parser().getDoubleValue();
        }
        catch (final IOException e)
        {
            throw new BadPayload(BadPayload.describe(e));
        }
    }

    /** Skips the current value (and its children). */
    public void skip() throws BadPayload
    {
        final JsonToken current = fed.parser().currentToken();
        if (fed.piecesLeft() && (current == JsonToken.START_OBJECT || current == JsonToken.START_ARRAY))
        {
            // The parser's own skip would stop where its input does, inside an elided string.
            int open = 1;
            while (open > 0)
            {
                final JsonToken t = next();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
                {
                    open++;
                }
                else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY)
                {
                    open--;
                }
            }
            return;
        }
        try
        {
            fed.parser().skipChildren();
        }
        catch (final IOException e)
        {
            fed.renew();
            throw new BadPayload(BadPayload.describe(e));
        }
        if (fed.parser().currentToken() == JsonToken.NOT_AVAILABLE)
        {
            fed.renew();
            throw new BadPayload("payload ends inside a JSON value");
        }
    }

    /**
     * Keeps the current value, whatever its type, and moves past it.
     *
     * @return false when it was larger than the raw-value limit (it is then kept as null).
     */
    public boolean capture(final MutableRawJson into) throws BadPayload
    {
        return capture(into, limits.maxRawBytes());
    }

    /**
     * Keeps the current value until the rest of its event is read, to be read again then (a value that came before the
     * index or type it depends on): never kept in the result, so not held to the raw-value limit, which bounds what the
     * result keeps; the event's own size bounds it. A value dropped for that limit would be lost without a word.
     */
    public void captureForReplay(final MutableRawJson into) throws BadPayload
    {
        capture(into, Integer.MAX_VALUE);
    }

    private boolean capture(final MutableRawJson into, final int limit) throws BadPayload
    {
        final JsonToken t = fed.parser().currentToken();
        switch (t)
        {
            case VALUE_STRING:
            {
                if (elided)
                {
                    // At least LONG_STRING_BYTES long, so kept as its bytes as below.
                    return into.setString(input, fed.lastElidedOpen(), fed.lastElidedClose(), limit, null);
                }
                final CharView v = text();
                // Kept as the byte scan keeps it (MutableRawJson.setString): a long string as its bytes.
                if ((long)v.length() * MAX_BYTES_PER_CHAR >= MutableRawJson.LONG_STRING_BYTES)
                {
                    final int open = stringStartOffset();
                    final int close = open < 0 ? -1 : JsonBytes.quotedEnd(input, open, inputOffset + inputLength) - 1;
                    if (close - open - 1 >= MutableRawJson.LONG_STRING_BYTES &&
                        StringDecoder.decodedLength(input, open + 1, close) == v.length())
                    {
                        return into.setString(input, open, close, limit, null);
                    }
                }
                return into.setScalar(MutableRawJson.Type.STRING, v.array(), v.offset(), v.length(), limit);
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            {
                final CharView v = text();
                return into.setScalar(MutableRawJson.Type.NUMBER, v.array(), v.offset(), v.length(), limit);
            }
            case VALUE_TRUE:
                into.setLiteral(MutableRawJson.Type.TRUE);
                return true;
            case VALUE_FALSE:
                into.setLiteral(MutableRawJson.Type.FALSE);
                return true;
            case VALUE_NULL:
                into.setLiteral(MutableRawJson.Type.NULL);
                return true;
            case START_OBJECT:
            case START_ARRAY:
            {
                final int start = structureStart();
                final int end = structureEnd(start);
                skip();
                return into.setStructured(input, start, end - start, limit);
            }
            default:
                throw new BadPayload("expected a value, found " + t);
        }
    }

    /** Keeps the current object or array as one element of {@code list}, moving past it. */
    public boolean captureInto(final MutableRawList list) throws BadPayload
    {
        final JsonToken t = fed.parser().currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)
        {
            final int start = structureStart();
            final int end = structureEnd(start);
            skip();
            return list.add(input, start, end - start, limits.maxRawBytes());
        }
        final MutableRawJson scalar = new MutableRawJson();
        capture(scalar);
        return list.add(scalar, limits.maxRawBytes());
    }

    /** @return where the current object or array starts, for {@link #appendStructure} once it has been walked. */
    public int structureStartOffset() throws BadPayload
    {
        return structureStart();
    }

    /**
     * Keeps, as one element of {@code list}, the structure that started at {@code start} and that the
     * caller has just walked to its closing token.
     */
    public boolean appendStructure(final int start, final MutableRawList list) throws BadPayload
    {
        final int end = structureEnd(start);
        return list.add(input, start, end - start, limits.maxRawBytes());
    }

    /**
     * @param start where a structure starts ({@link #structureStartOffset()}) that the caller has since walked to its
     *              closing token (or skipped).
     * @return the array offset just past its closing bracket.
     */
    public int structureEndOffset(final int start) throws BadPayload
    {
        return structureEnd(start);
    }

    /** @return the array holding the current payload (the caller's, or a copy of a direct buffer's bytes). */
    public byte[] inputArray()
    {
        return input;
    }

    /** @return where the current payload starts in {@link #inputArray()}. */
    public int inputOffset()
    {
        return inputOffset;
    }

    /** @return the current payload's length in bytes. */
    public int inputLength()
    {
        return inputLength;
    }

    /**
     * @return where the object the reader is on (at its START_OBJECT) starts in {@link #inputArray()}, when the syntax
     * check accepted the payload's bytes so that a byte scan ({@link JsonMembers#readObject}) may read ahead in it;
     * else -1.
     */
    public int checkedObjectStart() throws BadPayload
    {
        return checkedEnd >= 0 && fed.parser().currentToken() == JsonToken.START_OBJECT ? structureStart() : -1;
    }

    /** @return array offset of the opening quote of the current string token, or -1 when it cannot be located. */
    public int stringStartOffset()
    {
        if (elided)
        {
            return fed.lastElidedOpen();
        }
        // As for structures, the non-blocking parser's token offset may be one past the token's first byte;
        // the byte before a string's opening quote is never a quote, so the earlier candidate is tried first.
        final long fromStart = fed.tokenOffset();
        for (long candidate = fromStart - 1; candidate <= fromStart; candidate++)
        {
            if (candidate >= 0 && candidate < inputLength && input[inputOffset + (int)candidate] == '"')
            {
                return inputOffset + (int)candidate;
            }
        }
        return -1;
    }

    /** Array offset of the opening bracket of the current START_OBJECT / START_ARRAY token. */
    private int structureStart() throws BadPayload
    {
        // The non-blocking parser records a structure's token offset just past its opening bracket.
        final long fromStart = fed.tokenOffset();
        final byte open = fed.parser().currentToken() == JsonToken.START_OBJECT ? (byte)'{' : (byte)'[';
        for (long candidate = fromStart - 1; candidate <= fromStart; candidate++)
        {
            if (candidate >= 0 && candidate < inputLength && input[inputOffset + (int)candidate] == open)
            {
                return inputOffset + (int)candidate;
            }
        }
        throw new BadPayload("cannot locate a JSON structure in its event");
    }

    /** Array offset just past the bracket that closes the structure opening at {@code start}. */
    private int structureEnd(final int start) throws BadPayload
    {
        if (checkedEnd >= 0)
        {
            // Bytes the syntax check accepted: brackets are counted a word at a time across strings.
            return JsonMembers.skip(input, start, inputOffset + inputLength);
        }
        structureView.wrap(input);
        structureScanner.reset();
        final int end = structureScanner.scan(structureView, start, inputOffset + inputLength, Long.MAX_VALUE);
        if (structureScanner.status() == JsonScanner.CLOSED)
        {
            return end;
        }
        fed.renew();
        throw new BadPayload("payload ends inside a JSON value");
    }

    /** A payload that is not the JSON its dialect expects. Carries no stack trace: it is a value, not a bug. */
    public static final class BadPayload extends Exception
    {
        private static final long serialVersionUID = 1L;

        public BadPayload(final String message)
        {
            super(message, null, false, false);
        }

        public static String describe(final IOException e)
        {
            final String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException ?
                ((com.fasterxml.jackson.core.JsonProcessingException)e).getOriginalMessage() : e.getMessage();
            return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
        }
    }
}
