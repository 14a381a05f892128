package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.sse.SseTokenizer;

/**
 * OpenAI Responses API streams ({@code response.*} events) and the servers that copy them (Azure,
 * OpenRouter, DeepSeek, LM Studio), folded into the final {@code response} object.
 *
 * <p>Everything lands in choice 0. Each output item is keyed by its {@code output_index}, which is the
 * {@link MutablePart#wireIndex()} of its parts: a message's {@code output_text} and {@code refusal} content
 * parts become TEXT and REFUSAL parts, a reasoning item's {@code summary_text} and {@code reasoning_text}
 * parts become REASONING parts (their {@link MutablePart#type()} tells which), a {@code function_call} is a
 * TOOL_CALL ({@code call_id} as id), and every other item (web search, file search, image generation,
 * MCP, custom tool calls...) is one OTHER part holding the item's fields as sent.
 *
 * <p>Rules decided here:
 * <ul>
 * <li>Events are dispatched on the payload's {@code type}; the SSE {@code event:} line is ignored (OpenRouter
 * sends none) and fields may come in any order, so each event is gathered first and applied after.</li>
 * <li>{@code sequence_number} is ignored: not every server sends it, proxies drop events such as
 * keep-alives, and a lost delta is caught anyway by the checks below.</li>
 * <li>The {@code .done} events, {@code output_item.done} and the terminal response's {@code output} fill
 * whatever the deltas did not give (LM Studio sends only {@code function_call_arguments.done}), and are
 * checked against it: when a final text or argument string disagrees with its deltas, what the deltas gave
 * is kept (it was already folded and announced to listeners; one damaged final event must not rewrite it)
 * and a {@link ErrorKind#MALFORMED_JSON} error says the stream contradicted itself.</li>
 * <li>Outcome: {@code response.completed} and {@code response.incomplete} are COMPLETE (finish reason
 * {@code completed}, or {@code incomplete_details.reason} such as {@code max_output_tokens});
 * {@code response.failed} is ERROR; an {@code error} event keeps the provider's error and makes the
 * outcome ERROR (a following {@code response.failed} is still read, for its final fields); input that ends
 * without a terminal event is TRUNCATED, or ERROR after an {@code error} event. {@code data: [DONE]}
 * (OpenRouter) is ignored.</li>
 * </ul>
 */
public final class OpenAiResponsesDialect extends Dialect
{
    private static final int UNKNOWN = 0;
    private static final int LIFECYCLE = 1;
    private static final int COMPLETED = 2;
    private static final int INCOMPLETE = 3;
    private static final int FAILED = 4;
    private static final int ERROR = 5;
    private static final int ITEM_ADDED = 6;
    private static final int ITEM_DONE = 7;
    private static final int CONTENT_PART_ADDED = 8;
    private static final int CONTENT_PART_DONE = 9;
    private static final int OUTPUT_TEXT_DELTA = 10;
    private static final int OUTPUT_TEXT_DONE = 11;
    private static final int ANNOTATION_ADDED = 12;
    private static final int REFUSAL_DELTA = 13;
    private static final int REFUSAL_DONE = 14;
    private static final int ARGUMENTS_DELTA = 15;
    private static final int ARGUMENTS_DONE = 16;
    private static final int SUMMARY_PART_ADDED = 17;
    private static final int SUMMARY_PART_DONE = 18;
    private static final int SUMMARY_TEXT_DELTA = 19;
    private static final int SUMMARY_TEXT_DONE = 20;
    private static final int REASONING_TEXT_DELTA = 21;
    private static final int REASONING_TEXT_DONE = 22;

    /** Event type names, indexed by the constants above. */
    private static final String[] EVENT_TYPES = {
        null,
        null,
        "response.completed",
        "response.incomplete",
        "response.failed",
        "error",
        "response.output_item.added",
        "response.output_item.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.delta",
        "response.output_text.done",
        "response.output_text.annotation.added",
        "response.refusal.delta",
        "response.refusal.done",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_text.delta",
        "response.reasoning_text.done",
    };

    static final int ITEM_UNKNOWN = 0;
    static final int ITEM_MESSAGE = 1;
    static final int ITEM_REASONING = 2;
    static final int ITEM_FUNCTION_CALL = 3;
    static final int ITEM_OTHER = 4;

