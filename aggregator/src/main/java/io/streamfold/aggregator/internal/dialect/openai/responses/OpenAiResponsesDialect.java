package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;

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
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.sse.SseTokenizer;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.*;

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
    /** Replays fields of an object captured while another was read (incomplete_details, item content). */
    private final JsonReader inner;
    private final OutputItems items;
    private final ItemReader itemReader;

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
    /** The incomplete_details reason, kept for the finish. */
    private final MutableTextBuffer finalText = new MutableTextBuffer();

    public OpenAiResponsesDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, OpenAiResponsesReporting.INSTANCE);
        nested = new JsonReader(limits);
        inner = new JsonReader(limits);
        items = new OutputItems(aggregate, limits);
        itemReader = new ItemReader(this, aggregate, limits, items, inner);
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SseTokenizer(listener, limits.framing());
    }



    @Override
    public void reset()
    {
        super.reset();
        nested.abandon();
        inner.abandon();
        items.reset();
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
                final Item item = items.itemForEvent(outputIndex, itemId, ITEM_UNKNOWN);
                if (item != null && eventItem.type() == MutableRawJson.Type.STRUCTURED)
                {
                    nested.begin(eventItem);
                    itemReader.readItem(nested, item, eventType == ITEM_DONE);
                    nested.finish();
                }
                if (item != null && eventType == ITEM_DONE)
                {
                    items.endItem(item);
                }
                break;
            }
            case CONTENT_PART_ADDED:
            case CONTENT_PART_DONE:
            case SUMMARY_PART_ADDED:
            case SUMMARY_PART_DONE:
            {
                final boolean summary = eventType == SUMMARY_PART_ADDED || eventType == SUMMARY_PART_DONE;
                final Item item = items.itemForEvent(outputIndex, itemId, summary ? ITEM_REASONING : ITEM_UNKNOWN);
                if (item != null && eventPart.type() == MutableRawJson.Type.STRUCTURED)
                {
                    nested.begin(eventPart);
                    itemReader.readContentPart(nested, item, summary, summary ? summaryIndex : contentIndex,
                        eventType == CONTENT_PART_DONE || eventType == SUMMARY_PART_DONE);
                    nested.finish();
                }
                break;
            }
            case OUTPUT_TEXT_DELTA:
            case OUTPUT_TEXT_DONE:
            {
                final MutablePart part = items.partForEvent(
                    outputIndex, itemId, ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null)
                {
                    if (eventType == OUTPUT_TEXT_DELTA)
                    {
                        aggregate.appendText(items.current(), part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        items.reconcile(part, text, "response.output_text.done");
                    }
                    eventLogprobs(part);
                }
                break;
            }
            case ANNOTATION_ADDED:
            {
                final MutablePart part = items.partForEvent(
                    outputIndex, itemId, ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null && !eventAnnotation.isNullish() && !part.annotations().add(eventAnnotation, limits.maxRawBytes()))
                {
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "annotations larger than " + limits.maxRawBytes() + " bytes");
                }
                break;
            }
            case REFUSAL_DELTA:
            case REFUSAL_DONE:
            {
                final MutablePart part = items.partForEvent(
                    outputIndex, itemId, ITEM_MESSAGE, false, contentIndex, MutablePart.Kind.REFUSAL, "refusal");
                if (part != null)
                {
                    if (eventType == REFUSAL_DELTA)
                    {
                        aggregate.appendText(items.current(), part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        items.reconcile(part, refusal, "response.refusal.done");
                    }
                }
                break;
            }
            case ARGUMENTS_DELTA:
            case ARGUMENTS_DONE:
            {
                final Item item = items.itemForEvent(outputIndex, itemId, ITEM_FUNCTION_CALL);
                if (item != null && item.kind == ITEM_FUNCTION_CALL)
                {
                    final MutablePart call = items.callPart(item, null, name);
                    if (call != null)
                    {
                        if (eventType == ARGUMENTS_DELTA)
                        {
                            aggregate.appendArguments(items.current(), call, delta.array(), 0, delta.length());
                        }
                        else
                        {
                            items.reconcile(call, arguments, "response.function_call_arguments.done");
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
                final MutablePart part = items.partForEvent(outputIndex, itemId, ITEM_REASONING, summary,
                    summary ? summaryIndex : contentIndex,
                    MutablePart.Kind.REASONING, summary ? "summary_text" : "reasoning_text");
                if (part != null)
                {
                    if (eventType == SUMMARY_TEXT_DELTA || eventType == REASONING_TEXT_DELTA)
                    {
                        aggregate.appendText(items.current(), part, delta.array(), 0, delta.length());
                    }
                    else
                    {
                        items.reconcile(part, text, summary ? "response.reasoning_summary_text.done" : "response.reasoning_text.done");
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
        final MutableChoice c = items.choice();
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
        itemReader.gatherFields(nested);
        Item item = null;
        final MutableRawJson id = itemReader.incoming().get("id");
        if (id != null && id.type() == MutableRawJson.Type.STRING && id.text().length() > 0)
        {
            item = items.findItemById(id.text());
        }
        if (item == null)
        {
            item = items.itemFor(position);
        }
        if (item != null)
        {
            itemReader.applyItem(item, terminal);
            if (terminal)
            {
                items.endItem(item);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Items and their parts

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

    /** Logprobs of an output_text event: taken from deltas, and from .done only when no delta had any. */
    private void eventLogprobs(final MutablePart part) throws JsonReader.BadPayload
    {
        if (eventLogprobs.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        final Slot slot = items.slotOf(part);
        if (slot == null || (eventType == OUTPUT_TEXT_DONE && slot.logprobs.count() > 0))
        {
            return;
        }
        nested.begin(eventLogprobs);
        if (nested.token() == JsonToken.START_ARRAY)
        {
            itemReader.readLogprobs(nested, slot, false);
        }
        else
        {
            nested.skip();
        }
        nested.finish();
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Copies the string value into {@code into}; a longer one is dropped and reported, anything else skipped. */
    void copyString(final JsonReader r, final MutableTextBuffer into, final int limit) throws JsonReader.BadPayload
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

    // ---------------------------------------------------------------------------------------------
    // Output: the non-streaming response object.

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        OpenAiResponsesWriter.write(result, items.list(), g);
    }
}
