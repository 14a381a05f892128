package io.streamfold.aggregator.internal.dialect.bedrock;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

/**
 * The content blocks of a Converse stream ({@code contentBlockStart} and {@code contentBlockDelta} bodies),
 * each a part of choice 0 keyed by {@code contentBlockIndex}.
 *
 * <p>A {@code toolResult} or {@code image} block is a <em>member block</em>: its start and its deltas name the same
 * member, and the Converse response holds one object under that name. It is an {@link MutablePart.Kind#OTHER} part
 * typed by the member: the start's fields are kept in {@link MutablePart#extra()}, and the deltas fold into
 * {@link MutablePart#deltas()} by the generic rule (late data, limits and the result's budget as for any delta
 * field): a {@code toolResult} delta's list into field {@code content}, its entries appended as sent (a text entry is
 * not joined to the one before: the API documents each {@code ToolResultBlockDelta} as one {@code text} or
 * {@code json} entry, as the finished {@code ToolResultBlock}'s content lists them), an {@code image} delta's fields
 * ({@code source}...) field by field. A member delta of another JSON type, or for a block of another kind, is a
 * {@link ErrorKind#MALFORMED_JSON} error and is not folded; one without a start makes the block without the start's
 * fields, as a {@code toolUse} input before its start does.
 */
final class ContentBlocks
{
    private final BedrockDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private long rejectedIndex = -1;
    /** True when the last {@link #block} call created the part. */
    private boolean created;

    ContentBlocks(final BedrockDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
    }

    void reset()
    {
        rejectedIndex = -1;
    }