    private static final String FUNCTION_CALL = "function_call";

    /**
     * The repeated {@code response.*.delta} events: the delta (slot 0) varies, and so do the sequence number and
     * the obfuscation padding when present; indexed by (sequence number ? 1 : 0) | (obfuscation ? 2 : 0).
     */
    private static final EventShape[] DELTA_SHAPES = {
        EventShape.of(0).string("delta").build(),
        EventShape.of(1).string("delta").integer("sequence_number").build(),
        EventShape.of(2).string("delta").string("obfuscation").build(),
        EventShape.of(3).string("delta").integer("sequence_number").string("obfuscation").build(),
    };

    private boolean deltaIsString;
    private boolean sequenceIsInteger;
    private boolean obfuscationIsString;

    /** Replays values captured from an event (response, item, part, logprobs). */
    private final JsonReader nested;
    /** Replays fields of an item (content, summary) captured while the item was read. */
    private final JsonReader inner;

    // One event, gathered before it is applied because its fields may come in any order.
    private int eventType;
    private long outputIndex;
    private long contentIndex;
    private long summaryIndex;
    private final MutableTextBuffer itemId = new MutableTextBuffer();
    private final MutableTextBuffer delta = new MutableTextBuffer();
    private final MutableTextBuffer text = new MutableTextBuffer();
    private final MutableTextBuffer refusal = new MutableTextBuffer();
    private final MutableTextBuffer arguments = new MutableTextBuffer();
    private final MutableTextBuffer name = new MutableTextBuffer();
    private final MutableRawJson eventItem = new MutableRawJson();
    private final MutableRawJson eventPart = new MutableRawJson();
    private final MutableRawJson eventResponse = new MutableRawJson();
    private final MutableRawJson eventLogprobs = new MutableRawJson();
    private final MutableRawJson eventError = new MutableRawJson();
    private final MutableRawJson eventAnnotation = new MutableRawJson();
    private final MutableRawFields errorFields = new MutableRawFields();

    // Scratch for one item or content part being read.
    private final MutableRawFields incoming = new MutableRawFields();
    private final MutableTextBuffer partText = new MutableTextBuffer();
    private final MutableTextBuffer finalText = new MutableTextBuffer();
    private final MutableTextBuffer logprobToken = new MutableTextBuffer();

    private final ArrayList<Item> items = new ArrayList<>();
    private final ArrayList<Item> spareItems = new ArrayList<>();
    private MutableChoice choice;

