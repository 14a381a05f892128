package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_OTHER;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;

/**
 * {@code response.<name>.delta} events this dialect does not know (code interpreter code, custom tool input, MCP
 * arguments, and whatever comes next): their string {@code delta} is folded into the item by the generic rule, never
 * dropped. The field is the event's name less the item's type ({@code response.code_interpreter_call_code.delta} on
 * a {@code code_interpreter_call} item fills {@code code}), else the whole name; the item's final value, when
 * {@code output_item.done} brings one, wins over the joined deltas.
 */
final class UnknownDeltas
{
    private static final String PREFIX = "response.";
    private static final String SUFFIX = ".delta";

    private final MutableAggregate aggregate;
    private final OutputItems items;
    private final MutableTextBuffer field = new MutableTextBuffer();

    UnknownDeltas(final MutableAggregate aggregate, final OutputItems items)
    {
        this.aggregate = aggregate;
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

    void fold(final CharSequence type, final long outputIndex, final CharSequence itemId, final CharSequence delta)
    {
        final Item item = items.itemForEvent(outputIndex, itemId, ITEM_UNKNOWN);
        final MutableChoice choice = items.current();
        if (item == null || choice == null)
        {
            return;
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
        aggregate.genericDeltas().append(choice, part, field.toString(), delta);
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
