package io.streamfold.aggregator.internal.dialect.openai.responses;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_MESSAGE;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_OTHER;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_REASONING;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.itemKind;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.stringOrNull;

/**
 * Reads whole output items and content parts (from {@code output_item.*}, {@code content_part.*} and the
 * terminal response's {@code output}) into the items' parts, reconciled with what the deltas gave.
 */
final class ItemReader
{
    private final OpenAiResponsesDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final OutputItems items;
    /** Replays fields of an item (content, summary) captured while the item was read. */
    private final JsonReader inner;

    // Scratch for one item or content part being read.
    private final MutableRawFields incoming = new MutableRawFields();
    private final MutableTextBuffer partText = new MutableTextBuffer();
    private final MutableTextBuffer finalText = new MutableTextBuffer();
    private final LogprobEntries logprobs;

    ItemReader(
        final OpenAiResponsesDialect dialect,
        final MutableAggregate aggregate,
        final AggregationLimits limits,
        final OutputItems items,
        final JsonReader inner)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.items = items;
        this.inner = inner;
        logprobs = new LogprobEntries(aggregate, limits);
    }

    /** @return the fields of the item last gathered. */
    MutableRawFields incoming()
    {
        return incoming;
    }

    /** Reads an item object (from output_item.added / .done); {@code isFinal} for the complete item. */
    void readItem(final JsonReader r, final Item item, final boolean isFinal) throws JsonReader.BadPayload
    {
        gatherFields(r);
        applyItem(item, isFinal);
    }

    void gatherFields(final JsonReader r) throws JsonReader.BadPayload
    {
        incoming.clear();
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("output item is not an object");
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String field = r.name();
            r.next();
            final MutableRawJson slot = incoming.slot(field, limits.maxRawFields());
            if (slot == null)
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + field + "' dropped");
                r.skip();
            }
            else if (!r.capture(slot))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "field '" + field + "' larger than " + limits.maxRawBytes() + " bytes");
            }
        }
    }

    /** Applies the gathered fields of an item: metadata kept, content and arguments folded into parts. */
    void applyItem(final Item item, final boolean isFinal) throws JsonReader.BadPayload
    {
        final MutableRawJson type = incoming.get("type");
        if (type != null && type.type() == MutableRawJson.Type.STRING && item.kind == ITEM_UNKNOWN)
        {
            item.kind = itemKind(type.text());
        }
        else if (type != null && type.type() == MutableRawJson.Type.STRING && item.kind != ITEM_OTHER &&
            itemKind(type.text()) == ITEM_OTHER)
        {
            if (item.call == null && item.slotCount == 0)
            {
                item.kind = ITEM_OTHER;
            }
            else
            {
                // An item keeps its type for life: a later type that disagrees once parts were folded is damage,
                // and taking it would rewrite those parts (a call's id and type) or add an invented one.
                aggregate.error(ErrorKind.MALFORMED_JSON, "output item type '" + type.text() +
                    "' contradicts the item's earlier events; its parts are kept as they were");
            }
        }
        for (int i = 0; i < incoming.size(); i++)
        {
            final String field = incoming.name(i);
            final MutableRawJson value = incoming.value(i);
            if (item.kind == ITEM_FUNCTION_CALL && ("arguments".equals(field) || "call_id".equals(field) || "name".equals(field)))
            {
                continue;
            }
            final boolean folded = (item.kind == ITEM_MESSAGE || item.kind == ITEM_REASONING || item.kind == ITEM_UNKNOWN) &&
                ("content".equals(field) || "summary".equals(field));
            if (folded)
            {
                // The list is rebuilt from the parts; remember only that (and where) it was there.
                keep(item.fields, field, null);
                if (value.type() == MutableRawJson.Type.STRUCTURED)
                {
                    inner.begin(value);
                    if (inner.token() == JsonToken.START_ARRAY)
                    {
                        long index = 0;
                        while (inner.next() != JsonToken.END_ARRAY)
                        {
                            if (inner.token() == JsonToken.START_OBJECT)
                            {
                                readContentPart(inner, item, "summary".equals(field), index, isFinal);
                            }
                            else
                            {
                                inner.skip();
                            }
                            index++;
                        }
                    }
                    else
                    {
                        inner.skip();
                    }
                    inner.finish();
                }
                continue;
            }
            if (item.kind == ITEM_MESSAGE && "role".equals(field) && value.type() == MutableRawJson.Type.STRING &&
                value.text().length() > 0)
            {
                items.current().role().set(value.text(), limits.maxTextChars());
            }
            keep(item.fields, field, value);
        }
        if (item.kind == ITEM_FUNCTION_CALL)
        {
            final MutablePart call = items.callPart(item, stringOrNull(incoming.get("call_id")), stringOrNull(incoming.get("name")));
            final MutableRawJson args = incoming.get("arguments");
            if (call != null && args != null && args.type() == MutableRawJson.Type.STRING)
            {
                finalText.set(args.text(), limits.maxArgumentChars());
                items.reconcile(call, finalText, isFinal ? "function_call item" : "output_item.added");
            }
        }
        else if (item.kind == ITEM_OTHER)
        {
            if (item.call == null)
            {
                item.call = aggregate.newPart(items.current(), MutablePart.Kind.OTHER, item.outputIndex);
            }
            if (item.call != null)
            {
                final MutableRawJson t = item.fields.get("type");
                if (t != null && t.type() == MutableRawJson.Type.STRING)
                {
                    item.call.type().set(t.text(), limits.maxTextChars());
                }
                final MutableRawJson id = item.fields.get("id");
                if (id != null && id.type() == MutableRawJson.Type.STRING)
                {
                    item.call.id().set(id.text(), limits.maxTextChars());
                }
                item.call.extra().copyFrom(item.fields);
            }
        }
    }

    /**
     * Reads one content or summary part object: its text is reconciled with what deltas gave, its
     * annotations and logprobs taken when no event brought them, other fields kept on the part.
     */
    void readContentPart(
        final JsonReader r, final Item item, final boolean summary, final long index, final boolean isFinal)
        throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        final Slot slot = items.slot(item, summary, index < 0 ? 0 : index,
            summary || item.kind == ITEM_REASONING ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
        if (slot == null)
        {
            r.skip();
            return;
        }
        final MutablePart part = slot.part;
        partText.clear();
        final boolean annotationsStreamed = part.annotations().count() > 0;
        final boolean logprobsStreamed = slot.logprobs.count() > 0;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String field = r.name();
            final JsonToken value = r.next();
            switch (field)
            {
                case "type":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView t = r.text();
                        part.type().set(t.array(), t.offset(), t.length(), limits.maxTextChars());
                        if (t.contentEquals("refusal"))
                        {
                            part.kind(MutablePart.Kind.REFUSAL);
                        }
                        else if (t.contentEquals("reasoning_text") || t.contentEquals("summary_text"))
                        {
                            part.kind(MutablePart.Kind.REASONING);
                        }
                        else if (t.contentEquals("output_text"))
                        {
                            part.kind(MutablePart.Kind.TEXT);
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "text":
                case "refusal":
                    dialect.copyString(r, partText, limits.maxTextChars());
                    break;
                case "annotations":
                    if (value == JsonToken.START_ARRAY)
                    {
                        part.annotations().markPresent();
                        while (r.next() != JsonToken.END_ARRAY)
                        {
                            if (annotationsStreamed)
                            {
                                r.skip();
                            }
                            else if (!r.captureInto(part.annotations()))
                            {
                                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "annotations larger than " + limits.maxRawBytes() + " bytes");
                            }
                        }
                    }
                    else
                    {
                        dialect.captureKeepingNonEmpty(part.extra(), field, r);
                    }
                    break;
                case "logprobs":
                    if (value == JsonToken.START_ARRAY)
                    {
                        if (logprobsStreamed)
                        {
                            r.skip();
                        }
                        else
                        {
                            readLogprobs(r, slot, true);
                        }
                    }
                    else
                    {
                        dialect.captureKeepingNonEmpty(part.extra(), field, r);
                    }
                    break;
                default:
                    dialect.captureKeepingNonEmpty(part.extra(), field, r);
            }
        }
        items.reconcile(part, partText, part.type(), isFinal ? " part" : " part (added)");
    }

    /**
     * @param mark true when the list is a field of a content part, so the output writes it even empty;
     *             events carry {@code "logprobs":[]} on every delta of servers that never fill them.
     */
    void readLogprobs(final JsonReader r, final Slot slot, final boolean mark) throws JsonReader.BadPayload
    {
        if (mark)
        {
            slot.logprobs.markPresent();
        }
        while (r.next() != JsonToken.END_ARRAY)
        {
            if (r.token() != JsonToken.START_OBJECT)
            {
                r.skip();
                continue;
            }
            final MutableChoice choice = items.current();
            logprobs.read(r, choice, false, slot.logprobs, choice.contentLogprobs());
            choice.logprobsSeen();
        }
    }

    /** Keeps {@code value} as field {@code name} (null: a placeholder); an empty or null value never replaces one. */
    private void keep(final MutableRawFields target, final String field, final MutableRawJson value)
    {
        final MutableRawJson existing = target.get(field);
        if (value == null)
        {
            if (existing == null)
            {
                final MutableRawJson slot = target.slot(field, limits.maxRawFields());
                if (slot != null)
                {
                    slot.setLiteral(MutableRawJson.Type.NULL);
                }
            }
            return;
        }
        if (existing != null && !existing.isNullish() &&
            (value.isNullish() || (value.type() == MutableRawJson.Type.STRING && value.text().length() == 0)))
        {
            return;
        }
        final MutableRawJson slot = target.slot(field, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + field + "' dropped");
            return;
        }
        slot.copyFrom(value);
    }
}
