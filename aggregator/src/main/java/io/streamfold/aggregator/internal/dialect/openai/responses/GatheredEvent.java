package io.streamfold.aggregator.internal.dialect.openai.responses;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.CheckedText;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.MemberPath;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.LIFECYCLE;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.UNKNOWN;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.eventType;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.isDelta;

/**
 * One {@code response.*} event, gathered before it is applied because its fields may come in any order: the
 * dialect reads the fields here once the event's object has ended. One per dialect, reused for every event.
 * Gathered from a byte scan when the scan accepts the event (large opaque values are then never tokenized),
 * else by the token reader.
 */
final class GatheredEvent
{
    /** A delta shape's meaning bit: one logprob entry varies too (its token, value, bytes...). */
    static final int LOGPROB = 4;
    /**
     * A delta shape's meaning bit, with the sequence number's: it is learnt as an {@link EventShape#COUNTER} (OpenAI
     * numbers every event, so repeated deltas count up by one), not scanned as an integer slot.
     */
    static final int COUNTED = 8;
    /**
     * The repeated {@code response.*.delta} events: the delta (slot 0) varies, and so do the sequence number and
     * the obfuscation padding when present (checked as a string, never decoded: nothing reads it), and a lone logprob
     * entry (the entry, its token, its value: {@link #entrySlot}); indexed by their meaning,
     * (sequence number ? 1 : 0) | (obfuscation ? 2 : 0) | (logprob entry ? {@link #LOGPROB} : 0) | (sequence number
     * counted ? {@link #COUNTED} : 0).
     */
    private static final EventShape[] DELTA_SHAPES = new EventShape[16];

    static
    {
        for (int k = 0; k < DELTA_SHAPES.length; k++)
        {
            final EventShape.Builder b = EventShape.of(k).string("delta");
            if ((k & 1) != 0 && (k & COUNTED) != 0)
            {
                b.counter("sequence_number");
            }
            else if ((k & 1) != 0)
            {
                b.integer("sequence_number");
            }
            if ((k & 2) != 0)
            {
                b.raw("obfuscation");
            }
            if ((k & LOGPROB) != 0)
            {
                // The entry kept whole (bytes and top_logprobs may vary); its token usually repeats the delta.
                b.object("logprobs", EventShape.ONLY);
                b.sameString(0, "logprobs", EventShape.ONLY, "token");
                b.number("logprobs", EventShape.ONLY, "logprob");
            }
            DELTA_SHAPES[k] = b.build();
        }
    }

    /** @return the first of the logprob entry's three slots in a delta shape of {@code meaning}. */
    static int entrySlot(final int meaning)
    {
        return 1 + (meaning & 1) + ((meaning >> 1) & 1);
    }

    /** The fields holding an object that the dialect reads by its members. */
    static final String RESPONSE = "response";
    static final String ITEM = "item";
    static final String PART = "part";

    private final OpenAiResponsesDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;