    public OpenAiResponsesDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits);
        nested = new JsonReader(limits);
        inner = new JsonReader(limits);
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SseTokenizer(listener, limits.framing());
    }

    @Override
    public UsageKeys usageKeys()
    {
        return OpenAiResponsesReporting.USAGE;
    }

    @Override
    public StopReasonTable stopReasons()
    {
        return OpenAiResponsesReporting.STOP_REASONS;
    }

    @Override
    public void reset()
    {
        super.reset();
        nested.abandon();
        inner.abandon();
        spareItems.addAll(items);
        items.clear();
        choice = null;
    }

    @Override
    public String unfinished()
    {
        return "without response.completed, response.incomplete or response.failed";
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        final int length = frame.length();
        if (length == 0 || frame.payloadEquals("[DONE]"))
        {
            return;
        }
        if (eventTemplate.match(frame.buffer(), frame.offset(), length))
        {
            // Every other field repeats the learnt event's bytes, so what gather() kept from it still holds.
            copyChars(eventTemplate.stringChars(0), 0, eventTemplate.stringLength(0), delta, deltaLimit());
            apply();
            aggregate.start();
            return;
        }
        eventTemplate.forget();
        final int errorsBefore = aggregate.errorCount();
        json.beginObject(frame.buffer(), frame.offset(), length);
        gather(json);
        json.finish();
        apply();
        aggregate.start();
        if (deltaIsString && isDelta(eventType) && aggregate.errorCount() == errorsBefore)
        {
            eventTemplate.learn(frame.buffer(), frame.offset(), length,
                DELTA_SHAPES[(sequenceIsInteger ? 1 : 0) | (obfuscationIsString ? 2 : 0)]);
        }
    }

    private static boolean isDelta(final int eventType)
    {
        return eventType == OUTPUT_TEXT_DELTA || eventType == REFUSAL_DELTA || eventType == ARGUMENTS_DELTA ||
            eventType == SUMMARY_TEXT_DELTA || eventType == REASONING_TEXT_DELTA;
    }

    private int deltaLimit()
    {
        return limits.maxArgumentChars() > limits.maxTextChars() ? limits.maxArgumentChars() : limits.maxTextChars();
    }

    private void gather(final JsonReader r) throws JsonReader.BadPayload
    {
        eventType = UNKNOWN;
        outputIndex = -1;
        contentIndex = -1;
        summaryIndex = -1;
        itemId.clear();
        delta.clear();
        text.clear();
        refusal.clear();
        arguments.clear();
        name.clear();
        eventItem.clear();
        eventPart.clear();
        eventResponse.clear();
        eventLogprobs.clear();
        eventError.clear();
        eventAnnotation.clear();
        errorFields.clear();
        deltaIsString = false;
        sequenceIsInteger = false;
        obfuscationIsString = false;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String field = r.name();
            final JsonToken value = r.next();
            switch (field)
            {
                case "type":
                    eventType = value == JsonToken.VALUE_STRING ? eventType(r.text()) : UNKNOWN;
                    if (value != JsonToken.VALUE_STRING)
                    {
                        r.skip();
                    }
                    break;
                case "output_index":
                    outputIndex = eventIndex(r, "output_index");
                    break;
                case "content_index":
                    contentIndex = eventIndex(r, "content_index");
                    break;
                case "summary_index":
                    summaryIndex = eventIndex(r, "summary_index");
                    break;
                case "item_id":
                    copyString(r, itemId, limits.maxTextChars());
                    break;
                case "delta":
                    deltaIsString = value == JsonToken.VALUE_STRING;
                    copyString(r, delta, deltaLimit());
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
                    copyString(r, text, limits.maxTextChars());
                    break;
                case "refusal":
                    copyString(r, refusal, limits.maxTextChars());
                    break;
                case "arguments":
                    copyString(r, arguments, limits.maxArgumentChars());
                    break;
                case "name":
                    copyString(r, name, limits.maxTextChars());
                    break;
                case "item":
                    captureEventValue(r, eventItem, field);
                    break;
                case "part":
                    captureEventValue(r, eventPart, field);
                    break;
                case "response":
                    captureEventValue(r, eventResponse, field);
                    break;
                case "logprobs":
                    captureEventValue(r, eventLogprobs, field);
                    break;
                case "error":
                    captureEventValue(r, eventError, field);
                    break;
                case "annotation":
                    captureEventValue(r, eventAnnotation, field);
                    break;
                case "code":
                case "message":
                case "param":
                    captureKeepingNonEmpty(errorFields, field, r);
                    break;
                default:
                    r.skip();
            }
        }
    }

    private void apply() throws JsonReader.BadPayload
    {
        if (isDelta(eventType) && deltaForUnopenedItem())
        {
            return;
        }
        switch (eventType)
        {
            case UNKNOWN:
            case LIFECYCLE:
                if (eventResponse.type() == MutableRawJson.Type.STRUCTURED)
                {
                    readResponse(false);
                }
                break;
            case COMPLETED:
            case INCOMPLETE:
            case FAILED:
                onTerminal();
                break;
            case ERROR:
                onErrorEvent();
                break;
            case ITEM_ADDED:
            case ITEM_DONE:
            {
                final Item item = itemForEvent(ITEM_UNKNOWN);
                if (item != null && eventItem.type() == MutableRawJson.Type.STRUCTURED)
                {
                    nested.begin(eventItem);
                    readItem(nested, item, eventType == ITEM_DONE);
                    nested.finish();
                }
                if (item != null && eventType == ITEM_DONE)
                {
                    endItem(item);
                }
                break;
            }
            case CONTENT_PART_ADDED:
            case CONTENT_PART_DONE:
            case SUMMARY_PART_ADDED:
            case SUMMARY_PART_DONE:
            {
                final boolean summary = eventType == SUMMARY_PART_ADDED || eventType == SUMMARY_PART_DONE;
                final Item item = itemForEvent(summary ? ITEM_REASONING : ITEM_UNKNOWN);
                if (item != null && eventPart.type() == MutableRawJson.Type.STRUCTURED)
                {
                    nested.begin(eventPart);
                    readContentPart(nested, item, summary, summary ? summaryIndex : contentIndex,
                        eventType == CONTENT_PART_DONE || eventType == SUMMARY_PART_DONE);
                    nested.finish();
                }
                break;
            }
            case OUTPUT_TEXT_DELTA:
            case OUTPUT_TEXT_DONE:
            {
                final MutablePart part = partForEvent(ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null)
                {
                    if (eventType == OUTPUT_TEXT_DELTA)
                    {
                        aggregate.appendText(choice, part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        reconcile(part, text, "response.output_text.done");
                    }
                    eventLogprobs(part);
                }
                break;
            }
            case ANNOTATION_ADDED:
            {
                final MutablePart part = partForEvent(ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null && !eventAnnotation.isNullish() && !part.annotations().add(eventAnnotation, limits.maxRawBytes()))
                {
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "annotations larger than " + limits.maxRawBytes() + " bytes");
                }
                break;
            }
            case REFUSAL_DELTA:
            case REFUSAL_DONE:
            {
                final MutablePart part = partForEvent(ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.REFUSAL, "refusal");
                if (part != null)
                {
                    if (eventType == REFUSAL_DELTA)
                    {
                        aggregate.appendText(choice, part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        reconcile(part, refusal, "response.refusal.done");
                    }
                }
                break;
            }
            case ARGUMENTS_DELTA:
            case ARGUMENTS_DONE:
            {
                final Item item = itemForEvent(ITEM_FUNCTION_CALL);
                if (item != null && item.kind == ITEM_FUNCTION_CALL)
                {
                    final MutablePart call = callPart(item, null, name);
                    if (call != null)
                    {
                        if (eventType == ARGUMENTS_DELTA)
                        {
                            aggregate.appendArguments(choice, call, delta.array(), 0, delta.length());
                        }
                        else
                        {
                            reconcile(call, arguments, "response.function_call_arguments.done");
                        }
                    }
                }
                break;
            }
            case SUMMARY_TEXT_DELTA:
            case SUMMARY_TEXT_DONE:
            case REASONING_TEXT_DELTA:
            case REASONING_TEXT_DONE:
            {
                final boolean summary = eventType == SUMMARY_TEXT_DELTA || eventType == SUMMARY_TEXT_DONE;
                final MutablePart part = partForEvent(ITEM_REASONING, summary, summary ? summaryIndex : contentIndex,
                    MutablePart.Kind.REASONING, summary ? "summary_text" : "reasoning_text");
                if (part != null)
                {
                    if (eventType == SUMMARY_TEXT_DELTA || eventType == REASONING_TEXT_DELTA)
                    {
                        aggregate.appendText(choice, part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        reconcile(part, text, summary ? "response.reasoning_summary_text.done" : "response.reasoning_text.done");
                    }
                }
                break;
            }
            default:
                break;
        }
    }

    private void onTerminal() throws JsonReader.BadPayload
    {
        final MutableChoice c = choice();
        if (eventResponse.type() == MutableRawJson.Type.STRUCTURED)
        {
            readResponse(true);
        }
        aggregate.start();
        if (c == null)
        {
            aggregate.end(Outcome.ERROR);
            return;
        }
        if (eventType == FAILED)
        {
            final MutableRawJson error = aggregate.meta().get("error");
            if (aggregate.providerError().isNullish())
            {
                if (error != null && !error.isNullish())
                {
                    aggregate.providerErrorSlot().copyFrom(error);
                    aggregate.providerErrorReported("provider error: " + abbreviate(error.json()));
                }
                else
                {
                    aggregate.providerErrorReported("response.failed without an error object");
                }
            }
            aggregate.finish(c, "failed");
            aggregate.end(Outcome.ERROR);
            return;
        }
        if (eventType == INCOMPLETE)
        {
            aggregate.finish(c, incompleteReason());
        }
        else
        {
            aggregate.finish(c, "completed");
        }
        aggregate.end(aggregate.providerError().isNullish() ? Outcome.COMPLETE : Outcome.ERROR);
    }

    private CharSequence incompleteReason() throws JsonReader.BadPayload
    {
        final MutableRawJson details = aggregate.meta().get("incomplete_details");
        if (details != null && details.type() == MutableRawJson.Type.STRUCTURED)
        {
            inner.begin(details);
            CharSequence reason = null;
            while (inner.next() == JsonToken.FIELD_NAME)
            {
                final String field = inner.name();
                if (inner.next() == JsonToken.VALUE_STRING && "reason".equals(field) && inner.text().length() > 0)
                {
                    finalText.set(inner.text(), limits.maxTextChars());
                    reason = finalText;
                }
                else
                {
                    inner.skip();
                }
            }
            inner.finish();
            if (reason != null)
            {
                return reason;
            }
        }
        return "incomplete";
    }

    private void onErrorEvent()
    {
        if (eventError.type() == MutableRawJson.Type.STRUCTURED || eventError.type() == MutableRawJson.Type.STRING)
        {
            aggregate.providerErrorSlot().copyFrom(eventError);
        }
        else
        {
            // The documented shape puts code, message and param beside type.
            final StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < errorFields.size(); i++)
            {
                sb.append(i > 0 ? "," : "").append(MutableRawJson.quote(errorFields.name(i))).append(':').append(errorFields.value(i).json());
            }
            final byte[] bytes = sb.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            aggregate.providerErrorSlot().setStructured(bytes, 0, bytes.length, Integer.MAX_VALUE);
        }
        aggregate.providerErrorReported("provider error: " + abbreviate(aggregate.providerError().json()));
    }

    /** Reads the response object of a lifecycle or terminal event into meta, usage and (when final) the items. */
    private void readResponse(final boolean terminal) throws JsonReader.BadPayload
    {
        nested.begin(eventResponse);
        while (nested.next() == JsonToken.FIELD_NAME)
        {
            final String field = nested.name();
            final JsonToken value = nested.next();
            switch (field)
            {
                case "output":
                    if (value == JsonToken.START_ARRAY)
                    {
                        long position = 0;
                        while (nested.next() != JsonToken.END_ARRAY)
                        {
                            if (nested.token() == JsonToken.START_OBJECT)
                            {
                                readOutputElement(position, terminal);
                            }
                            else
                            {
                                nested.skip();
                            }
                            position++;
                        }
                    }
                    else
                    {
                        nested.skip();
                    }
                    break;
                case "usage":
                    mergeUsage(nested);
                    break;
                default:
                    captureKeepingNonEmpty(aggregate.meta(), field, nested);
            }
        }
        nested.finish();
    }

    /** One element of the response's {@code output}: matched to a streamed item by id, else by position. */
    private void readOutputElement(final long position, final boolean terminal) throws JsonReader.BadPayload
    {
        gatherFields(nested);
        Item item = null;
        final MutableRawJson id = incoming.get("id");
        if (id != null && id.type() == MutableRawJson.Type.STRING && id.text().length() > 0)
        {
            item = findItemById(id.text());
        }
        if (item == null)
        {
            item = itemFor(position);
        }
        if (item != null)
        {
            applyItem(item, terminal);
            if (terminal)
            {
                endItem(item);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Items and their parts

    private MutableChoice choice()
    {
        if (choice == null)
        {
            choice = aggregate.choiceForIndex(0);
        }
        return choice;
    }

    /**
     * A delta whose {@code output_index} no earlier event opened has no output item to belong to: folding it
     * would invent one. Reported as LATE_DATA and not folded (an event without output_index still goes to
     * the item its item_id names, or the last one).
     */
    private boolean deltaForUnopenedItem()
    {
        if (outputIndex < 0 || outputIndex > limits.maxIndex() || delta.length() == 0)
        {
            // Outside the limits it is refused as such, without looking further.
            return false;
        }
        for (int i = items.size() - 1; i >= 0; i--)
        {
            if (items.get(i).outputIndex == outputIndex)
            {
                return false;
            }
        }
        aggregate.error(ErrorKind.LATE_DATA, EVENT_TYPES[eventType] + " for output_index " + outputIndex +
            ", which no earlier event opened; not folded");
        return true;
    }

    private Item itemForEvent(final int kind)
    {
        Item item = null;
        if (outputIndex < 0)
        {
            item = itemId.length() > 0 ? findItemById(itemId) : null;
            if (item == null && !items.isEmpty())
            {
                item = items.get(items.size() - 1);
            }
            if (item == null)
            {
                item = itemFor(0);
            }
        }
        else
        {
            item = itemFor(outputIndex);
        }
        if (item != null && item.kind == ITEM_UNKNOWN && kind != ITEM_UNKNOWN)
        {
            item.kind = kind;
        }
        return item;
    }

    private Item itemFor(final long index)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            if (items.get(i).outputIndex == index)
            {
                return items.get(i);
            }
        }
        if (index < 0 || index > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "output_index " + index + " outside 0.." + limits.maxIndex());
            return null;
        }
        if (items.size() >= limits.maxPartsPerChoice())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxPartsPerChoice() + " output items");
            return null;
        }
        if (choice() == null)
        {
            return null;
        }
        final Item item = spareItems.isEmpty() ? new Item() : spareItems.remove(spareItems.size() - 1);
        item.init(index);
        items.add(item);
        return item;
    }

    private Item findItemById(final CharSequence id)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            final MutableRawJson v = items.get(i).fields.get("id");
            if (v != null && v.type() == MutableRawJson.Type.STRING && contentEquals(v.text(), id))
            {
                return items.get(i);
            }
        }
        return null;
    }

    private MutablePart partForEvent(
        final int itemKind, final boolean summary, final long index, final MutablePart.Kind kind, final String type)
    {
        final Item item = itemForEvent(itemKind);
        if (item == null)
        {
            return null;
        }
        final Slot slot = slot(item, summary, index < 0 ? 0 : index, kind);
        if (slot == null)
        {
            return null;
        }
        if (slot.part.type().length() == 0)
        {
            slot.part.type().set(type, 64);
        }
        return slot.part;
    }

    /** @return the content (or summary) slot {@code index} of an item, created with {@code kind}; null past a limit. */
    private Slot slot(final Item item, final boolean summary, final long index, final MutablePart.Kind kind)
    {
        for (int i = 0; i < item.slotCount; i++)
        {
            final Slot s = item.slots[i];
            if (s.summary == summary && s.index == index)
            {
                return s;
            }
        }
        if (index > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, (summary ? "summary_index " : "content_index ") + index +
                " above " + limits.maxIndex());
            return null;
        }
        final MutablePart part = aggregate.newPart(choice, kind, item.outputIndex);
        if (part == null)
        {
            return null;
        }
        final MutableRawJson id = item.fields.get("id");
        if (id != null && id.type() == MutableRawJson.Type.STRING)
        {
            part.id().set(id.text(), limits.maxTextChars());
        }
        return item.addSlot(summary, index, part);
    }

    /** The item's function-call part, created and announced on first use. */
    private MutablePart callPart(final Item item, final CharSequence callId, final CharSequence callName)
    {
        if (item.call == null)
        {
            item.call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, item.outputIndex);
            if (item.call == null)
            {
                return null;
            }
            item.call.type().set(FUNCTION_CALL, 64);
            if (callId != null)
            {
                item.call.id().set(callId, limits.maxTextChars());
            }
            if (callName != null)
            {
                item.call.name().set(callName, limits.maxTextChars());
            }
            aggregate.toolCallStarted(choice, item.call);
        }
        else
        {
            if (callId != null && item.call.id().length() == 0)
            {
                item.call.id().set(callId, limits.maxTextChars());
            }
            if (callName != null && item.call.name().length() == 0)
            {
                item.call.name().set(callName, limits.maxTextChars());
            }
        }
        return item.call;
    }

    private void endItem(final Item item)
    {
        item.done = true;
        if (item.call != null)
        {
            aggregate.endPart(choice, item.call);
        }
        for (int i = 0; i < item.slotCount; i++)
        {
            aggregate.endPart(choice, item.slots[i].part);
        }
    }

    /** Reads an item object (from output_item.added / .done); {@code isFinal} for the complete item. */
    private void readItem(final JsonReader r, final Item item, final boolean isFinal) throws JsonReader.BadPayload
    {
        gatherFields(r);
        applyItem(item, isFinal);
    }

    private void gatherFields(final JsonReader r) throws JsonReader.BadPayload
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
    private void applyItem(final Item item, final boolean isFinal) throws JsonReader.BadPayload
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
                choice.role().set(value.text(), limits.maxTextChars());
            }
            keep(item.fields, field, value);
        }
        if (item.kind == ITEM_FUNCTION_CALL)
        {
            final MutablePart call = callPart(item, stringOrNull(incoming.get("call_id")), stringOrNull(incoming.get("name")));
            final MutableRawJson args = incoming.get("arguments");
            if (call != null && args != null && args.type() == MutableRawJson.Type.STRING)
            {
                finalText.set(args.text(), limits.maxArgumentChars());
                reconcile(call, finalText, isFinal ? "function_call item" : "output_item.added");
            }
        }
        else if (item.kind == ITEM_OTHER)
        {
            if (item.call == null)
            {
                item.call = aggregate.newPart(choice, MutablePart.Kind.OTHER, item.outputIndex);
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
    private void readContentPart(
        final JsonReader r, final Item item, final boolean summary, final long index, final boolean isFinal)
        throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        final Slot slot = slot(item, summary, index < 0 ? 0 : index,
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
                    copyString(r, partText, limits.maxTextChars());
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
                        captureKeepingNonEmpty(part.extra(), field, r);
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
                        captureKeepingNonEmpty(part.extra(), field, r);
                    }
                    break;
                default:
                    captureKeepingNonEmpty(part.extra(), field, r);
            }
        }
        reconcile(part, partText, isFinal ? part.type() + " part" : part.type() + " part (added)");
    }

    /** Logprobs of an output_text event: taken from deltas, and from .done only when no delta had any. */
    private void eventLogprobs(final MutablePart part) throws JsonReader.BadPayload
    {
        if (eventLogprobs.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        final Slot slot = slotOf(part);
        if (slot == null || (eventType == OUTPUT_TEXT_DONE && slot.logprobs.count() > 0))
        {
            return;
        }
        nested.begin(eventLogprobs);
        if (nested.token() == JsonToken.START_ARRAY)
        {
            readLogprobs(nested, slot, false);
        }
        else
        {
            nested.skip();
        }
        nested.finish();
    }

    private Slot slotOf(final MutablePart part)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            final Item item = items.get(i);
            for (int j = 0; j < item.slotCount; j++)
            {
                if (item.slots[j].part == part)
                {
                    return item.slots[j];
                }
            }
        }
        return null;
    }

    /**
     * @param mark true when the list is a field of a content part, so the output writes it even empty;
     *             events carry {@code "logprobs":[]} on every delta of servers that never fill them.
     */
    private void readLogprobs(final JsonReader r, final Slot slot, final boolean mark) throws JsonReader.BadPayload
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
            final int start = r.structureStartOffset();
            double logprob = Double.NaN;
            logprobToken.clear();
            while (r.next() == JsonToken.FIELD_NAME)
            {
                final String field = r.name();
                final JsonToken value = r.next();
                if ("token".equals(field) && value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    logprobToken.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                }
                else if ("logprob".equals(field) && (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT))
                {
                    logprob = r.doubleValue();
                }
                else
                {
                    r.skip();
                }
            }
            if (!r.appendStructure(start, slot.logprobs) || !r.appendStructure(start, choice.contentLogprobs()))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs larger than " + limits.maxRawBytes() + " bytes");
            }
            choice.logprobsSeen();
            aggregate.logprob(choice, false, logprobToken, logprob);
        }
    }

    /**
     * Checks a final text against what the deltas gave: fills it when they gave nothing, adds a missing
     * tail, and otherwise keeps what the deltas gave and reports the contradiction: the deltas were already
     * folded and handed to listeners, and a final value damaged in transit (a byte lost inside the string
     * leaves valid JSON) must not change what came before it.
     */
    private void reconcile(final MutablePart part, final MutableTextBuffer fin, final String what)
    {
        if (fin.length() == 0)
        {
            return;
        }
        final MutableTextBuffer current = part.text();
        final boolean args = part.kind() == MutablePart.Kind.TOOL_CALL;
        final int have = current.length();
        if (have == 0)
        {
            append(part, args, fin, 0, fin.length());
            return;
        }
        if (current.contentEquals(fin))
        {
            return;
        }
        if (have < fin.length() && startsWith(fin, current))
        {
            append(part, args, fin, have, fin.length() - have);
            aggregate.error(ErrorKind.MALFORMED_JSON, what + " has " + (fin.length() - have) +
                " characters at its end that no delta carried; they were added");
            return;
        }
        aggregate.error(ErrorKind.MALFORMED_JSON, what + " disagrees with its deltas; the deltas are kept");
    }

    private void append(final MutablePart part, final boolean args, final MutableTextBuffer from, final int offset, final int length)
    {
        if (args)
        {
            aggregate.appendArguments(choice, part, from.array(), offset, length);
        }
        else
        {
            aggregate.appendText(choice, part, from.array(), offset, length);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static int eventType(final CharView type)
    {
        for (int i = 2; i < EVENT_TYPES.length; i++)
        {
            if (type.contentEquals(EVENT_TYPES[i]))
            {
                return i;
            }
        }
        // response.created, response.in_progress, response.queued and any future lifecycle event.
        return type.length() > 9 && type.charAt(8) == '.' && startsWith(type, "response.") ? LIFECYCLE : UNKNOWN;
    }

    static int itemKind(final CharSequence type)
    {
        if (contentEquals(type, "message"))
        {
            return ITEM_MESSAGE;
        }
        if (contentEquals(type, "reasoning"))
        {
            return ITEM_REASONING;
        }
        if (contentEquals(type, FUNCTION_CALL))
        {
            return ITEM_FUNCTION_CALL;
        }
        return ITEM_OTHER;
    }

    private void copyString(final JsonReader r, final MutableTextBuffer into, final int limit) throws JsonReader.BadPayload
    {
        if (r.token() == JsonToken.VALUE_STRING)
        {
            final CharView v = r.text();
            copyChars(v.array(), v.offset(), v.length(), into, limit);
        }
        else
        {
            r.skip();
        }
    }

    private void copyChars(final char[] chars, final int offset, final int length, final MutableTextBuffer into, final int limit)
    {
        if (!into.set(chars, offset, length, limit))
        {
            into.clear();
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "string longer than " + limit + " characters dropped");
        }
    }

    private void captureEventValue(final JsonReader r, final MutableRawJson into, final String field) throws JsonReader.BadPayload
    {
        if (!r.capture(into))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "'" + field + "' larger than " + limits.maxRawBytes() + " bytes");
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

    private static CharSequence stringOrNull(final MutableRawJson v)
    {
        return v != null && v.type() == MutableRawJson.Type.STRING && v.text().length() > 0 ? v.text() : null;
    }

    private static boolean startsWith(final CharSequence s, final CharSequence prefix)
    {
        if (prefix.length() > s.length())
        {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++)
        {
            if (s.charAt(i) != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean contentEquals(final CharSequence a, final CharSequence b)
    {
        return a.length() == b.length() && startsWith(a, b);
    }

    // ---------------------------------------------------------------------------------------------
    // Output: the non-streaming response object.

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
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
        if (item.kind == ITEM_OTHER || item.kind == ITEM_UNKNOWN && item.slotCount == 0)
        {
            item.fields.writeFields(g);
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
            else
            {
                g.writeFieldName(field);
                item.fields.value(i).write(g);
            }
        }
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

    /** One output item: its own fields, and its parts keyed by content / summary index. */
    static final class Item
    {
        long outputIndex;
        int kind;
        boolean done;
        final MutableRawFields fields = new MutableRawFields();
        /** The function call or the whole-kept OTHER part. */
        MutablePart call;
        Slot[] slots = new Slot[2];
        int slotCount;

        void init(final long outputIndex)
        {
            this.outputIndex = outputIndex;
            kind = ITEM_UNKNOWN;
            done = false;
            fields.clear();
            call = null;
            slotCount = 0;
        }

        Slot addSlot(final boolean summary, final long index, final MutablePart part)
        {
            if (slotCount == slots.length)
            {
                slots = java.util.Arrays.copyOf(slots, slotCount * 2);
            }
            Slot s = slots[slotCount];
            if (s == null)
            {
                s = new Slot();
                slots[slotCount] = s;
            }
            s.summary = summary;
            s.index = index;
            s.part = part;
            s.logprobs.clear();
            slotCount++;
            return s;
        }

        boolean hasSlots(final boolean summary)
        {
            for (int i = 0; i < slotCount; i++)
            {
                if (slots[i].summary == summary)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /** A content or summary part of an item, with the logprobs streamed for it. */
    static final class Slot
    {
        boolean summary;
        long index;
        MutablePart part;
        final MutableRawList logprobs = new MutableRawList();
    }
}
