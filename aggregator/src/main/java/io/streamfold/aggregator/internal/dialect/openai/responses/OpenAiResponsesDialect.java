package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.fold.RepeatedEntry;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
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
 * TOOL_CALL ({@code call_id} as id), so is every other item type that is a call ({@link CallItems}: the client's custom
 * tool, shell, apply patch, computer; the server's web search, file search, code interpreter, image generation, MCP
 * call, marked server-executed), holding the item's fields as sent, and every other item (an MCP tool list, an approval
 * request...) is one OTHER part holding the item's fields as sent.
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
    /** Replays values captured from an event (response, item, part, logprobs). */
    private final JsonReader nested;
    /** Replays fields of an object captured while another was read (incomplete_details, item content). */
    private final JsonReader inner;
    private final OutputItems items;
    private final ItemReader itemReader;
    private final GatheredEvent event;
    private final UnknownDeltas unknownDeltas;
    private final ResponseReader responses;
    /** Values of earlier events that a check meets again. */
    private final CheckedRepeats repeats;

    /** The part the learnt delta event appended to: a repeat appends there (null until a delta is applied); its item. */
    private MutablePart repeatPart;
    private Item repeatItem;
    /** The part's logprobs, where the event just read kept its lone entry (null when it kept none so). */
    private Slot repeatSlot;
    /** A repeated logprob entry's token and value, read for a listener. */
    private final RepeatedEntry entry = new RepeatedEntry();

    /** The events that end the response or report an error. */
    private final TerminalEvents terminals;

    /**
     * Whether deltas are learnt with their sequence number as a counter (see {@link GatheredEvent#COUNTED}): until a
     * delta right after one so learnt fails to match (a stream whose numbers do not go up by one), then the stream
     * scans it as an integer again.
     */
    private boolean counting = true;
    /** A delta was just learnt with a counter, and no event matched it since. */
    private boolean counterUnproven;

    public OpenAiResponsesDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, OpenAiResponsesReporting.INSTANCE);
        nested = new JsonReader(limits);
        inner = new JsonReader(limits);
        items = new OutputItems(aggregate, limits);
        itemReader = new ItemReader(this, aggregate, limits, items, inner);
        event = new GatheredEvent(this, aggregate, limits);
        unknownDeltas = new UnknownDeltas(aggregate, limits, items);
        repeats = new CheckedRepeats(items, EventBytes.scanStringBytes(limits));
        event.known(repeats);
        itemReader.repeats(repeats);
        responses = new ResponseReader(this, aggregate, items, itemReader, event, repeats);
        terminals = new TerminalEvents(aggregate, limits, items, responses, event, inner);
        fastPath(EventTemplate.ENABLED);
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SseTokenizer(listener, limits.framing());
    }

    /** The learnt delta event answers the framer's line-end hint: its line is not scanned a second time. */
    @Override
    public boolean hintsDataLines()
    {
        return true;
    }

    @Override
    public void reset()
    {
        super.reset();
        nested.abandon();
        inner.abandon();
        items.reset();
        repeats.reset();
        itemReader.reset();
        counting = true;
        counterUnproven = false;
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
        if (eventTemplate.match(frame.buffer(), frame.offset(), length, frame.streamOffset()) && foldMatched())
        {
            return;
        }
        eventTemplate.forget();
        repeatPart = null;
        repeatSlot = null;
        // The delta learnt just before did not match this event: when this is a delta too, its number did not count up.
        final boolean counterFailed = counterUnproven;
        counterUnproven = false;
        final int errorsBefore = aggregate.errorCount();
        if (!event.gatherScanned(frame, eventTemplate.enabled()))
        {
            json.beginObject(frame.buffer(), frame.offset(), length);
            event.gather(json);
            json.finish();
        }
        itemReader.checked = event.scanned();
        apply();
        aggregate.start();
        if (counterFailed && event.learnableShape(repeatSlot != null) != null)
        {
            counting = false;
        }
        final EventShape shape = event.learnableShape(repeatSlot != null, counting);
        if (shape != null && aggregate.errorCount() == errorsBefore)
        {
            if (eventTemplate.learn(frame.buffer(), frame.offset(), length, shape, event.scanned()))
            {
                counterUnproven = (shape.meaning() & GatheredEvent.COUNTED) != 0;
            }
            else if ((shape.meaning() & GatheredEvent.COUNTED) != 0)
            {
                // A number a counter cannot take (negative, a leading zero...): scanned as an integer slot.
                eventTemplate.learn(frame.buffer(), frame.offset(), length, event.learnableShape(repeatSlot != null, false), event.scanned());
            }
        }
    }

    /** The delta event the framer offers whole, in place of its frame: the data line the hint matched last. */
    @Override
    public boolean foldHinted() throws JsonReader.BadPayload
    {
        return eventTemplate.matchHinted() && foldMatched();
    }

    /**
     * Folds the event the template has just matched (a repeat of the learnt delta).
     *
     * @return false, when it goes with a logprob entry not folded as the learnt one was, for the full path to read it.
     */
    private boolean foldMatched() throws JsonReader.BadPayload
    {
        counterUnproven = false;
        // Every other field repeats the learnt event's bytes, so what gather() kept from it still holds, and so
        // does the part it led to: nothing but appends happened since, so looking it up again finds it again.
        final int deltaLength = eventTemplate.stringLength(0);
        if ((eventTemplate.shape().meaning() & GatheredEvent.LOGPROB) == 0)
        {
            if (repeatPart != null && deltaLength <= event.deltaLimit())
            {
                items.touch(repeatItem);
                appendDelta(repeatPart, eventTemplate.stringChars(0), deltaLength);
            }
            else
            {
                event.repeatedDelta(eventTemplate.stringChars(0), deltaLength);
                apply();
            }
            aggregate.start();
            return true;
        }
        // With its logprob entry: folded here only as the learnt one was (else the full path reads it whole).
        if (repeatPart != null && repeatSlot != null && deltaLength <= event.deltaLimit() && repeatEntry(deltaLength))
        {
            aggregate.start();
            return true;
        }
        return false;
    }

    /** @return whether events and logprobs are read by byte scans (off with the fast path: tests compare both ways). */
    boolean scans()
    {
        return eventTemplate.enabled();
    }

    /** @return events gathered from a byte scan so far (for tests: the scan is taken where it should be). */
    long scannedEvents()
    {
        return event.scannedEvents();
    }

    /** @return values a check recognised as repeats of checked ones, so did not scan again (for tests). */
    long recognisedRepeats()
    {
        return repeats.recognised;
    }

    /** @return terminal output elements read from the members their event's check located (for tests). */
    long locatedElements()
    {
        return repeats.locatedElements;
    }

    /** @return done items' parts found to repeat their done part's read, so not read again (for tests). */
    long repeatedParts()
    {
        return itemReader.repeatedParts;
    }

    /** @return terminal output items found to repeat their final read, so not read again (for tests). */
    long repeatedFinals()
    {
        return itemReader.repeatedFinals;
    }

    private void apply() throws JsonReader.BadPayload
    {
        if (isDelta(event.type) && deltaForUnopenedItem())
        {
            return;
        }
        switch (event.type)
        {
            case UNKNOWN:
            case LIFECYCLE:
                if (event.structured(GatheredEvent.RESPONSE))
                {
                    responses.read(false);
                }
                else if (event.deltaIsString() && UnknownDeltas.isDelta(event.typeName) && !deltaForUnopenedItem())
                {
                    unknownDeltas.fold(event);
                }
                break;
            case COMPLETED:
            case INCOMPLETE:
            case FAILED:
                terminals.onTerminal();
                break;
            case ERROR:
                terminals.onErrorEvent();
                break;
            case ITEM_ADDED:
            case ITEM_DONE:
            {
                final Item item = items.itemForEvent(event.outputIndex, event.itemId, ITEM_UNKNOWN);
                if (item != null && event.structured(GatheredEvent.ITEM))
                {
                    itemReader.readItem(event.objectMembers(GatheredEvent.ITEM, itemReader.itemFields()), item, event.type == ITEM_DONE);
                }
                if (item != null && event.type == ITEM_DONE)
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
                final boolean summary = event.type == SUMMARY_PART_ADDED || event.type == SUMMARY_PART_DONE;
                final Item item = items.itemForEvent(event.outputIndex, event.itemId, summary ? ITEM_REASONING : ITEM_UNKNOWN);
                final JsonMembers part = item == null ? null : event.objectMembers(GatheredEvent.PART, itemReader.partFields());
                if (part != null)
                {
                    itemReader.readContentPart(part, item, summary, summary ? event.summaryIndex : event.contentIndex,
                        event.type == CONTENT_PART_DONE || event.type == SUMMARY_PART_DONE);
                }
                break;
            }
            case OUTPUT_TEXT_DELTA:
            case OUTPUT_TEXT_DONE:
            {
                final MutablePart part = items.partForEvent(
                    event.outputIndex, event.itemId, ITEM_MESSAGE, false, event.contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null)
                {
                    if (event.type == OUTPUT_TEXT_DELTA)
                    {
                        appendDelta(part, event.delta.array(), event.delta.length());
                    }
                    else
                    {
                        items.reconcile(part, event, "response.output_text.done");
                    }
                    eventLogprobs(part);
                }
                break;
            }
            case ANNOTATION_ADDED:
            {
                final MutablePart part = items.partForEvent(
                    event.outputIndex, event.itemId, ITEM_MESSAGE, false, event.contentIndex, MutablePart.Kind.TEXT, "output_text");
                if (part != null && !event.annotation.isNullish() && !part.annotations().add(event.annotation, limits.maxRawBytes()))
                {
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "annotations larger than " + limits.maxRawBytes() + " bytes");
                }
                break;
            }
            case REFUSAL_DELTA:
            case REFUSAL_DONE:
            {
                final MutablePart part = items.partForEvent(
                    event.outputIndex, event.itemId, ITEM_MESSAGE, false, event.contentIndex, MutablePart.Kind.REFUSAL, "refusal");
                if (part != null)
                {
                    if (event.type == REFUSAL_DELTA)
                    {
                        appendDelta(part, event.delta.array(), event.delta.length());
                    }
                    else
                    {
                        items.reconcile(part, event.refusal, "response.refusal.done");
                    }
                }
                break;
            }
            case ARGUMENTS_DELTA:
            case ARGUMENTS_DONE:
            {
                final Item item = items.itemForEvent(event.outputIndex, event.itemId, ITEM_FUNCTION_CALL);
                if (item != null && item.kind == ITEM_FUNCTION_CALL)
                {
                    final MutablePart call = items.callPart(item, null, event.name);
                    if (call != null)
                    {
                        if (event.type == ARGUMENTS_DELTA)
                        {
                            appendDelta(call, event.delta.array(), event.delta.length());
                        }
                        else
                        {
                            items.reconcile(call, event.arguments, "response.function_call_arguments.done");
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
                final boolean summary = event.type == SUMMARY_TEXT_DELTA || event.type == SUMMARY_TEXT_DONE;
                final MutablePart part = items.partForEvent(event.outputIndex, event.itemId, ITEM_REASONING, summary,
                    summary ? event.summaryIndex : event.contentIndex,
                    MutablePart.Kind.REASONING, summary ? "summary_text" : "reasoning_text");
                if (part != null)
                {
                    if (event.type == SUMMARY_TEXT_DELTA || event.type == REASONING_TEXT_DELTA)
                    {
                        appendDelta(part, event.delta.array(), event.delta.length());
                    }
                    else
                    {
                        items.reconcile(part, event, summary ? "response.reasoning_summary_text.done" : "response.reasoning_text.done");
                    }
                }
                break;
            }
            default:
                break;
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
        if (event.outputIndex < 0 || event.outputIndex > limits.maxIndex() || event.delta.length() == 0)
        {
            // Outside the limits it is refused as such, without looking further.
            return false;
        }
        for (int i = items.size() - 1; i >= 0; i--)
        {
            if (items.get(i).outputIndex == event.outputIndex)
            {
                return false;
            }
        }
        aggregate.error(ErrorKind.LATE_DATA, (event.type > LIFECYCLE ? EVENT_TYPES[event.type] : event.typeName) +
            " for output_index " + event.outputIndex +
            ", which no earlier event opened; not folded");
        return true;
    }

    /**
     * Appends a delta to its part (a tool call's arguments or text) and keeps the part for the repeats of this event.
     * A delta with logprobs is never learnt, so a repeat has none to read.
     */
    private void appendDelta(final MutablePart part, final char[] chars, final int length)
    {
        repeatPart = part;
        repeatItem = items.lastTouched();
        if (part.kind() == MutablePart.Kind.TOOL_CALL)
        {
            aggregate.appendArguments(items.current(), part, chars, 0, length);
        }
        else
        {
            aggregate.appendText(items.current(), part, chars, 0, length);
        }
    }

    /**
     * Folds a repeat of the learnt delta whose logprob entry varies, as the full path folds it: the delta appended, then
     * the entry kept on the part's logprobs. A listener hears the entry's token and value, read here before anything
     * changes.
     *
     * @return false, nothing changed, when the value is not read as surely as the full path reads it.
     */
    private boolean repeatEntry(final int deltaLength)
    {
        final int e = GatheredEvent.entrySlot(eventTemplate.shape().meaning());
        // The full path keeps the whole logprobs array first and reports one over maxRawBytes: leave such a delta to it.
        if (arrayLength(eventTemplate.input(), eventTemplate.valueStart(e), eventTemplate.valueEnd(e)) > limits.maxRawBytes())
        {
            return false;
        }
        if (aggregate.listener() == StreamListener.NONE)
        {
            entry.none();
        }
        else if (!entry.read(eventTemplate, e))
        {
            return false;
        }
        items.touch(repeatItem);
        appendDelta(repeatPart, eventTemplate.stringChars(0), deltaLength);
        itemReader.lists().keepMatched(eventTemplate.input(), eventTemplate.valueStart(e), eventTemplate.valueEnd(e), repeatSlot, entry.token(),
            entry.tokenLength(), entry.logprob());
        return true;
    }

    /** @return the length of the array around a matched entry, its only element (brackets and whitespace are learnt bytes). */
    private static int arrayLength(final byte[] src, final int entryStart, final int entryEnd)
    {
        int open = entryStart - 1;
        while (src[open] != '[')
        {
            open--;
        }
        return JsonBytes.skipWhitespace(src, entryEnd, src.length) + 1 - open;
    }

    /** Logprobs of an output_text event: taken from deltas, and from .done only when no delta had any. */
    private void eventLogprobs(final MutablePart part) throws JsonReader.BadPayload
    {
        // Most servers send "logprobs":[] with every delta: nothing to read (an empty object neither).
        if (!event.hasLogprobEntries())
        {
            return;
        }
        final Slot slot = items.slotOf(part);
        if (slot == null || (event.type == OUTPUT_TEXT_DONE && slot.logprobsStreamed))
        {
            return;
        }
        if (itemReader.lists().scan(event.logprobs.structuredBytes(), 0, event.logprobs.structuredLength(), slot, false))
        {
            if (itemReader.lists().scannedLone && event.type == OUTPUT_TEXT_DELTA)
            {
                repeatSlot = slot;
            }
            return;
        }
        nested.begin(event.logprobs);
        if (nested.token() == JsonToken.START_ARRAY)
        {
            itemReader.lists().read(nested, slot, false);
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

    void copyChars(final char[] chars, final int offset, final int length, final MutableTextBuffer into, final int limit)
    {
        if (!into.set(chars, offset, length, limit))
        {
            into.clear();
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "string longer than " + limit + " characters dropped");
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