    int type;
    long outputIndex;
    long contentIndex;
    long summaryIndex;
    /** The type of an event this dialect does not know. */
    final MutableTextBuffer typeName = new MutableTextBuffer();
    /**
     * The values of the event's other {@code *_index} members (not output, content nor summary index: a
     * {@code command_index}...), in the order sent, joined by {@code '.'}; empty when it has none. An unknown delta
     * keeps what different values carry apart (see {@link UnknownDeltas}).
     */
    final MutableTextBuffer otherIndexes = new MutableTextBuffer();
    /** Why one of those members is not an index, as the full reader words it; null when none is wrong. */
    String otherIndexMismatch;
    /** The largest of those values, to hold against the index limit. */
    long otherIndexMax;
    /** One index value's digits and separator (a long has at most 19 digits). */
    private final char[] digits = new char[20];
    final MutableTextBuffer itemId = new MutableTextBuffer();
    final MutableTextBuffer delta = new MutableTextBuffer();
    final MutableTextBuffer text = new MutableTextBuffer();
    final MutableTextBuffer refusal = new MutableTextBuffer();
    final MutableTextBuffer arguments = new MutableTextBuffer();
    final MutableTextBuffer name = new MutableTextBuffer();
    private final MutableRawJson item = new MutableRawJson();
    private final MutableRawJson part = new MutableRawJson();
    private final MutableRawJson response = new MutableRawJson();
    final MutableRawJson logprobs = new MutableRawJson();
    final MutableRawJson error = new MutableRawJson();
    final MutableRawJson annotation = new MutableRawJson();
    /** {@code code}, {@code message} and {@code param} beside the type, as the documented error event has them. */
    final MutableRawFields errorFields = new MutableRawFields();
    /** The scanned event's {@code text} string as sent, quotes included (null when read by the token reader). */
    private byte[] textBytes;
    /** Whether {@link #text} is that string not decoded yet (see {@link #finalText}). */
    private boolean textPending;
    private int textFrom;
    private int textTo;
    private boolean deltaIsString;
    private boolean sequenceIsInteger;
    private boolean obfuscationIsString;
    /** Strings of a scanned event, decoded before they are checked and copied. */
    private final StringDecoder strings = new StringDecoder(256);
    private final CharView view = new CharView();
    /** The event's members, located by a byte scan. */
    private final JsonMembers members = new JsonMembers();
    /**
     * The members of the event's response, item or part object, located while the event is checked (so the large
     * ones, a terminal response with every item again, are not copied nor scanned again), and which field it was.
     */
    private final JsonMembers located = new JsonMembers();
    private String locatedField;
    /** The event as an array for the scan, and its check. */
    private final EventBytes bytes;
    private long scannedEvents;
    private final int scanStringBytes;
    /** Values of earlier events the check recognises; whether the event was gathered from its accepted bytes. */
    private CheckedRepeats known;
    /** The response, item or part object the check locates in {@link #located}, its repeated values recognised by {@link #known}. */
    private MemberPath objects;
    private boolean scanned;

    GatheredEvent(final OpenAiResponsesDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        bytes = new EventBytes(limits);
        scanStringBytes = EventBytes.scanStringBytes(limits);
    }

    void known(final CheckedRepeats known)
    {
        this.known = known;
        objects = MemberPath.objectKnowing(located, known, RESPONSE, ITEM, PART);
    }

    /** @return whether the event was gathered from bytes its check accepted (else by the token reader). */
    boolean scanned()
    {
        return scanned;
    }

    /** @return whether {@code field}'s object was located by the event's check (its bytes accepted by it). */
    boolean located(final String field)
    {
        return field == locatedField;
    }

    /**
     * Gathers the event from a byte scan when the scan accepts it (see {@link JsonMembers#checkObject}): its large
     * opaque values (a whole response, a done item's encrypted reasoning) are then kept without being tokenized.
     *
     * <p>Off with the fast path, so the tests that compare the two paths compare the scan with the full reader.
     *
     * @return false when the full reader must gather it (anything the scan refuses).
     */
    boolean gatherScanned(final Frame frame, final boolean enabled)
    {
        if (!enabled || !bytes.scans())
        {
            return false;
        }
        bytes.load(frame);
        known.beginCheck();
        if (members.checkObject(bytes.array(), bytes.offset(), bytes.limit(), limits.maxNestingDepth(), scanStringBytes, objects) &&
            gather(members))
        {
            scannedEvents++;
            scanned = true;
            return true;
        }
        return false;
    }

    /** @return events gathered from a byte scan so far. */
    long scannedEvents()
    {
        return scannedEvents;
    }

