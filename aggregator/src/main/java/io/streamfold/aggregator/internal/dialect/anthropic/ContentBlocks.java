package io.streamfold.aggregator.internal.dialect.anthropic;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * The content blocks of a message after their start ({@link BlockStarts}): {@code content_block_delta} and
 * {@code _stop}, each block a part of choice 0 keyed by the block {@code index}.
 */
final class ContentBlocks
{
    /** Context management's summary block: {@code content} streams in compaction_delta pieces. */
    static final String COMPACTION = "compaction";
    static final String ENCRYPTED_CONTENT = "encrypted_content";
    /** Delta types read field by field below; any other is folded by the generic rule. */
    private static final String[] KNOWN_DELTAS = {"text_delta", "thinking_delta", "input_json_delta", "signature_delta", "citations_delta"};
    private static final int KNOWN_DELTA = 0;
    private static final int COMPACTION_DELTA = 1;
    private static final int UNKNOWN_DELTA = 2;

    private final AnthropicDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final StringDecoder strings = new StringDecoder(256);
    private final CharView view = new CharView();
    /** The type of the delta being read. */
    private final MutableTextBuffer deltaType = new MutableTextBuffer();
    /** The delta shape the event being folded can be learnt as (a shape of DeltaTemplates), or -1. */
    private int learnShape = -1;
    /**
     * The block the last delta went to, by choice, index and kind, and the choice's part count then: a stream's deltas
     * come block after block, so the next delta mostly goes to the same one. Parts are only ever added to a choice
     * within a stream (a later one could take the same index, hence the count), and {@link #reset} forgets it before a
     * pooled choice or part is reused.
     */
    private MutableChoice lastChoice;
    private MutablePart lastBlock;
    private long lastIndex;
    private int lastParts;

    ContentBlocks(final AnthropicDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
    }

    /** A new stream: no block is known. */
    void reset()
    {
        lastChoice = null;
        lastBlock = null;
    }

    /** Starts an event: no delta has been noted yet. */
    void forgetShape()
    {
        learnShape = -1;
    }

    /** @return the delta shape the event just read can be learnt as, or a negative number when none. */
    int learnShape()
    {
        return learnShape;
    }

    /**
     * Notes the delta field just read as the event's one effect, learnable when its value has the type the
     * shape expects; a second effect makes the event unlearnable.
     */
    private void noteDelta(final int shape, final boolean typed)
    {
        learnShape = learnShape == -1 && typed ? shape : -2;
    }

    private void addCitation(final MutablePart part, final JsonReader r) throws JsonReader.BadPayload
    {
        citationKept(part, r.captureInto(part.annotations()));
    }

    /** A citation delta read by the fast path (its raw JSON bytes): as the full path does. */
    void appendCitation(final MutableChoice choice, final long index, final byte[] src, final int offset, final int length)
    {
        final MutablePart part = blockOfKind(choice, index, MutablePart.Kind.TEXT, "citation");
        if (part != null)
        {
            citationKept(part, part.annotations().add(src, offset, length, limits.maxRawBytes()));
        }
    }