    void readStart(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (BedrockDialect.TOOL_USE.equals(name) && value == JsonToken.START_OBJECT)
            {
                toolUseStart(r, index);
                continue;
            }
            if (isMemberBlock(name))
            {
                memberStart(r, index, name);
                continue;
            }
            // Any other block kind (image, tool result...) is kept whole.
            final MutablePart part = block(index, MutablePart.Kind.OTHER);
            if (part == null)
            {
                r.skip();
                continue;
            }
            dialect.captureKeepingNonEmpty(part.extra(), name, r);
        }
    }

    private void toolUseStart(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        final MutablePart call = block(index, MutablePart.Kind.TOOL_CALL);
        if (call == null)
        {
            r.skip();
            return;
        }
        final boolean announce = created;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "toolUseId":
                    setIfString(r, value, call.id());
                    break;
                case "name":
                    setIfString(r, value, call.name());
                    break;
                case "type":
                    setIfString(r, value, call.type());
                    break;
                default:
                    dialect.captureKeepingNonEmpty(call.extra(), name, r);
            }
        }
        if (Dialect.isServerToolType(call.type()))
        {
            call.markServerExecuted();
        }
        if (announce)
        {
            aggregate.toolCallStarted(aggregate.choiceForIndex(0), call);
        }
    }

    /** @return true for the members whose start and deltas build one object (see the class comment). */
    static boolean isMemberBlock(final CharSequence member)
    {
        return CharSequence.compare(BedrockDialect.TOOL_RESULT, member) == 0 || CharSequence.compare(BedrockDialect.IMAGE, member) == 0;
    }

    /** A member block's start: its object's fields are the block's first fields. */
    private void memberStart(final JsonReader r, final long index, final String member) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            malformed(member, "start", index, "must be an object");
            r.skip();
            return;
        }
        final MutablePart part = memberBlock(index, member, "start");
        if (part == null)
        {
            r.skip();
            return;
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            r.next();
            dialect.captureKeepingNonEmpty(part.extra(), name, r);
        }
    }

    /** A member block's delta: a toolResult list appended to its content, an image object folded field by field. */
    private void memberDelta(final JsonReader r, final MutableChoice choice, final long index, final String member)
        throws JsonReader.BadPayload
    {
        final boolean list = BedrockDialect.TOOL_RESULT.equals(member);
        if (r.token() != (list ? JsonToken.START_ARRAY : JsonToken.START_OBJECT))
        {
            malformed(member, "delta", index, list ? "must be a list" : "must be an object");
            r.skip();
            return;
        }
        final MutablePart part = memberBlock(index, member, "delta");
        if (part == null)
        {
            r.skip();
        }
        else if (list)
        {
            aggregate.genericDeltas().fold(choice, part, BedrockDialect.CONTENT, r, false);
        }
        else
        {
            while (r.next() == JsonToken.FIELD_NAME)
            {
                final String name = r.name();
                r.next();
                aggregate.genericDeltas().fold(choice, part, name, r, false);
            }
        }
    }

    /**
     * @return the member block at {@code index}, created (typed by {@code member}) when the index holds no block yet;
     * null, after a {@link ErrorKind#MALFORMED_JSON} error, when it holds a block of another kind (its content must
     * not change kind under it), or past a limit.
     */
    private MutablePart memberBlock(final long index, final String member, final String event)
    {
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return null;
        }
        final MutablePart existing = choice.partAt(index, null);
        if (existing != null)
        {
            if (existing.kind() == MutablePart.Kind.OTHER && existing.type().contentEquals(member))
            {
                return existing;
            }
            malformed(member, event, index, "the block is " + (existing.type().length() > 0 ? existing.type() : existing.kind()));
            return null;
        }
        final MutablePart part = block(index, MutablePart.Kind.OTHER);
        if (part != null)
        {
            part.type().set(member, member.length());
        }
        return part;
    }

    private void malformed(final String member, final String event, final long index, final String why)
    {
        aggregate.error(ErrorKind.MALFORMED_JSON, "'" + member + "' " + event + " for block " + index + ": " + why + "; ignored");
    }

    private void setIfString(final JsonReader r, final JsonToken value, final MutableTextBuffer into) throws JsonReader.BadPayload
    {
        if (value == JsonToken.VALUE_STRING)
        {
            final CharView v = r.text();
            if (!into.set(v.array(), v.offset(), v.length(), limits.maxTextChars()))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool use field longer than " + limits.maxTextChars());
            }
        }
        else
        {
            r.skip();
        }
    }

    /** @return true when the delta held exactly one field, a text string (learnable by the fast path). */
    boolean readDelta(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        final MutableChoice choice = aggregate.choiceForIndex(0);
        int fields = 0;
        boolean text = false;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            fields++;
            switch (name)
            {
                case "text":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        text = true;
                        final CharView v = r.text();
                        textDelta(choice, index, v.array(), v.offset(), v.length());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case BedrockDialect.TOOL_USE:
                    toolUseDelta(r, choice, index);
                    break;
                case "reasoningContent":
                    reasoningDelta(r, choice, index);
                    break;
                case BedrockDialect.TOOL_RESULT:
                case BedrockDialect.IMAGE:
                    memberDelta(r, choice, index, name);
                    break;
                case "citation":
                {
                    final MutablePart part = block(index, MutablePart.Kind.TEXT);
                    if (part == null)
                    {
                        r.skip();
                    }
                    else if (!r.captureInto(part.annotations()))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "citations larger than " + limits.maxRawBytes() + " bytes");
                    }
                    break;
                }
                default:
                {
                    // A delta member this version does not know: folded by the generic rule, never dropped.
                    final MutablePart part = block(index, MutablePart.Kind.OTHER);
                    if (part == null)
                    {
                        r.skip();
                    }
                    else
                    {
                        aggregate.genericDeltas().fold(choice, part, name, r, false);
                    }
                }
            }
        }
        return fields == 1 && text;
    }

    /** The one effect of a text delta, shared by the full path and the fast path. */
    void textDelta(final MutableChoice choice, final long index, final char[] chars, final int offset, final int length)
    {
        final MutablePart part = block(index, MutablePart.Kind.TEXT);
        if (part != null)
        {
            aggregate.appendText(choice, part, chars, offset, length);
        }
    }

    private void toolUseDelta(final JsonReader r, final MutableChoice choice, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("input".equals(name) && value == JsonToken.VALUE_STRING)
            {
                final MutablePart call = block(index, MutablePart.Kind.TOOL_CALL);
                if (call != null)
                {
                    if (created)
                    {
                        // Input before any contentBlockStart: announce the call, without id or name.
                        aggregate.toolCallStarted(choice, call);
                    }
                    final CharView v = r.text();
                    aggregate.appendArguments(choice, call, v.array(), v.offset(), v.length());
                }
            }
            else
            {
                r.skip();
            }
        }
    }

    private void reasoningDelta(final JsonReader r, final MutableChoice choice, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (value != JsonToken.VALUE_STRING)
            {
                r.skip();
                continue;
            }
            final CharView v = r.text();
            switch (name)
            {
                case "text":
                {
                    final MutablePart part = block(index, MutablePart.Kind.REASONING);
                    if (part != null)
                    {
                        aggregate.appendText(choice, part, v.array(), v.offset(), v.length());
                    }
                    break;
                }
                case "signature":
                {
                    final MutablePart part = block(index, MutablePart.Kind.REASONING);
                    if (part != null && !part.signature().append(v.array(), v.offset(), v.length(), limits.maxTextChars()))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "reasoning signature longer than " + limits.maxTextChars());
                    }
                    break;
                }
                case BedrockDialect.REDACTED:
                {
                    // Encrypted reasoning: an OTHER part's text, charged to the result's budget but never announced.
                    final MutablePart part = block(index, MutablePart.Kind.OTHER);
                    if (part != null)
                    {
                        part.type().set(BedrockDialect.REDACTED, BedrockDialect.REDACTED.length());
                        aggregate.appendText(choice, part, v.array(), v.offset(), v.length());
                    }
                    break;
                }
                default:
                    // The string is already consumed; nothing else to keep for an unknown reasoning field.
                    break;
            }
        }
    }

    /**
     * @return the part of choice 0 for block {@code index} holding {@code kind}, created on first use; null
     * (error reported once per index) past a limit.
     */
    MutablePart block(final long index, final MutablePart.Kind kind)
    {
        created = false;
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return null;
        }
        final MutablePart existing = choice.partAt(index, kind);
        if (existing != null)
        {
            return existing;
        }
        if (index == rejectedIndex)
        {
            return null;
        }
        final MutablePart part = aggregate.newPart(choice, kind, index);
        if (part == null)
        {
            rejectedIndex = index;
            return null;
        }
        if (kind == MutablePart.Kind.TOOL_CALL)
        {
            part.type().set(BedrockDialect.TOOL_USE, BedrockDialect.TOOL_USE.length());
        }
        created = true;
        return part;
    }
}
