package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.internal.Buffers;
import org.agrona.DirectBuffer;

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
    /** Reads the logprobs lists of parts and events. */
    private final LogprobLists lists;
    /** The fields of the item being read, located by a byte scan. */
    private final JsonMembers fields = new JsonMembers();
    /** The fields of one of its content parts, and a part's annotations. */
    private final JsonMembers partFields = new JsonMembers();
    private final JsonMembers annotations = new JsonMembers();
    private final MutableRawJson scalar = new MutableRawJson();
    private final StringDecoder strings = new StringDecoder(256);
    private final CharView view = new CharView();
    /** Terminal output elements found to repeat their item's final read (for tests: the path is taken). */
    long repeatedFinals;
    /** Whether the event being applied was accepted by its check (set by the dialect before each): its bytes may be kept as such. */
    boolean checked;
    private CheckedRepeats repeats;
    /**
     * The slot and item of the content part last read whole and final from checked bytes ({@link CheckedRepeats} keeps its
     * bytes), the item's clock then, and the error count after it; null when that read reported something.
     */
    private Slot keptSlot;
    private Item keptItem;
    private long keptAt;
    private int keptErrors;
    /** Done items' content parts found to repeat that read, so not read again (for tests: the path is taken). */
    long repeatedParts;
    /** Logprobs inside a part, handed to the token reader. */
    private final DirectBuffer replay = Buffers.wrap(new byte[0]);

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
        lists = new LogprobLists(dialect, aggregate, limits, items);
    }

    void repeats(final CheckedRepeats repeats)
    {
        this.repeats = repeats;
    }

    /** @return the reader of logprobs lists (a delta's, a done text's). */
    LogprobLists lists()
    {
        return lists;
    }

    void reset()
    {
        keptSlot = null;
        keptItem = null;
    }

    /** @return the fields of the item last gathered. */
    MutableRawFields incoming()
    {
        return incoming;
    }

    /**
     * Reads an item object (from output_item.added / .done) by its members {@code m} (null: it is not an object);
     * {@code isFinal} for the complete item.
     */
    void readItem(final JsonMembers m, final Item item, final boolean isFinal) throws JsonReader.BadPayload
    {
        if (m == null)
        {
            throw new JsonReader.BadPayload("output item is not an object");
        }
        final int errorsBefore = aggregate.errorCount();
        gatherMembers(m);
        applyItem(item, isFinal);
        if (isFinal && dialect.scans())
        {
            keepFinal(item, m.bytes(), m.start(), m.end(), errorsBefore);
        }
    }

    /**
     * Keeps the bytes of an item just read whole and final, for the terminal response that repeats it: only when the
     * read reported nothing, cut no part, and the item has an id (the terminal response finds its items by id).
     */
    private void keepFinal(final Item item, final byte[] bytes, final int from, final int to, final int errorsBefore)
    {
        final MutableRawJson id = incoming.get("id");
        if (aggregate.errorCount() == errorsBefore && item.nothingCut() && id != null && id.type() == MutableRawJson.Type.STRING &&
            !id.isEmptyString())
        {
            item.keepFinal(bytes, from, to, checked);
        }
        else
        {
            item.finalItem.release();
        }
    }

    /**
     * An element of the terminal response's output that repeats byte for byte the item read whole and final at its
     * position, which no lookup led an event to since: found by its id as a read would find it, reading it again would
     * change nothing (the same fields kept again, every text found equal, annotations and logprobs already taken,
     * nothing reported the first time), so it is only ended, as the read would end it.
     *
     * @return the index just past the element, or -1 when it must be read.
     */
    int repeatedFinal(final byte[] bytes, final int from, final int limit, final long position)
    {
        if (position >= items.size() || !dialect.scans())
        {
            return -1;
        }
        final Item item = items.get((int)position);
        if (!item.finalItem.repeatsAt(bytes, from, limit))
        {
            return -1;
        }
        final MutableRawJson id = item.fields.get("id");
        if (id == null || id.type() != MutableRawJson.Type.STRING || id.isEmptyString() || items.findItemById(id.text()) != item ||
            item.touchedBefore != item.finalAt)
        {
            return -1;
        }
        item.finalAt = item.touched;
        items.endItem(item);
        repeatedFinals++;
        return from + item.finalItem.length();
    }

    /** @return where an item's members are read when the event's check did not locate them. */
    JsonMembers itemFields()
    {
        return fields;
    }

    /** @return where a content part's members are read when the event's check did not locate them. */
    JsonMembers partFields()
    {
        return partFields;
    }

    /**
     * Reads the item object at {@code from} in checked bytes (an element of the response's output).
     *
     * @return the index just past it.
     */
    int gatherFields(final byte[] bytes, final int from, final int limit)
    {
        fields.readObject(bytes, from, limit);
        gatherMembers(fields);
        return fields.end();
    }

    /**
     * Reads the item object whose members {@code m} are located in checked bytes (an element of the response's output).
     *
     * @return the index just past it.
     */
    int gatherFields(final JsonMembers m)
    {
        gatherMembers(m);
        return m.end();
    }

    /** Keeps the item's fields as they were sent; its values are not tokenized (they were checked with the event). */
    private void gatherMembers(final JsonMembers m)
    {
        incoming.clear();
        for (int i = 0; i < m.count(); i++)
        {
            final String field = m.name(i);
            final MutableRawJson slot = incoming.slot(field, limits.maxRawFields());
            if (slot == null)
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + field + "' dropped");
            }
            else if (!m.capture(i, slot, limits.maxRawBytes()))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "field '" + field + "' larger than " + limits.maxRawBytes() + " bytes");
            }
        }
    }

    /** Applies the gathered fields of an item: metadata kept, content and arguments folded into parts. */
    void applyItem(final Item item, final boolean isFinal) throws JsonReader.BadPayload
    {
        if (isFinal)
        {
            item.dropUnknownDeltas();
        }
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
                if (value.type() == MutableRawJson.Type.STRUCTURED && value.structuredBytes()[0] == '[')
                {
                    final byte[] bytes = value.structuredBytes();
                    final int end = value.structuredLength();
                    long index = 0;
                    final boolean summary = "summary".equals(field);
                    for (int at = JsonMembers.firstElement(bytes, 0, end); bytes[at] != ']'; index++)
                    {
                        final int repeated = isFinal && bytes[at] == '{' ? repeatedPart(bytes, at, end, item, summary, index) : -1;
                        at = JsonMembers.nextElement(bytes, repeated >= 0 ? repeated : bytes[at] == '{' ?
                            readContentPart(bytes, at, end, item, summary, index, isFinal) : JsonMembers.skip(bytes, at, end), end);
                    }
                }
                continue;
            }
            if (item.kind == ITEM_MESSAGE && "role".equals(field) && value.type() == MutableRawJson.Type.STRING &&
                !value.isEmptyString())
            {
                items.current().role().set(value.text(), limits.maxTextChars());
            }
            keep(item.fields, field, value);
        }
        if (item.kind == ITEM_FUNCTION_CALL)
        {
            final MutablePart call = items.callPart(item, stringOrNull(incoming.get("call_id")), stringOrNull(incoming.get("name")));
            finalCallId(call, isFinal);
            reconcileArguments(call, incoming.get("arguments"), isFinal ? "function_call item" : "output_item.added");
        }
        else if (item.kind == ITEM_OTHER)
        {
            final MutableRawJson t = item.fields.get("type");
            final boolean typed = t != null && t.type() == MutableRawJson.Type.STRING;
            if (item.call == null)
            {
                item.callRow = typed ? CallItems.of(t.text()) : -1;
                item.call = item.callRow < 0 ? aggregate.newPart(items.current(), MutablePart.Kind.OTHER, item.outputIndex) :
                    callItemPart(item);
            }
            if (item.call != null)
            {
                if (typed)
                {
                    item.call.type().set(t.text(), limits.maxTextChars());
                }
                final MutableRawJson id = item.fields.get("id");
                if (item.callRow < 0 && id != null && id.type() == MutableRawJson.Type.STRING)
                {
                    item.call.id().set(id.text(), limits.maxTextChars());
                }
                item.call.extra().copyFrom(item.fields);
                if (item.callRow >= 0)
                {
                    if (!item.call.serverExecuted() && CallItems.serverExecuted(item.callRow, incoming))
                    {
                        // Where a tool search ran may be said by its final item only.
                        item.call.markServerExecuted();
                    }
                    callItemArguments(item, isFinal);
                    finalCallId(item.call, isFinal);
                }
            }
        }
    }

    /**
     * The call id the item read whole and final gives is the one the client answers with: an added item's may be
     * provisional (a client tool search's changes by its done item), so the final one replaces it.
     */
    private void finalCallId(final MutablePart call, final boolean isFinal)
    {
        final CharSequence callId = isFinal && call != null ? stringOrNull(incoming.get("call_id")) : null;
        if (callId != null && callId.length() > 0 && !call.id().contentEquals(callId))
        {
            call.id().set(callId, limits.maxTextChars());
        }
    }

    /**
     * The tool-call part of an item that is a call (see {@link CallItems}), created and announced as a function call's;
     * a hosted call, which has no {@code call_id}, and an MCP approval request go by their item's id.
     */
    private MutablePart callItemPart(final Item item)
    {
        final String name = CallItems.name(item.callRow);
        final boolean server = CallItems.serverExecuted(item.callRow, incoming);
        final CharSequence callId = stringOrNull(incoming.get("call_id"));
        final MutablePart call = items.callPart(item, stringOrNull(incoming.get("type")),
            callId == null && CallItems.idIsItemId(item.callRow, incoming) ? stringOrNull(incoming.get("id")) : callId,
            name != null ? name : stringOrNull(incoming.get("name")), server);
        if (call != null && CallItems.freeText(item.callRow))
        {
            call.markFreeformArguments();
        }
        return call;
    }

    /**
     * A call item's arguments: a streamed string from its field as a function call's arguments string (its deltas were
     * appended); an object only from the item read whole and final, the one value that is its last (the added item
     * holds a placeholder, {@code "commands": []}).
     */
    private void callItemArguments(final Item item, final boolean isFinal)
    {
        final MutablePart call = items.callPart(item, null, null, stringOrNull(incoming.get("name")));
        final String field = CallItems.streamedField(item.callRow);
        if (field != null)
        {
            reconcileArguments(call, incoming.get(field), isFinal ? field + " of the item" : "output_item.added");
            return;
        }
        final MutableRawJson value = isFinal ? CallItems.objectArguments(item.callRow, incoming) : null;
        if (call != null && value != null)
        {
            finalText.set(value.json(), limits.maxArgumentChars());
            items.reconcile(call, finalText, "arguments of the item");
        }
    }

    /** Reconciles a call's arguments with string {@code value} (what: where it came from), when it is one. */
    private void reconcileArguments(final MutablePart call, final MutableRawJson value, final String what)
    {
        if (call != null && value != null && value.type() == MutableRawJson.Type.STRING)
        {
            value.textInto(finalText, limits.maxArgumentChars(), strings);
            items.reconcile(call, finalText, what);
        }
    }

    /**
     * Reads one content or summary part object, at {@code from} in checked bytes: its text is reconciled with what
     * deltas gave, its annotations and logprobs taken when no event brought them, other fields kept on the part.
     * Only logprobs not already streamed are tokenized.
     *
     * @return the index just past the object.
     */
    int readContentPart(
        final byte[] bytes, final int from, final int limit, final Item item, final boolean summary, final long index,
        final boolean isFinal) throws JsonReader.BadPayload
    {
        final Slot slot = partSlot(item, summary, index);
        if (slot == null)
        {
            return JsonMembers.skip(bytes, from, limit);
        }
        partFields.readObject(bytes, from, limit);
        readContentPart(partFields, slot, isFinal);
        return partFields.end();
    }

    /** As {@link #readContentPart(byte[], int, int, Item, boolean, long, boolean)}, for a part whose members are located. */
    void readContentPart(final JsonMembers m, final Item item, final boolean summary, final long index, final boolean isFinal)
        throws JsonReader.BadPayload
    {
        final int errorsBefore = aggregate.errorCount();
        final Slot slot = partSlot(item, summary, index);
        if (slot != null)
        {
            readContentPart(m, slot, isFinal);
        }
        if (checked && isFinal)
        {
            // The done item's content repeats it.
            repeats.keepPart(m.bytes(), m.start(), m.end());
            keptSlot = aggregate.errorCount() == errorsBefore ? slot : null;
            keptItem = item;
            keptAt = item.touched;
            keptErrors = aggregate.errorCount();
        }
    }

    /**
     * A done item's content (or summary) part that repeats byte for byte the part its done event gave, read whole and
     * final into the same slot of the same item: when that read reported nothing, and nothing has happened since (no
     * lookup led an event to the item but the one being applied, nothing was reported), reading it again would find
     * what it left (the same type and fields kept again, the text found equal, annotations and logprobs already taken),
     * so it is not read again.
     *
     * @return the index just past the part, or -1 when it must be read.
     */
    private int repeatedPart(final byte[] bytes, final int from, final int limit, final Item item, final boolean summary, final long index)
    {
        if (keptSlot == null || keptItem != item || item.touchedBefore != keptAt || aggregate.errorCount() != keptErrors ||
            !dialect.scans() || !repeats.partRepeatsAt(bytes, from, limit))
        {
            return -1;
        }
        if (item.findSlot(summary, index < 0 ? 0 : index) != keptSlot)
        {
            return -1;
        }
        repeatedParts++;
        return from + repeats.partLength();
    }

    private Slot partSlot(final Item item, final boolean summary, final long index)
    {
        return items.slot(item, summary, index < 0 ? 0 : index,
            summary || item.kind == ITEM_REASONING ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
    }

    private void readContentPart(final JsonMembers m, final Slot slot, final boolean isFinal) throws JsonReader.BadPayload
    {
        final MutablePart part = slot.part;
        partText.clear();
        final boolean annotationsStreamed = part.annotations().count() > 0;
        final boolean logprobsStreamed = slot.logprobsStreamed;
        int textAt = -1;
        for (int i = 0; i < m.count(); i++)
        {
            final String field = m.name(i);
            switch (field)
            {
                case "type":
                {
                    final int length = m.decodeString(i, strings);
                    if (length >= 0)
                    {
                        final CharView t = view.wrap(strings.chars(), 0, length);
                        part.type().set(t.array(), 0, length, limits.maxTextChars());
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
                    break;
                }
                case "text":
                case "refusal":
                {
                    if (slot.agrees(m.bytes(), m.valueStart(i), m.valueEnd(i)))
                    {
                        // Decoded, it would equal the part's text: checking it finds nothing, as an empty text does.
                        partText.clear();
                        textAt = -1;
                        break;
                    }
                    final int length = m.decodeString(i, strings);
                    if (length >= 0)
                    {
                        dialect.copyChars(strings.chars(), 0, length, partText, limits.maxTextChars());
                        textAt = i;
                    }
                    break;
                }
                case "annotations":
                    if (m.first(i) == '[')
                    {
                        part.annotations().markPresent();
                        if (!annotationsStreamed)
                        {
                            keepAnnotations(m.bytes(), m.valueStart(i), m.valueEnd(i), part);
                        }
                    }
                    else
                    {
                        dialect.captureKeepingNonEmpty(part.extra(), field, m, i);
                    }
                    break;
                case "logprobs":
                    if (m.first(i) == '[')
                    {
                        if (!logprobsStreamed && !lists.scan(m.bytes(), m.valueStart(i), m.valueEnd(i), slot, true))
                        {
                            replay.wrap(m.bytes(), m.valueStart(i), m.valueEnd(i) - m.valueStart(i));
                            inner.begin(replay, 0, m.valueEnd(i) - m.valueStart(i));
                            lists.read(inner, slot, true);
                            inner.finish();
                        }
                    }
                    else
                    {
                        dialect.captureKeepingNonEmpty(part.extra(), field, m, i);
                    }
                    break;
                default:
                    dialect.captureKeepingNonEmpty(part.extra(), field, m, i);
            }
        }
        if (items.reconcile(part, partText, part.type(), isFinal ? " part" : " part (added)") && textAt >= 0)
        {
            items.agree(slot, m.bytes(), m.valueStart(textAt), m.valueEnd(textAt), checked);
        }
    }

    /** Keeps each element of the annotations array in {@code bytes[from, to)} on the part, as sent. */
    private void keepAnnotations(final byte[] bytes, final int from, final int to, final MutablePart part)
    {
        final JsonMembers list = annotations;
        list.readArray(bytes, from, to);
        for (int k = 0; k < list.count(); k++)
        {
            final boolean kept;
            if (list.isStructure(k))
            {
                kept = part.annotations().add(bytes, list.valueStart(k), list.valueEnd(k) - list.valueStart(k), limits.maxRawBytes());
            }
            else
            {
                list.capture(k, scalar, limits.maxRawBytes());
                kept = part.annotations().add(scalar, limits.maxRawBytes());
            }
            if (!kept)
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "annotations larger than " + limits.maxRawBytes() + " bytes");
            }
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
                final MutableRawJson slot = target.slotMissing(field, limits.maxRawFields());
                if (slot != null)
                {
                    slot.setLiteral(MutableRawJson.Type.NULL);
                }
            }
            return;
        }
        dialect.keepKeepingNonEmpty(target, field, value);
    }
}