    /** Reads the event object {@code r} is on, to its end. */
    void gather(final JsonReader r) throws JsonReader.BadPayload
    {
        clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String field = r.name();
            final JsonToken value = r.next();
            switch (field)
            {
                case "type":
                    type = value == JsonToken.VALUE_STRING ? eventType(r.text()) : UNKNOWN;
                    if (type <= LIFECYCLE && value == JsonToken.VALUE_STRING)
                    {
                        dialect.copyString(r, typeName, limits.maxTextChars());
                        break;
                    }
                    if (value != JsonToken.VALUE_STRING)
                    {
                        r.skip();
                    }
                    break;
                case "output_index":
                    outputIndex = Dialect.eventIndex(r, "output_index");
                    break;
                case "content_index":
                    contentIndex = Dialect.eventIndex(r, "content_index");
                    break;
                case "summary_index":
                    summaryIndex = Dialect.eventIndex(r, "summary_index");
                    break;
                case "item_id":
                    dialect.copyString(r, itemId, limits.maxTextChars());
                    break;
                case "delta":
                    deltaIsString = value == JsonToken.VALUE_STRING;
                    dialect.copyString(r, delta, deltaLimit());
                    break;
                case "sequence_number":
                    sequenceIsInteger = value == JsonToken.VALUE_NUMBER_INT;
                    r.skip();
                    break;
                case "obfuscation":
                    obfuscationIsString = value == JsonToken.VALUE_STRING;
                    r.skip();
                    break;
                case "text":
                    dialect.copyString(r, text, limits.maxTextChars());
                    break;
                case "refusal":
                    dialect.copyString(r, refusal, limits.maxTextChars());
                    break;
                case "arguments":
                    dialect.copyString(r, arguments, limits.maxArgumentChars());
                    break;
                case "name":
                    dialect.copyString(r, name, limits.maxTextChars());
                    break;
                case "item":
                    capture(r, item, field);
                    break;
                case "part":
                    capture(r, part, field);
                    break;
                case "response":
                    capture(r, response, field);
                    break;
                case "logprobs":
                    capture(r, logprobs, field);
                    break;
                case "error":
                    capture(r, error, field);
                    break;
                case "annotation":
                    capture(r, annotation, field);
                    break;
                case "code":
                case "message":
                case "param":
                    dialect.captureKeepingNonEmpty(errorFields, field, r);
                    break;
                default:
                    if (isOtherIndex(field))
                    {
                        final long index = r.index(field);
                        if (index < 0)
                        {
                            otherIndexMismatch = r.mismatch();
                        }
                        else
                        {
                            otherIndex(index);
                        }
                        break;
                    }
                    r.skip();
            }
        }
    }

    /**
     * Gathers the event from its members located by a byte scan ({@link JsonMembers#checkObject}), exactly as
     * {@link #gather} would: strings decoded as Jackson decodes them, opaque values kept as their bytes without
     * being tokenized. Gives up, with nothing reported, on anything that {@link #gather} would report or refuse
     * (an index that is not one, a value over its limit, an error event's fields, a type that is not a string):
     * the caller then gathers the same event with the full reader, which reports it.
     *
     * @return false when the event must be gathered by {@link #gather} instead.
     */
    boolean gather(final JsonMembers m)
    {
        clear();
        for (int i = 0; i < m.count(); i++)
        {
            final String field = m.name(i);
            switch (field)
            {
                case "type":
                {
                    if (m.isString(i))
                    {
                        final byte[] src = m.bytes();
                        final int from = m.valueStart(i) + 1;
                        final int to = m.valueEnd(i) - 1;
                        type = ResponsesEvents.knownEventType(src, from, to);
                        if (type != UNKNOWN)
                        {
                            // A known type's name needs no decoding, and is not kept (only unknown ones are).
                            break;
                        }
                        if (JsonBytes.plainAsciiEnd(src, from, to) == to)
                        {
                            // Written as itself (web_search_call.searching, audio deltas...): kept from its bytes.
                            type = ResponsesEvents.otherEventType(src, from, to);
                            if (type <= LIFECYCLE && (to - from > limits.maxTextChars() ||
                                !typeName.setAscii(src, from, to, limits.maxTextChars())))
                            {
                                return false;
                            }
                            break;
                        }
                    }
                    final int length = m.decodeString(i, strings);
                    if (length < 0)
                    {
                        return false;
                    }
                    type = eventType(view.wrap(strings.chars(), 0, length));
                    if (type <= LIFECYCLE && !copy(typeName, length, limits.maxTextChars()))
                    {
                        return false;
                    }
                    break;
                }
                case "output_index":
                    outputIndex = m.index(i);
                    if (outputIndex < 0)
                    {
                        return false;
                    }
                    break;
                case "content_index":
                    contentIndex = m.index(i);
                    if (contentIndex < 0)
                    {
                        return false;
                    }
                    break;
                case "summary_index":
                    summaryIndex = m.index(i);
                    if (summaryIndex < 0)
                    {
                        return false;
                    }
                    break;
                case "item_id":
                    if (!copyString(m, i, itemId, limits.maxTextChars()))
                    {
                        return false;
                    }
                    break;
                case "delta":
                    deltaIsString = m.isString(i);
                    if (!copyString(m, i, delta, deltaLimit()))
                    {
                        return false;
                    }
                    break;
                case "sequence_number":
                    sequenceIsInteger = m.isInteger(i);
                    break;
                case "obfuscation":
                    obfuscationIsString = m.isString(i);
                    break;
                case "text":
                    // A string no longer in bytes than the limit is never longer in characters: it is decoded only when
                    // needed (see finalText), most often never (it repeats what the deltas gave, see CheckedText).
                    textPending = m.isString(i) && m.valueEnd(i) - m.valueStart(i) - 2 <= limits.maxTextChars();
                    if (textPending)
                    {
                        text.clear();
                    }
                    else if (!copyString(m, i, text, limits.maxTextChars()))
                    {
                        return false;
                    }
                    textBytes = m.isString(i) ? m.bytes() : null;
                    textFrom = m.valueStart(i);
                    textTo = m.valueEnd(i);
                    break;
                case "refusal":
                    if (!copyString(m, i, refusal, limits.maxTextChars()))
                    {
                        return false;
                    }
                    break;
                case "arguments":
                    if (!copyString(m, i, arguments, limits.maxArgumentChars()))
                    {
                        return false;
                    }
                    break;
                case "name":
                    if (!copyString(m, i, name, limits.maxTextChars()))
                    {
                        return false;
                    }
                    break;
                case ITEM:
                case PART:
                case RESPONSE:
                    if (i == m.innerAt())
                    {
                        // Read from the event's own bytes, where the check located its members; no bigger than a capture.
                        if (m.valueEnd(i) - m.valueStart(i) > limits.maxRawBytes())
                        {
                            return false;
                        }
                        locatedField = ITEM.equals(field) ? ITEM : PART.equals(field) ? PART : RESPONSE;
                        break;
                    }
                    if (!m.capture(i, ITEM.equals(field) ? item : PART.equals(field) ? part : response, limits.maxRawBytes()))
                    {
                        return false;
                    }
                    break;
                case "logprobs":
                    if (!m.capture(i, logprobs, limits.maxRawBytes()))
                    {
                        return false;
                    }
                    if (hasLogprobEntries() && type > LIFECYCLE && !isDelta(type))
                    {
                        // A done text's list, accepted by the event's check: its done part repeats it, its check need not.
                        known.keepList(m.bytes(), m.valueStart(i), m.valueEnd(i));
                    }
                    break;
                case "error":
                case "annotation":
                case "code":
                case "message":
                case "param":
                    // Error events and annotations are rare: the full reader keeps them as it always has.
                    return false;
                default:
                    if (isOtherIndex(field))
                    {
                        final long index = m.index(i);
                        if (index < 0)
                        {
                            // The full reader words what it is.
                            return false;
                        }
                        otherIndex(index);
                    }
                    break;
            }
        }
        return true;
    }

    /** @return whether member {@code field} is an index other than those the dialect reads ({@code command_index}...). */
    private static boolean isOtherIndex(final String field)
    {
        return field.endsWith("_index");
    }

    /** Adds one of the event's other index values to {@link #otherIndexes}. */
    private void otherIndex(final long index)
    {
        // Written digit by digit: a delta event of a streamed command carries one, and allocates nothing for it.
        int at = digits.length;
        long v = index;
        do
        {
            digits[--at] = (char)('0' + v % 10);
            v /= 10;
        }
        while (v > 0);
        if (otherIndexes.length() > 0)
        {
            digits[--at] = '.';
        }
        otherIndexes.append(digits, at, digits.length - at, Integer.MAX_VALUE);
        otherIndexMax = Math.max(otherIndexMax, index);
    }

    /** A string member copied as {@link OpenAiResponsesDialect#copyString} would; anything else left as it was. */
    private boolean copyString(final JsonMembers m, final int i, final MutableTextBuffer into, final int limit)
    {
        return !m.isString(i) || m.textInto(i, into, limit, strings);
    }

    /** @return false, copying nothing, when the decoded string is over {@code limit} (the full reader reports it). */
    private boolean copy(final MutableTextBuffer into, final int length, final int limit)
    {
        return length <= limit && into.set(strings.chars(), 0, length, limit);
    }

    /**
     * @return whether the event's {@code field} ({@link #RESPONSE}, {@link #ITEM} or {@link #PART}) was an object or
     *         an array: what the readers take, or refuse.
     */
    boolean structured(final String field)
    {
        return field == locatedField || captured(field).type() == MutableRawJson.Type.STRUCTURED;
    }

    /**
     * @return the members of the event's {@code field} object: those the event's check located, else read from the
     *         value the token reader kept, into {@code scratch}; null when it is not an object.
     */
    JsonMembers objectMembers(final String field, final JsonMembers scratch)
    {
        if (field == locatedField)
        {
            return located;
        }
        return scratch.readObject(captured(field)) ? scratch : null;
    }

    /** @return the value kept of {@code field} by the token reader (or by the scan, when not located). */
    MutableRawJson captured(final String field)
    {
        return field == ITEM ? item : field == PART ? part : response;
    }

    private void clear()
    {
        scanned = false;
        textBytes = null;
        textPending = false;
        locatedField = null;
        type = UNKNOWN;
        typeName.clear();
        otherIndexes.clear();
        otherIndexMismatch = null;
        otherIndexMax = 0;
        outputIndex = -1;
        contentIndex = -1;
        summaryIndex = -1;
        itemId.clear();
        delta.clear();
        text.clear();
        refusal.clear();
        arguments.clear();
        name.clear();
        item.clear();
        part.clear();
        response.clear();
        logprobs.clear();
        error.clear();
        annotation.clear();
        errorFields.clear();
        deltaIsString = false;
        sequenceIsInteger = false;
        obfuscationIsString = false;
    }

    private void capture(final JsonReader r, final MutableRawJson into, final String field) throws JsonReader.BadPayload
    {
        if (!r.capture(into))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "'" + field + "' larger than " + limits.maxRawBytes() + " bytes");
        }
    }

    /** @return the event's {@code text}, decoded now when the scan left it for later. */
    MutableTextBuffer finalText()
    {
        if (textPending)
        {
            textPending = false;
            // Checked bytes, no longer than the limit: decoded as the scan would have decoded and copied them.
            strings.decode(textBytes, textFrom + 1, textTo);
            text.set(strings.chars(), 0, strings.length(), limits.maxTextChars());
        }
        return text;
    }

    /**
     * @return whether the event's {@code text}, still undecoded (see {@link #finalText}), decodes to exactly the first
     *         {@code n} of {@code chars} (false also when it is decoded, or was not a string of checked bytes).
     */
    boolean pendingTextIs(final char[] chars, final int n)
    {
        return textPending && CheckedText.decodesTo(chars, n, textBytes, textFrom + 1, textTo - 1);
    }

    /** @return the array holding the {@code text} string of an event gathered from a byte scan, else null. */
    byte[] textBytes()
    {
        return textBytes;
    }

    int textFrom()
    {
        return textFrom;
    }

    int textTo()
    {
        return textTo;
    }

        /** @return true when the event's delta was a string. */
    boolean deltaIsString()
    {
        return deltaIsString;
    }

    /** A repeat of the learnt event: only its delta differs, every other field is as gathered from the learnt one. */
    void repeatedDelta(final char[] chars, final int length)
    {
        dialect.copyChars(chars, 0, length, delta, deltaLimit());
    }

    /**
     * @return the shape to learn this event by: a delta with a string value; else null. When it carries logprobs,
     *         only when they were one entry, kept from a scan ({@code loneEntry}): the entry then varies as a slot.
     */
    EventShape learnableShape(final boolean loneEntry)
    {
        return learnableShape(loneEntry, false);
    }

    /**
     * As {@link #learnableShape(boolean)}; {@code counted}: its sequence number, when an integer, as a counter.
     */
    EventShape learnableShape(final boolean loneEntry, final boolean counted)
    {
        if (!deltaIsString || !isDelta(type) || (!loneEntry && hasLogprobEntries()))
        {
            return null;
        }
        return DELTA_SHAPES[(sequenceIsInteger ? 1 | (counted ? COUNTED : 0) : 0) | (obfuscationIsString ? 2 : 0) | (loneEntry ? LOGPROB : 0)];
    }

    /** @return whether the event's logprobs are an array or object with something in it (else they fold to nothing). */
    boolean hasLogprobEntries()
    {
        if (logprobs.type() != MutableRawJson.Type.STRUCTURED)
        {
            return false;
        }
        final byte[] bytes = logprobs.structuredBytes();
        return JsonBytes.skipWhitespace(bytes, 1, logprobs.structuredLength()) < logprobs.structuredLength() - 1;
    }

    /** @return the longest delta kept: a delta may be text or arguments. */
    int deltaLimit()
    {
        return limits.maxArgumentChars() > limits.maxTextChars() ? limits.maxArgumentChars() : limits.maxTextChars();
    }
}
