package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.parser.ErrorKind;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_OTHER;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;

/**
 * {@code response.<name>.delta} events this dialect does not know (code interpreter code, MCP arguments, a shell
 * call's commands, and whatever comes next): their string {@code delta} is folded into the item by the generic rule, so
 * that a stream cut before the item's end still shows what they carried. The field is the event's name less the item's
 * type ({@code response.code_interpreter_call_code.delta} on a {@code code_interpreter_call} item fills {@code code}),
 * else the whole name. That name is a guess ({@code apply_patch_call_operation_diff} streams {@code operation.diff}),
 * so the item read whole and final (its {@code output_item.done}, or the terminal response's output) replaces them:
 * see {@link Item#dropUnknownDeltas}.
 *
 * <p>An event with other {@code *_index} members ({@code command_index}: one of several commands) is keyed by their
 * values: the field is an object with one joined string per key ({@code "command": {"0": "ls", "1": "pwd"}}), since
 * joining the pieces of different commands would make one that was never sent. The deltas of a call item's streamed
 * argument field (a custom tool's {@code input}, the code interpreter's {@code code}, an MCP call's {@code arguments})
 * are its arguments (see {@link CallItems}).
 */
final class UnknownDeltas
{
    private static final String PREFIX = "response.";
    private static final String SUFFIX = ".delta";

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final OutputItems items;
    private final MutableTextBuffer field = new MutableTextBuffer();

    UnknownDeltas(final MutableAggregate aggregate, final AggregationLimits limits, final OutputItems items)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.items = items;
    }

    /** @return true when {@code type} names a delta event ({@code response.<name>.delta}). */
    static boolean isDelta(final CharSequence type)
    {
        final int n = type.length();
        if (n <= PREFIX.length() + SUFFIX.length() || !ResponsesEvents.startsWith(type, PREFIX))
        {
            return false;
        }
        for (int i = 0; i < SUFFIX.length(); i++)
        {
            if (type.charAt(n - SUFFIX.length() + i) != SUFFIX.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    void fold(final GatheredEvent event)
    {
        final CharSequence type = event.typeName;
        if (event.otherIndexMismatch != null)
        {
            // As a known index that is none: what it would select is unknown, so the event is not folded.
            aggregate.error(ErrorKind.MALFORMED_JSON, event.otherIndexMismatch);
            return;
        }
        if (event.otherIndexMax > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "index " + event.otherIndexMax + " of " + type + " outside 0.." +
                limits.maxIndex() + "; not folded");
            return;
        }
        final Item item = items.itemForEvent(event.outputIndex, event.itemId, ITEM_UNKNOWN);
        final MutableChoice choice = items.current();
        if (item == null || choice == null)
        {
            return;
        }
        final CharSequence delta = event.delta;
        final String streamed = item.callRow >= 0 ? CallItems.streamedField(item.callRow) : null;
        if (streamed != null && item.call != null && event.otherIndexes.length() == 0)
        {
            fieldName(type, item);
            if (field.contentEquals(streamed))
            {
                aggregate.appendArguments(choice, item.call, event.delta.array(), 0, event.delta.length());
                return;
            }
        }
        final MutablePart part = partOf(item, choice);
        if (part == null)
        {
            return;
        }
        if (item.done && !part.isEnded())
        {
            aggregate.endPart(choice, part);
        }
        fieldName(type, item);
        if (event.otherIndexes.length() == 0)
        {
            aggregate.genericDeltas().append(choice, part, field.toString(), delta);
        }
        else
        {
            aggregate.genericDeltas().appendKeyed(choice, part, field.toString(), event.otherIndexes.toString(), delta);
        }
    }

    /** The item's call or whole-kept part; an item with its own parts (a message, reasoning) gets one on the side. */
    private MutablePart partOf(final Item item, final MutableChoice choice)
    {
        final boolean keptWhole = item.kind == ITEM_OTHER || item.kind == ITEM_FUNCTION_CALL ||
            item.kind == ITEM_UNKNOWN && item.slotCount == 0;
        if (keptWhole && item.call != null)
        {
            return item.call;
        }
        if (!keptWhole && item.unknownDeltas != null)
        {
            return item.unknownDeltas;
        }
        final MutablePart part = aggregate.newPart(choice, MutablePart.Kind.OTHER, item.outputIndex);
        if (part == null)
        {
            return null;
        }
        final CharSequence type = ResponsesEvents.stringOrNull(item.fields.get("type"));
        if (type != null)
        {
            part.type().set(type, 256);
        }
        if (keptWhole)
        {
            item.call = part;
        }
        else
        {
            item.unknownDeltas = part;
        }
        return part;
    }

    private void fieldName(final CharSequence type, final Item item)
    {
        final int end = type.length() - SUFFIX.length();
        int start = PREFIX.length();
        final MutableRawJson itemType = item.fields.get("type");
        if (itemType != null && itemType.type() == MutableRawJson.Type.STRING)
        {
            final CharSequence t = itemType.text();
            final int after = start + t.length();
            if (after + 1 < end && type.charAt(after) == '_' && ResponsesEvents.startsWith(type.subSequence(start, after), t))
            {
                start = after + 1;
            }
        }
        field.set(type.subSequence(start, end), Integer.MAX_VALUE);
    }
}
