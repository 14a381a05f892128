package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_OTHER;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_REASONING;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;

/** Writes the non-streaming {@code response} object from the folded model and the decoder's output items. */
final class OpenAiResponsesWriter
{
    private OpenAiResponsesWriter()
    {
    }

    /** @param items the output items the decoder folded, in arrival order. */
    static void write(final MutableAggregate result, final List<Item> items, final JsonGenerator g) throws IOException
    {
        final MutableRawFields meta = result.meta();
        g.writeStartObject();
        writeOrDefault(g, meta, "id", "");
        writeOrDefault(g, meta, "object", "response");
        writeOrDefault(g, meta, "created_at", null);
        writeOrDefault(g, meta, "status", result.outcome() == Outcome.IN_PROGRESS ? "in_progress" : null);
        writeOrDefault(g, meta, "model", "");
        final boolean errorInMeta = meta.has("error");
        meta.writeFields(g, "id", "object", "created_at", "status", "model", "error");
        g.writeFieldName("error");
        if (errorInMeta)
        {
            meta.get("error").write(g);
        }
        else if (!result.providerError().isNullish())
        {
            result.providerError().write(g);
        }
        else
        {
            g.writeNull();
        }
        g.writeArrayFieldStart("output");
        final ArrayList<Item> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Long.compare(a.outputIndex, b.outputIndex));
        for (final Item item : sorted)
        {
            writeItem(g, item);
        }
        g.writeEndArray();
        g.writeFieldName("usage");
        if (result.usage().isPresent())
        {
            g.writeStartObject();
            result.usage().fields().writeFields(g);
            g.writeEndObject();
        }
        else
        {
            g.writeNull();
        }
        g.writeEndObject();
    }

    private static void writeOrDefault(final JsonGenerator g, final MutableRawFields meta, final String field, final String fallback)
        throws IOException
    {
        final MutableRawJson v = meta.get(field);
        if (v != null)
        {
            g.writeFieldName(field);
            v.write(g);
        }
        else if (fallback != null)
        {
            g.writeStringField(field, fallback);
        }
    }

    private static void writeItem(final JsonGenerator g, final Item item) throws IOException
    {
        g.writeStartObject();
        final MutablePart deltas = item.unknownDeltas != null ? item.unknownDeltas : item.call;
        if (item.kind == ITEM_OTHER || item.kind == ITEM_UNKNOWN && item.slotCount == 0)
        {
            // A streamed argument field (a custom tool's input, code, MCP arguments) is its call's arguments, as a
            // function call's are: what its deltas gave, then reconciled with the item's own value.
            final String input = item.callRow >= 0 && item.call != null ? CallItems.streamedField(item.callRow) : null;
            for (int i = 0; i < item.fields.size(); i++)
            {
                final String field = item.fields.name(i);
                if (field.equals(input))
                {
                    g.writeFieldName(field);
                    g.writeString(item.call.text().array(), 0, item.call.text().length());
                }
                else if (!deltaWins(item, deltas, field))
                {
                    g.writeFieldName(field);
                    item.fields.value(i).write(g);
                }
            }
            if (input != null && !item.fields.has(input) && item.call.text().length() > 0)
            {
                // Streamed into an item whose added form lacked the field (a cut stream): its deltas are all there is.
                g.writeFieldName(input);
                g.writeString(item.call.text().array(), 0, item.call.text().length());
            }
            writeDeltas(g, item, deltas);
            g.writeEndObject();
            return;
        }
        boolean wroteContent = false;
        boolean wroteSummary = false;
        final boolean call = item.kind == ITEM_FUNCTION_CALL;
        if (!item.fields.has("type"))
        {
            g.writeStringField("type", item.kind == ITEM_REASONING ? "reasoning" : call ? FUNCTION_CALL : "message");
        }
        for (int i = 0; i < item.fields.size(); i++)
        {
            final String field = item.fields.name(i);
            if (!call && "content".equals(field))
            {
                writeSlots(g, field, item, false);
                wroteContent = true;
            }
            else if (!call && "summary".equals(field))
            {
                writeSlots(g, field, item, true);
                wroteSummary = true;
            }
            else if (!deltaWins(item, deltas, field))
            {
                g.writeFieldName(field);
                item.fields.value(i).write(g);
            }
        }
        writeDeltas(g, item, deltas);
        if (call)
        {
            final MutablePart p = item.call;
            g.writeFieldName("arguments");
            if (p != null)
            {
                g.writeString(p.text().array(), 0, p.text().length());
                g.writeStringField("call_id", p.id().toString());
                g.writeStringField("name", p.name().toString());
            }
            else
            {
                g.writeString("");
            }
        }
        else if (item.kind == ITEM_REASONING)
        {
            if (!wroteSummary)
            {
                writeSlots(g, "summary", item, true);
            }
            if (!wroteContent && item.hasSlots(false))
            {
                writeSlots(g, "content", item, false);
            }
        }
        else if (!wroteContent)
        {
            writeSlots(g, "content", item, false);
        }
        g.writeEndObject();
    }

    /**
     * @return true when field {@code name} comes from unknown delta events: joined deltas take the place of the
     * item's start value while it streams. The item read whole and final dropped them (see {@link Item#dropUnknownDeltas}).
     */
    private static boolean deltaWins(final Item item, final MutablePart deltas, final String name)
    {
        return deltas != null && deltas.hasDeltas() && deltas.deltas().has(name) &&
            !(item.kind == ITEM_FUNCTION_CALL && ("arguments".equals(name) || "call_id".equals(name) || "name".equals(name)));
    }

    private static void writeDeltas(final JsonGenerator g, final Item item, final MutablePart deltas) throws IOException
    {
        for (int i = 0; deltas != null && deltas.hasDeltas() && i < deltas.deltas().size(); i++)
        {
            if (deltaWins(item, deltas, deltas.deltas().name(i)))
            {
                deltas.deltas().writeField(g, i);
            }
        }
    }

    private static void writeSlots(final JsonGenerator g, final String field, final Item item, final boolean summary)
        throws IOException
    {
        g.writeArrayFieldStart(field);
        long last = -1;
        while (true)
        {
            // Ordered by index; items hold a handful of parts, so a selection pass is enough.
            Slot next = null;
            for (int i = 0; i < item.slotCount; i++)
            {
                final Slot s = item.slots[i];
                if (s.summary == summary && s.index > last && (next == null || s.index < next.index))
                {
                    next = s;
                }
            }
            if (next == null)
            {
                break;
            }
            writeSlot(g, next);
            last = next.index;
        }
        g.writeEndArray();
    }

    private static void writeSlot(final JsonGenerator g, final Slot slot) throws IOException
    {
        final MutablePart p = slot.part;
        g.writeStartObject();
        final String type = p.type().length() > 0 ? p.type().toString() :
            p.kind() == MutablePart.Kind.REFUSAL ? "refusal" : p.kind() == MutablePart.Kind.REASONING ?
            (slot.summary ? "summary_text" : "reasoning_text") : "output_text";
        g.writeStringField("type", type);
        if (p.kind() == MutablePart.Kind.TEXT)
        {
            g.writeFieldName("annotations");
            if (p.annotations().isPresent())
            {
                p.annotations().write(g);
            }
            else
            {
                g.writeStartArray();
                g.writeEndArray();
            }
            if (slot.logprobs.isPresent())
            {
                g.writeFieldName("logprobs");
                slot.logprobs.write(g);
            }
        }
        g.writeFieldName(p.kind() == MutablePart.Kind.REFUSAL ? "refusal" : "text");
        g.writeString(p.text().array(), 0, p.text().length());
        p.extra().writeFields(g, "type", "text", "refusal", "annotations", "logprobs");
        g.writeEndObject();
    }
}
