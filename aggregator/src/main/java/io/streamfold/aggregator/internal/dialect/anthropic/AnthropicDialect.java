package io.streamfold.aggregator.internal.dialect.anthropic;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.dialect.EventStreamExceptions;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.JsonSyntaxCheck;
import io.streamfold.aggregator.internal.json.JsonText;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.eventstream.InvokeChunks;
import io.streamfold.parser.sse.SseTokenizer;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_DELTA;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_START;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_STOP;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.ERROR;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.KIND_NONE;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_DELTA;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_START;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_STOP;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.needsIndex;

/**
 * Anthropic Messages streams ({@code event: message_start} ... {@code message_stop}), folded into the
 * non-streaming {@code message} object. One choice (index 0); each content block is a {@link MutablePart} keyed
 * by the block {@code index}.
 *
 * <p>Events are told apart by the payload's {@code type} (gateways drop the {@code event:} lines; the SSE
 * event name is only the fallback for a payload without one). Fields may come in any order: a field that
 * arrives before the {@code type} or {@code index} it depends on is kept raw and read once the event's
 * object is complete. Block deltas are recognised by their field ({@code text}, {@code thinking},
 * {@code signature}, {@code partial_json}, {@code citation}), which names them as surely as their type.
 *
 * <p>Tool input: the {@code input_json_delta} fragments are joined in the part's text, exactly as streamed,
 * and written back as the JSON value {@code input} when they form one complete JSON value. No fragment, or
 * only whitespace, gives the {@code input} of {@code content_block_start} (normally {@code {}}). Fragments
 * that do not form complete JSON (a stream cut by {@code max_tokens}) are written as the string they form,
 * kept in {@link MutablePart#text()}, mark the call incomplete, and report a {@link ErrorKind#MALFORMED_JSON}
 * error when the block stops or the message ends.
 */
public final class AnthropicDialect extends Dialect
{
    /** Reads values kept raw because they came before the type or index they depend on. */
    private final JsonReader replayReader;
    private final ContentBlocks blocks;
    private final BlockStarts starts;
    /** Block events and pings read scan-first. */
    private final EventScan scan;
    /** Tool input checks without a parser per call; the writer uses it too, so both give one verdict. */
    private final JsonSyntaxCheck toolInput = new JsonSyntaxCheck();
    private final MutableRawFields deferred = new MutableRawFields();
    private final MutableTextBuffer stopReason = new MutableTextBuffer();
    private boolean errorEventReported;
    /** A Bedrock invoke stream's exception messages. */
    private final EventStreamExceptions exceptions;

    /**
     * Where the byte telling a block event's type apart lies in its compact form, {@code {"type":"content_block_}: the
     * {@code d} of a delta, the {@code s} of a start or stop; and where a start's {@code a} or a stop's {@code o} lies.
     */
    private static final int BLOCK_TYPE_AT = "{\"type\":\"content_block_".length();
    private static final int START_OR_STOP_AT = BLOCK_TYPE_AT + 2;

    /** The repeated block deltas, learnt and folded without parsing. */
    private final DeltaTemplates templates;
    /** The repeated plain text block starts, likewise. */
    private final TextBlockStarts textStarts;
    /** The block index and whether the type was in the payload, of the event the token reader last folded. */
    private long eventIndex;
    private boolean typeInPayload;