    /** Reports a citation the part's annotations had no room for. */
    void citationKept(final MutablePart part, final boolean kept)
    {
        if (!kept)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "citations of block " + part.wireIndex() + " larger than " +
                limits.maxRawBytes() + " bytes");
        }
    }

    void readBlockDelta(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("delta is not an object");
        }
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        deltaType.clear();
        int known = KNOWN_DELTA;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (choice == null)
            {
                r.skip();
                continue;
            }
            if ("type".equals(name))
            {
                known = readDeltaType(r, value);
                continue;
            }
            if (known != KNOWN_DELTA)
            {
                learnShape = -2;
                // Compaction's encrypted_content is an opaque token sent whole: the last one wins.
                genericDelta(choice, index, name, r, known == COMPACTION_DELTA && ENCRYPTED_CONTENT.equals(name));
                continue;
            }
            switch (name)
            {
                case "text":
                    noteDelta(DeltaTemplates.TEXT_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.TEXT, name, r, value);
                    break;
                case "thinking":
                    noteDelta(DeltaTemplates.THINKING_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.REASONING, name, r, value);
                    break;
                case "partial_json":
                    noteDelta(DeltaTemplates.PARTIAL_JSON_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.TOOL_CALL, name, r, value);
                    break;
                case "signature":
                    learnShape = -2;
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = r.text();
                        appendSignature(choice, index, v.array(), v.offset(), v.length());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "citation":
                {
                    noteDelta(DeltaTemplates.CITATION_SHAPE, value == JsonToken.START_OBJECT);
                    final MutablePart part = value == JsonToken.START_OBJECT ?
                        blockOfKind(choice, index, MutablePart.Kind.TEXT, name) : null;
                    if (part != null)
                    {
                        addCitation(part, r);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                }
                default:
                    // A field this version does not know, in a delta type it does: kept by the generic rule.
                    learnShape = -2;
                    genericDelta(choice, index, name, r, false);
            }
        }
    }

    /**
     * @return whether the delta {@code d} (located by a byte scan) is one {@link #readBlockDelta(JsonMembers, long)}
     *         reads: a known type given as a string, and only the fields known deltas have (anything else goes to the
     *         token reader and the generic rule).
     */
    boolean readsDelta(final JsonMembers d)
    {
        for (int i = 0; i < d.count(); i++)
        {
            final String name = d.name(i);
            if ("type".equals(name))
            {
                if (!d.isString(i) || !isKnownDelta(view.wrap(d.stringChars(i, strings), 0, strings.length())))
                {
                    return false;
                }
            }
            else if (!"text".equals(name) && !"thinking".equals(name) && !"partial_json".equals(name) &&
                !"signature".equals(name) && !"citation".equals(name))
            {
                return false;
            }
        }
        return true;
    }

    /** A delta that {@link #readsDelta} accepts, read as {@link #readBlockDelta(JsonReader, long)} reads it. */
    void readBlockDelta(final JsonMembers d, final long index)
    {
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        deltaType.clear();
        if (choice == null)
        {
            return;
        }
        for (int i = 0; i < d.count(); i++)
        {
            final String name = d.name(i);
            switch (name)
            {
                case "type":
                    deltaType.set(d.stringChars(i, strings), 0, strings.length(), 256);
                    break;
                case "text":
                    scannedText(choice, index, MutablePart.Kind.TEXT, DeltaTemplates.TEXT_SHAPE, name, d, i);
                    break;
                case "thinking":
                    scannedText(choice, index, MutablePart.Kind.REASONING, DeltaTemplates.THINKING_SHAPE, name, d, i);
                    break;
                case "partial_json":
                    scannedText(choice, index, MutablePart.Kind.TOOL_CALL, DeltaTemplates.PARTIAL_JSON_SHAPE, name, d, i);
                    break;
                case "signature":
                    learnShape = -2;
                    if (d.isString(i))
                    {
                        appendSignature(choice, index, d.stringChars(i, strings), 0, strings.length());
                    }
                    break;
                default:
                    noteDelta(DeltaTemplates.CITATION_SHAPE, d.first(i) == '{');
                    if (d.first(i) == '{')
                    {
                        appendCitation(choice, index, d.bytes(), d.valueStart(i), d.valueEnd(i) - d.valueStart(i));
                    }
            }
        }
    }

    private void scannedText(final MutableChoice choice, final long index, final MutablePart.Kind kind, final int shape,
        final String name, final JsonMembers d, final int i)
    {
        noteDelta(shape, d.isString(i));
        if (d.isString(i))
        {
            appendDelta(choice, index, kind, name, d.stringChars(i, strings), strings.length());
        }
    }

    private void appendSignature(final MutableChoice choice, final long index, final char[] chars, final int offset, final int length)
    {
        final MutablePart part = blockOfKind(choice, index, MutablePart.Kind.REASONING, "signature");
        if (part != null && !part.signature().append(chars, offset, length, limits.maxTextChars()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "signature of block " + index + " longer than " + limits.maxTextChars() +
                " characters");
        }
    }

    private static boolean isKnownDelta(final CharSequence type)
    {
        for (final String known : KNOWN_DELTAS)
        {
            if (known.contentEquals(type))
            {
                return true;
            }
        }
        return false;
    }

    /** @return whether the delta's {@code type} is one this dialect reads field by field, compaction, or another. */
    private int readDeltaType(final JsonReader r, final JsonToken value) throws JsonReader.BadPayload
    {
        if (value != JsonToken.VALUE_STRING)
        {
            r.skip();
            return KNOWN_DELTA;
        }
        final CharView v = r.text();
        deltaType.set(v.array(), v.offset(), v.length(), 256);
        if (isKnownDelta(deltaType))
        {
            return KNOWN_DELTA;
        }
        return deltaType.contentEquals(COMPACTION + "_delta") ? COMPACTION_DELTA : UNKNOWN_DELTA;
    }

    /**
     * A delta field this dialect does not interpret is folded into its block by the shared generic rule (strings
     * continue, objects field by field, others the last wins), never dropped. A delta for a block no
     * content_block_start announced opens one of the type the delta names ({@code foo_delta}: {@code foo}).
     */
    private void genericDelta(final MutableChoice choice, final long index, final String name, final JsonReader r, final boolean state)
        throws JsonReader.BadPayload
    {
        MutablePart part = choice.partAt(index, null);
        if (part == null)
        {
            part = aggregate.newPart(choice, MutablePart.Kind.OTHER, index);
            if (part == null)
            {
                r.skip();
                return;
            }
            final int suffix = deltaType.length() - "_delta".length();
            if (suffix > 0 && deltaType.subSequence(suffix, deltaType.length()).equals("_delta"))
            {
                part.type().set(deltaType.array(), 0, suffix, 256);
            }
            else
            {
                part.type().set(deltaType, 256);
            }
        }
        aggregate.genericDeltas().fold(choice, part, name, r, state);
    }

    private void appendDeltaText(
        final MutableChoice choice, final long index, final MutablePart.Kind kind, final String name, final JsonReader r,
        final JsonToken value) throws JsonReader.BadPayload
    {
        final MutablePart part = value == JsonToken.VALUE_STRING ? blockOfKind(choice, index, kind, name) : null;
        if (part == null)
        {
            r.skip();
            return;
        }
        final CharView v = r.text();
        append(choice, part, kind, v.array(), v.offset(), v.length());
    }

    /** A text, thinking or partial_json delta read by the fast path: as {@link #appendDeltaText} does. */
    void appendDelta(
        final MutableChoice choice, final long index, final MutablePart.Kind kind, final String name, final char[] chars, final int length)
    {
        final MutablePart part = blockOfKind(choice, index, kind, name);
        if (part != null)
        {
            append(choice, part, kind, chars, 0, length);
        }
    }

    private void append(final MutableChoice choice, final MutablePart part, final MutablePart.Kind kind, final char[] chars, final int offset,
        final int length)
    {
        if (kind == MutablePart.Kind.TOOL_CALL)
        {
            aggregate.appendArguments(choice, part, chars, offset, length);
        }
        else
        {
            aggregate.appendText(choice, part, chars, offset, length);
        }
    }

    /**
     * @return the block at {@code index}, created when no content_block_start announced it (some gateways
     * omit it); null, with an error reported, when the block there is of another kind or past a limit.
     */
    private MutablePart blockOfKind(final MutableChoice choice, final long index, final MutablePart.Kind kind, final String field)
    {
        final MutablePart last = lastBlock;
        if (last != null && choice == lastChoice && index == lastIndex && last.kind() == kind && choice.partCount() == lastParts)
        {
            return last;
        }
        final MutablePart part = findBlock(choice, index, kind, field);
        if (part != null)
        {
            lastChoice = choice;
            lastBlock = part;
            lastIndex = index;
            lastParts = choice.partCount();
        }
        return part;
    }

    /** {@link #blockOfKind} looked up, created or refused. */
    private MutablePart findBlock(final MutableChoice choice, final long index, final MutablePart.Kind kind, final String field)
    {
        MutablePart part = choice.partAt(index, null);
        if (part == null)
        {
            part = aggregate.newPart(choice, kind, index);
            if (part == null)
            {
                return null;
            }
            if (kind == MutablePart.Kind.TOOL_CALL)
            {
                part.type().set("tool_use", 256);
                aggregate.toolCallStarted(choice, part);
            }
            return part;
        }
        if (part.kind() != kind)
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, "'" + field + "' delta for block " + index + " of type " +
                part.type() + "; ignored");
            return null;
        }
        return part;
    }

    void stopBlock(final long index)
    {
        final MutableChoice choice = aggregate.choice(0);
        final MutablePart part = choice == null ? null : choice.partAt(index, null);
        if (part == null || part.isEnded())
        {
            return;
        }
        if (part.kind() == MutablePart.Kind.TOOL_CALL)
        {
            startInputAsArguments(choice, part);
            checkToolInput(part);
        }
        aggregate.endPart(choice, part);
    }

    /**
     * A tool block whose input came whole in its start (programmatic tool calling; a whole message sent in
     * message_start) with no input_json_delta after it: that input is its arguments, as the Messages API returns it.
     * A streamed block starts with the placeholder {@code {}}, which is none.
     */
    private void startInputAsArguments(final MutableChoice choice, final MutablePart call)
    {
        if (call.text().length() > 0)
        {
            return;
        }
        final MutableRawJson input = call.extra().get("input");
        if (input == null || input.type() != MutableRawJson.Type.STRUCTURED || input.structuredBytes()[0] != '{' ||
            JsonBytes.skipWhitespace(input.structuredBytes(), 1, input.structuredLength()) == input.structuredLength() - 1)
        {
            return;
        }
        final String json = input.json();
        aggregate.appendArguments(choice, call, json.toCharArray(), 0, json.length());
    }

    /** Tool blocks still open when the message finishes or ends: their input may be cut short. */
    void checkOpenToolInputs()
    {
        final MutableChoice choice = aggregate.choice(0);
        if (choice == null)
        {
            return;
        }
        for (int i = 0; i < choice.partCount(); i++)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && !p.isEnded())
            {
                startInputAsArguments(choice, p);
                checkToolInput(p);
            }
        }
    }

    private void checkToolInput(final MutablePart call)
    {
        if (dialect.inputState(call) == AnthropicDialect.INPUT_INVALID)
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, call.type() + " input of block " + call.wireIndex() +
                " is not complete JSON (" + call.text().length() + " characters); kept as a string");
        }
    }
}
