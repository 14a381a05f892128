package io.streamfold.aggregator.internal.dialect.anthropic;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

/**
 * The content blocks of a message ({@code content_block_start}, {@code _delta}, {@code _stop}), each a part of
 * choice 0 keyed by the block {@code index}.
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
    /** Reads a content block; its fields are read once its type is known. */
    private final JsonReader blockReader;
    private final MutableRawJson blockRaw = new MutableRawJson();
    private final MutableTextBuffer blockType = new MutableTextBuffer();
    /** The type of the delta being read. */
    private final MutableTextBuffer deltaType = new MutableTextBuffer();
    /** The delta shape the event being folded can be learnt as (a shape of AnthropicDialect), or -1. */
    private int learnShape = -1;

    ContentBlocks(final AnthropicDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        blockReader = new JsonReader(limits);
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

    /** Leaves no reader inside a payload rejected half-read. */
    void abandon()
    {
        blockReader.abandon();
    }

    /**
     * A block's meaning depends on its type, which may be any of its fields: keep the block raw, find the
     * type (normally the first field, so this costs a few tokens), then read the fields knowing it.
     */
    void readBlockStart(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("content_block is not an object");
        }
        if (!r.capture(blockRaw))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "content block " + index + " larger than " + limits.maxRawBytes() + " bytes");
            return;
        }
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        final int length = blockRaw.structuredLength();
        blockType.clear();
        blockReader.begin(blockRaw);
        boolean typeFirst = false;
        if (blockReader.next() == JsonToken.FIELD_NAME && "type".equals(blockReader.name()) &&
            blockReader.next() == JsonToken.VALUE_STRING)
        {
            final CharView v = blockReader.text();
            blockType.set(v.array(), v.offset(), v.length(), 256);
            typeFirst = true;
        }
        else
        {
            findBlockType(length);
            blockReader.begin(blockRaw);
        }

        final MutablePart.Kind kind = blockKind(blockType);
        final MutablePart part = aggregate.newPart(choice, kind, index);
        if (part == null)
        {
            blockReader.abandon();
            return;
        }
        part.type().set(blockType, 256);
        if (kind == MutablePart.Kind.OTHER && typeFirst)
        {
            // Kept whole, field order included.
            part.extra().slot("type", limits.maxRawFields()).setScalar(
                MutableRawJson.Type.STRING, blockType.array(), 0, blockType.length(), limits.maxRawBytes());
        }
        while (blockReader.next() == JsonToken.FIELD_NAME)
        {
            final String name = blockReader.name();
            blockReader.next();
            readBlockField(choice, part, name, blockReader);
        }
        blockReader.finish();
        if (kind == MutablePart.Kind.TOOL_CALL)
        {
            aggregate.toolCallStarted(choice, part);
        }
    }

    /** The block's type is not its first field (rare): walk the kept block again for it. */
    private void findBlockType(final int length) throws JsonReader.BadPayload
    {
        blockReader.abandon();
        blockReader.begin(blockRaw);
        while (blockReader.next() == JsonToken.FIELD_NAME)
        {
            final String name = blockReader.name();
            final JsonToken value = blockReader.next();
            if ("type".equals(name) && value == JsonToken.VALUE_STRING)
            {
                final CharView v = blockReader.text();
                blockType.set(v.array(), v.offset(), v.length(), 256);
                break;
            }
            blockReader.skip();
        }
        blockReader.abandon();
    }

    private static MutablePart.Kind blockKind(final MutableTextBuffer type)
    {
        if (type.contentEquals("text"))
        {
            return MutablePart.Kind.TEXT;
        }
        if (type.contentEquals("thinking"))
        {
            return MutablePart.Kind.REASONING;
        }
        // tool_use, server_tool_use, mcp_tool_use: calls whose input streams as JSON fragments.
        final String suffix = "tool_use";
        final int n = type.length();
        if (n < suffix.length())
        {
            return MutablePart.Kind.OTHER;
        }
        for (int i = 0; i < suffix.length(); i++)
        {
            if (type.charAt(n - suffix.length() + i) != suffix.charAt(i))
            {
                return MutablePart.Kind.OTHER;
            }
        }
        return MutablePart.Kind.TOOL_CALL;
    }

    private void readBlockField(final MutableChoice choice, final MutablePart part, final String name, final JsonReader r)
        throws JsonReader.BadPayload
    {
        final JsonToken value = r.token();
        switch (part.kind())
        {
            case TEXT:
                if ("type".equals(name))
                {
                    return;
                }
                if ("text".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    aggregate.appendText(choice, part, v.array(), v.offset(), v.length());
                    return;
                }
                if ("citations".equals(name) && value == JsonToken.START_ARRAY)
                {
                    part.annotations().markPresent();
                    while (r.next() != JsonToken.END_ARRAY)
                    {
                        addCitation(part, r);
                    }
                    return;
                }
                break;
            case REASONING:
                if ("type".equals(name))
                {
                    return;
                }
                if ("thinking".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    aggregate.appendText(choice, part, v.array(), v.offset(), v.length());
                    return;
                }
                if ("signature".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    part.signature().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    return;
                }
                break;
            case TOOL_CALL:
                if ("type".equals(name))
                {
                    return;
                }
                if ("id".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    part.id().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    return;
                }
                if ("name".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    part.name().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    return;
                }
                break;
            default:
                break;
        }
        // Everything else (a tool's initial input, caller, a whole server tool result) is kept as sent.
        dialect.captureKeepingNonEmpty(part.extra(), name, r);
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

    private void citationKept(final MutablePart part, final boolean kept)
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
                    noteDelta(AnthropicDialect.TEXT_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.TEXT, name, r, value);
                    break;
                case "thinking":
                    noteDelta(AnthropicDialect.THINKING_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.REASONING, name, r, value);
                    break;
                case "partial_json":
                    noteDelta(AnthropicDialect.PARTIAL_JSON_SHAPE, value == JsonToken.VALUE_STRING);
                    appendDeltaText(choice, index, MutablePart.Kind.TOOL_CALL, name, r, value);
                    break;
                case "signature":
                {
                    learnShape = -2;
                    final MutablePart part = value == JsonToken.VALUE_STRING ?
                        blockOfKind(choice, index, MutablePart.Kind.REASONING, name) : null;
                    if (part != null)
                    {
                        final CharView v = r.text();
                        if (!part.signature().append(v.array(), v.offset(), v.length(), limits.maxTextChars()))
                        {
                            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "signature of block " + index + " longer than " +
                                limits.maxTextChars() + " characters");
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                }
                case "citation":
                {
                    noteDelta(AnthropicDialect.CITATION_SHAPE, value == JsonToken.START_OBJECT);
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
        for (final String known : KNOWN_DELTAS)
        {
            if (deltaType.contentEquals(known))
            {
                return KNOWN_DELTA;
            }
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
            checkToolInput(part);
        }
        aggregate.endPart(choice, part);
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