    public AnthropicDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, AnthropicReporting.INSTANCE);
        replayReader = new JsonReader(limits);
        blocks = new ContentBlocks(this, aggregate, limits);
        starts = new BlockStarts(this, aggregate, limits, blocks);
        scan = new EventScan(starts, blocks, new MessageScan(this, aggregate, limits), limits);
        templates = new DeltaTemplates(aggregate, blocks, limits);
        textStarts = new TextBlockStarts(starts, limits);
        exceptions = new EventStreamExceptions(aggregate, limits, json);
    }

    /**
     * SSE, or Bedrock's invoke stream ({@code InvokeModelWithResponseStream} of a Claude model): an eventstream whose
     * chunks each carry one of these events as base64, decoded by {@link InvokeChunks}. The first byte tells: an
     * eventstream prelude opens with a zero.
     */
    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SniffingFramer((byte)0, new EventStreamFramer(new InvokeChunks(listener), limits.framing()),
            new SseTokenizer(listener, limits.framing()));
    }

    @Override
    public void reset()
    {
        // The side readers are left clean after every event (see onFrame): no new parsers per stream.
        super.reset();
        deferred.clear();
        stopReason.clear();
        templates.reset();
        textStarts.reset();
        blocks.reset();
    }

    @Override
    public void fastPath(final boolean on)
    {
        super.fastPath(on);
        templates.enabled(on);
        textStarts.enabled(on);
    }

    @Override
    public long fastFolds()
    {
        return templates.matches() + textStarts.matches();
    }

    /** The learnt delta answers the framer's line-end hint: its line is not scanned a second time. */
    @Override
    public boolean hintsDataLines()
    {
        return true;
    }

    @Override
    protected int matchDataLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        return templates.matchLine(src, from, to, lineOffset);
    }

    /** The delta the framer offers whole, in place of its frame: the data line the hint matched last. */
    @Override
    public boolean foldHinted()
    {
        return templates.foldHinted();
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        try
        {
            fold(frame);
        }
        catch (final JsonReader.BadPayload | RuntimeException e)
        {
            // A payload rejected half-read must not leave any reader inside it.
            json.abandon();
            replayReader.abandon();
            throw e;
        }
    }

    private void fold(final Frame frame) throws JsonReader.BadPayload
    {
        if (frame.headersLength() > 0 && EventStreamExceptions.is(frame))
        {
            // Bedrock ends an invoke stream with an exception or error message (throttling, a model stream error),
            // whose payload may be empty or look like an event: before anything reads it as one.
            exceptions.keep(frame);
            return;
        }
        if (frame.length() == 0)
        {
            return;
        }
        // The compact type names the only templates that may match (a learnt delta matches only a delta, a learnt
        // block start only a start, or the fast path would fold what the full path does not): a block stop, start
        // or delta is not tried against the others' templates, each a failed match. A frame written otherwise
        // tries them all; skipping a template only ever leaves the event to the full path.
        final byte type = frame.length() > START_OR_STOP_AT ? frame.buffer().getByte(frame.offset() + BLOCK_TYPE_AT) : 0;
        final boolean startOrStop = type == 's';
        if ((!startOrStop && templates.foldRepeated(frame)) ||
            (type != 'd' && !(startOrStop && frame.buffer().getByte(frame.offset() + START_OR_STOP_AT) == 'o') &&
                textStarts.foldRepeated(frame)))
        {
            return;
        }
        blocks.forgetShape();
        starts.forgetPlainText();
        final int errorsBefore = aggregate.errorCount();
        deferred.clear();
        stopReason.clear();
        errorEventReported = false;
        int kind = eventTemplate.enabled() ? scan.fold(frame) : KIND_NONE;
        // A delta the scan read was checked whole by it (a bare stop or ping is the only kind it reads unchecked).
        final boolean scanned = kind != KIND_NONE;
        final long index;
        if (scanned)
        {
            if (kind == CONTENT_BLOCK_START && starts.plainText() && aggregate.errorCount() == errorsBefore)
            {
                textStarts.learn(frame, starts.cited());
            }
            index = scan.index();
            typeInPayload = true;
            if (kind == MESSAGE_START || kind == MESSAGE_DELTA || kind == MESSAGE_STOP)
            {
                onEventEnd(kind, index);
            }
        }
        else
        {
            kind = foldTokens(frame);
            index = eventIndex;
        }
        final int learnShape = blocks.learnShape();
        if (learnShape >= 0 && kind == CONTENT_BLOCK_DELTA && typeInPayload && deferred.size() == 0 &&
            aggregate.errorCount() == errorsBefore)
        {
            templates.learn(frame, learnShape, index, scanned);
        }
    }

    /**
     * Reads the event with the token reader: any event the scan does not take. Fields may come in any order; one
     * whose meaning depends on a type or index still to come is kept raw and read at the end.
     *
     * @return the event's kind; {@link #eventIndex} and {@link #typeInPayload} say the rest.
     */
    private int foldTokens(final Frame frame) throws JsonReader.BadPayload
    {
        typeInPayload = false;
        json.beginObject(frame.buffer(), frame.offset(), frame.length());
        int kind = KIND_NONE;
        long index = -1;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            if ("type".equals(name))
            {
                if (value != JsonToken.VALUE_STRING)
                {
                    throw new JsonReader.BadPayload("event type is not a string");
                }
                kind = AnthropicEvents.kindOf(json.text());
                typeInPayload = true;
            }
            else if ("index".equals(name))
            {
                index = eventIndex(json, "index");
            }
            else if (kind != KIND_NONE && (index >= 0 || !needsIndex(kind)))
            {
                onField(kind, name, json, index);
            }
            else
            {
                // Its meaning depends on a type or index still to come: keep it and read it at the end.
                final MutableRawJson slot = deferred.slot(name, limits.maxRawFields());
                if (slot == null)
                {
                    throw new JsonReader.BadPayload("more than " + limits.maxRawFields() + " fields in one event");
                }
                json.captureForReplay(slot);
            }
        }
        json.finish();
        if (kind == KIND_NONE)
        {
            kind = AnthropicEvents.kindOfEventName(frame);
        }
        if (needsIndex(kind) && index < 0)
        {
            throw new JsonReader.BadPayload("block event without an index");
        }
        for (int i = 0; i < deferred.size(); i++)
        {
            replay(kind, deferred.name(i), deferred.value(i), index);
        }
        onEventEnd(kind, index);
        eventIndex = index;
        return kind;
    }

    /** The message finishes with the stop reason its event gave (message_delta's, or a whole message_start's), if any. */
    private void finishWithStopReason()
    {
        if (stopReason.length() > 0)
        {
            final MutableChoice choice = aggregate.choiceForIndex(0);
            if (choice != null)
            {
                blocks.checkOpenToolInputs();
                aggregate.finish(choice, stopReason.array(), 0, stopReason.length());
            }
        }
    }

    /** The stop reason of the message_delta being read (by either reader): the choice finishes with it at the event's end. */
    void stopReason(final char[] chars, final int offset, final int length)
    {
        stopReason.set(chars, offset, length, 1024);
    }

    /** @return events folded from a byte scan so far (for tests: the scan is taken where it should be). */
    long scannedEvents()
    {
        return scan.scanned();
    }

    @Override
    public void beforeInputEnd()
    {
        blocks.checkOpenToolInputs();
    }

    @Override
    public String unfinished()
    {
        return "without message_stop";
    }

    /** One top-level field of an event whose type (and index) is known; the reader is on its value. */
    private void onField(final int kind, final String name, final JsonReader r, final long index)
        throws JsonReader.BadPayload
    {
        switch (kind)
        {
            case MESSAGE_START:
                if ("message".equals(name))
                {
                    readMessage(r);
                }
                else
                {
                    r.skip();
                }
                break;
            case CONTENT_BLOCK_START:
                if ("content_block".equals(name))
                {
                    starts.readBlockStart(r, index);
                }
                else
                {
                    r.skip();
                }
                break;
            case CONTENT_BLOCK_DELTA:
                if ("delta".equals(name))
                {
                    blocks.readBlockDelta(r, index);
                }
                else
                {
                    r.skip();
                }
                break;
            case MESSAGE_DELTA:
                if ("delta".equals(name))
                {
                    readMessageDelta(r);
                }
                else if ("usage".equals(name))
                {
                    mergeUsage(r);
                }
                else
                {
                    captureKeepingNonEmpty(aggregate.meta(), name, r);
                }
                break;
            case MESSAGE_STOP:
                // Extra fields here (Bedrock's invocation metrics) belong to the message as a whole.
                captureKeepingNonEmpty(aggregate.meta(), name, r);
                break;
            case ERROR:
                if ("error".equals(name) && r.token() != JsonToken.VALUE_NULL)
                {
                    providerError(r);
                    errorEventReported = true;
                }
                else
                {
                    r.skip();
                }
                break;
            default:
                r.skip();
        }
    }

    /** Reads a field kept raw before its event's type or index was known. */
    private void replay(final int kind, final String name, final MutableRawJson value, final long index)
        throws JsonReader.BadPayload
    {
        if (value.type() == MutableRawJson.Type.STRUCTURED)
        {
            replayReader.begin(value);
            onField(kind, name, replayReader, index);
            replayReader.finish();
            return;
        }
        if (kind == MESSAGE_DELTA || kind == MESSAGE_STOP)
        {
            if (("delta".equals(name) || "usage".equals(name)) && !value.isNullish())
            {
                throw new JsonReader.BadPayload("'" + name + "' is not an object");
            }
            final MutableRawJson existing = aggregate.meta().get(name);
            if (value.isNullish() || value.isEmptyString())
            {
                if (existing != null && !existing.isNullish())
                {
                    return;
                }
            }
            final MutableRawJson slot = aggregate.meta().slot(name, limits.maxRawFields());
            if (slot != null)
            {
                slot.copyFrom(value);
            }
        }
        else if (!value.isNullish() && ("message".equals(name) || "content_block".equals(name) || "delta".equals(name)))
        {
            throw new JsonReader.BadPayload("'" + name + "' is not an object");
        }
    }

    private void onEventEnd(final int kind, final long index)
    {
        switch (kind)
        {
            case MESSAGE_START:
                aggregate.choiceForIndex(0);
                aggregate.start();
                finishWithStopReason();
                break;
            case CONTENT_BLOCK_STOP:
                blocks.stopBlock(index);
                break;
            case MESSAGE_DELTA:
                finishWithStopReason();
                break;
            case MESSAGE_STOP:
                blocks.checkOpenToolInputs();
                aggregate.start();
                aggregate.end(aggregate.providerError().isNullish() ? Outcome.COMPLETE : Outcome.ERROR);
                break;
            case ERROR:
                if (!errorEventReported)
                {
                    aggregate.providerErrorReported("provider error event without an error object");
                }
                aggregate.end(Outcome.ERROR);
                break;
            default:
                break;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // message_start

    private void readMessage(final JsonReader r) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("message is not an object");
        }
        final MutableChoice choice = aggregate.choiceForIndex(0);
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "role":
                    if (value == JsonToken.VALUE_STRING && choice != null)
                    {
                        final CharView v = r.text();
                        choice.role().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "content":
                    // Normally empty; a gateway that sends blocks here gets them read as started blocks.
                    if (value == JsonToken.START_ARRAY)
                    {
                        long blockIndex = 0;
                        while (r.next() != JsonToken.END_ARRAY)
                        {
                            starts.readBlockStart(r, blockIndex++);
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "usage":
                    mergeUsage(r);
                    break;
                case "stop_reason":
                    // A gateway that sends a whole message here (blocks and why it stopped, then message_stop) finishes it
                    // here; a real stream's start says null.
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = r.text();
                        stopReason(v.array(), v.offset(), v.length());
                    }
                    else
                    {
                        captureKeepingNonEmpty(aggregate.meta(), name, r);
                    }
                    break;
                default:
                    captureKeepingNonEmpty(aggregate.meta(), name, r);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // content_block_start

    static final int INPUT_NONE = 0;
    static final int INPUT_VALID = 1;
    static final int INPUT_INVALID = 2;

    /** Classifies the joined input fragments, for the decoder's error and the writer alike. Once per tool block. */
    int inputState(final MutablePart call)
    {
        final MutableTextBuffer text = call.text();
        final char[] chars = text.array();
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            final char c = chars[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return toolInput.isOneValue(chars, 0, length, JsonText.MAX_DEPTH) ? INPUT_VALID : INPUT_INVALID;
            }
        }
        return INPUT_NONE;
    }

    // ---------------------------------------------------------------------------------------------
    // message_delta

    private void readMessageDelta(final JsonReader r) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("delta is not an object");
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("stop_reason".equals(name))
            {
                if (value == JsonToken.VALUE_STRING)
                {
                    final CharView v = r.text();
                    stopReason(v.array(), v.offset(), v.length());
                }
                else
                {
                    r.skip();
                }
            }
            else
            {
                // stop_sequence, container, stop_details: fields of the message itself.
                captureKeepingNonEmpty(aggregate.meta(), name, r);
            }
        }
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        AnthropicWriter.write(result, g, this);
    }
}
