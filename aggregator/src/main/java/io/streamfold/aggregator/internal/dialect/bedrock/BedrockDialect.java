package io.streamfold.aggregator.internal.dialect.bedrock;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.dialect.EventStreamExceptions;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.eventstream.InvokeChunks;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import org.agrona.DirectBuffer;

/**
 * AWS Bedrock {@code ConverseStream}: binary eventstream messages whose {@code :event-type} header names
 * the event ({@code messageStart}, {@code contentBlockStart}, {@code contentBlockDelta},
 * {@code contentBlockStop}, {@code messageStop}, {@code metadata}) and whose payload is that event's JSON.
 * One message, so one choice 0; its content blocks are keyed by {@code contentBlockIndex}. Text blocks
 * have no start event, so a block is created by whichever of its events comes first. Exceptions
 * ({@code :message-type exception} or {@code error}) are terminal: the stream ends there with
 * {@link Outcome#ERROR}, the exception type and message kept as the provider error.
 *
 * <p>{@code metadata} (usage, metrics) follows {@code messageStop}, so the stream is only decided when the
 * input ends: complete once {@code messageStop} arrived, truncated otherwise. The {@code p} padding field
 * Bedrock adds to every payload over HTTP is ignored.
 */
public final class BedrockDialect extends Dialect
{

    private static final int MESSAGE_START = 0;
    private static final int BLOCK_START = 1;
    private static final int BLOCK_DELTA = 2;
    private static final int BLOCK_STOP = 3;
    private static final int MESSAGE_STOP = 4;
    private static final int METADATA = 5;
    private static final int UNKNOWN = 6;
    /** An exception or error message, not an event. */
    private static final int EXCEPTION = 7;
    /** An invoke stream's chunk: one event, named by its first member. */
    private static final int CHUNK = 8;

    static final String TOOL_USE = "toolUse";
    static final String REDACTED = "redactedContent";
    /** A server tool's result block: {@code ToolResultBlockStart}, then lists of {@code ToolResultBlockDelta}. */
    static final String TOOL_RESULT = "toolResult";
    /** An image block: {@code ImageBlockStart} ({@code format}), then {@code ImageBlockDelta} objects. */
    static final String IMAGE = "image";
    /** The field of a {@code ToolResultBlock} that its deltas' entries are appended to. */
    static final String CONTENT = "content";

    /**
     * A contentBlockDelta of text (slot 0), with or without the random-length {@code p} padding (slot 1): a raw
     * slot, so that the padding is only checked, never decoded.
     */
    private static final EventShape[] TEXT_DELTA_SHAPES = {
        EventShape.of(0).string("delta", "text").build(),
        EventShape.of(1).string("delta", "text").raw("p").build(),
    };

    private long learntIndex;
    /** The kind of the message whose headers had {@link Frame#headersSerial()} {@link #kindSerial}. */
    private int kind;
    private long kindSerial;
    /** Set while a contentBlockDelta is read: its delta held exactly one field, a text string. */
    private boolean textOnlyDelta;
    private boolean paddingIsString;

    private final JsonReader deferredReader;
    private final ContentBlocks blocks;
    private final MutableRawJson deferred = new MutableRawJson();
    private final EventStreamExceptions exceptions;
    /** An invoke stream chunk's members: the event's name and value. */
    private final JsonMembers chunkMembers = new JsonMembers();
    private boolean messageStopped;

    public BedrockDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, BedrockReporting.INSTANCE);
        deferredReader = new JsonReader(limits);
        blocks = new ContentBlocks(this, aggregate, limits);
        exceptions = new EventStreamExceptions(aggregate, limits, json);
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        // An invoke stream's chunks come decoded: each holds one Converse-shaped event (Nova's), read as such below.
        return new EventStreamFramer(new InvokeChunks(listener), limits.framing());
    }

    @Override
    public void reset()
    {
        super.reset();
        deferredReader.abandon();
        deferred.clear();
        messageStopped = false;
        blocks.reset();
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        final int event = kindOf(frame);
        if (event == EXCEPTION)
        {
            exceptions.keep(frame);
            return;
        }
        aggregate.start();
        if (event == CHUNK)
        {
            chunk(frame);
            return;
        }
        fold(event, frame.buffer(), frame.offset(), frame.length());
    }

    /**
     * An invoke stream's chunk, decoded ({@link InvokeChunks}): {@code {"<event>": {...}}} beside Bedrock's
     * {@code amazon-bedrock-*} members (invocation metrics with latencies the events do not give, a guardrail's
     * action), kept as top-level fields of the response, as the Anthropic format keeps them beside its message. Its
     * first member is the event ConverseStream would send under that name.
     */
    private void chunk(final Frame frame) throws JsonReader.BadPayload
    {
        final DirectBuffer buffer = frame.buffer();
        final byte[] array = buffer.byteArray();
        final int from = (int)buffer.wrapAdjustment() + frame.offset();
        // Checked whole (decoded bytes are as untrusted as any), strings as long as the chunk: the event's value is then
        // read by the token reader, under the usual limits.
        final boolean object = array != null &&
            chunkMembers.checkObject(array, from, from + frame.length(), limits.maxNestingDepth(), frame.length());
        if (object && chunkMembers.count() > 0 && "type".equals(chunkMembers.name(0)))
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, "invoke stream chunk of Anthropic Messages events: read as format " +
                "anthropic; not folded");
            return;
        }
        if (!object || chunkMembers.count() == 0 || chunkMembers.first(0) != '{')
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, "invoke stream chunk is not one event object" +
                (chunkMembers.count() > 0 ? " (first member " + Dialect.abbreviate(chunkMembers.name(0)) + ")" : "") + "; not folded");
            return;
        }
        for (int m = 1; m < chunkMembers.count(); m++)
        {
            final String member = chunkMembers.name(m);
            final MutableRawJson slot = member.startsWith("amazon-bedrock-") ? aggregate.meta().slot(member, limits.maxRawFields()) : null;
            if (slot != null && !chunkMembers.capture(m, slot, limits.maxRawBytes()))
            {
                aggregate.meta().remove(member);
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "invoke chunk member '" + member + "' dropped: limit");
            }
        }
        final String name = chunkMembers.name(0);
        final int start = chunkMembers.valueStart(0);
        fold(eventOf(name), buffer, start - (int)buffer.wrapAdjustment(), chunkMembers.valueEnd(0) - start);
    }

    /** Folds one event of kind {@code event} whose JSON is {@code buffer[offset, offset + length)}. */
    private void fold(final int event, final DirectBuffer buffer, final int offset, final int length) throws JsonReader.BadPayload
    {
        if (event == BLOCK_DELTA && eventTemplate.match(buffer, offset, length))
        {
            blocks.textDelta(aggregate.choiceForIndex(0), learntIndex, eventTemplate.stringChars(0), 0, eventTemplate.stringLength(0));
            return;
        }
        eventTemplate.forget();
        textOnlyDelta = false;
        paddingIsString = false;
        final int errorsBefore = aggregate.errorCount();
        json.beginObject(buffer, offset, length);
        switch (event)
        {
            case MESSAGE_START:
                messageStart();
                break;
            case BLOCK_START:
            case BLOCK_DELTA:
                blockEvent(event);
                break;
            case BLOCK_STOP:
                blockStop();
                break;
            case MESSAGE_STOP:
                messageStop();
                break;
            case METADATA:
                metadata();
                break;
            default:
                // An event type newer than this code: its JSON is checked, its content not interpreted.
                while (json.next() == JsonToken.FIELD_NAME)
                {
                    json.next();
                    json.skip();
                }
        }
        json.finish();
        if (textOnlyDelta && aggregate.errorCount() == errorsBefore)
        {
            eventTemplate.learn(buffer, offset, length, TEXT_DELTA_SHAPES[paddingIsString ? 1 : 0]);
        }
    }

    /**
     * The message's kind, from its headers: a message repeating the last one's header bytes (nearly every message)
     * is the same kind, so its headers are not read again.
     */
    private int kindOf(final Frame frame)
    {
        final long serial = frame.headersSerial();
        if (serial != 0 && serial == kindSerial)
        {
            return kind;
        }
        kind = readKind(frame);
        kindSerial = serial;
        return kind;
    }

    private static int readKind(final Frame frame)
    {
        if (EventStreamExceptions.is(frame))
        {
            return EXCEPTION;
        }
        return eventOf(frame);
    }

    private static int eventOf(final Frame frame)
    {
        if (frame.typeEquals(InvokeChunks.CHUNK))
        {
            return CHUNK;
        }
        if (frame.typeEquals("contentBlockDelta"))
        {
            return BLOCK_DELTA;
        }
        if (frame.typeEquals("contentBlockStart"))
        {
            return BLOCK_START;
        }
        if (frame.typeEquals("contentBlockStop"))
        {
            return BLOCK_STOP;
        }
        if (frame.typeEquals("messageStart"))
        {
            return MESSAGE_START;
        }
        if (frame.typeEquals("messageStop"))
        {
            return MESSAGE_STOP;
        }
        if (frame.typeEquals("metadata"))
        {
            return METADATA;
        }
        return UNKNOWN;
    }

    /** @return the kind of the event named {@code name} (an invoke stream chunk's first member). */
    private static int eventOf(final String name)
    {
        switch (name)
        {
            case "contentBlockDelta":
                return BLOCK_DELTA;
            case "contentBlockStart":
                return BLOCK_START;
            case "contentBlockStop":
                return BLOCK_STOP;
            case "messageStart":
                return MESSAGE_START;
            case "messageStop":
                return MESSAGE_STOP;
            case "metadata":
                return METADATA;
            default:
                return UNKNOWN;
        }
    }

    @Override
    public boolean terminalSeenAtInputEnd()
    {
        return messageStopped;
    }

    @Override
    public String unfinished()
    {
        if (!messageStopped)
        {
            return "before messageStop";
        }
        // messageStop came, but a later message (the metadata with usage) was cut: not the whole response,
        // and the framer has already said where.
        return framingTruncated() ? "" : null;
    }

    private boolean framingTruncated()
    {
        final List<io.streamfold.parser.StreamError> errors = aggregate.errors();
        for (int i = errors.size() - 1; i >= 0; i--)
        {
            if (errors.get(i).kind() == ErrorKind.TRUNCATED)
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    private void messageStart() throws JsonReader.BadPayload
    {
        final MutableChoice choice = aggregate.choiceForIndex(0);
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            if ("role".equals(name) && value == JsonToken.VALUE_STRING && choice != null)
            {
                final CharView v = json.text();
                choice.role().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
            }
            else if ("p".equals(name))
            {
                json.skip();
            }
            else
            {
                captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
    }

    /** contentBlockStart and contentBlockDelta: the index may come after the body, which then waits for it. */
    private void blockEvent(final int event) throws JsonReader.BadPayload
    {
        long index = -1;
        boolean indexSeen = false;
        boolean hasDeferred = false;
        final String body = event == BLOCK_START ? "start" : "delta";
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            json.next();
            if ("contentBlockIndex".equals(name))
            {
                index = blockIndex(json);
                indexSeen = true;
            }
            else if (body.equals(name))
            {
                if (indexSeen)
                {
                    blockBody(json, event, index);
                    learntIndex = index;
                }
                else
                {
                    json.captureForReplay(deferred);
                    hasDeferred = true;
                }
            }
            else
            {
                if ("p".equals(name))
                {
                    paddingIsString = json.token() == JsonToken.VALUE_STRING;
                }
                json.skip();
            }
        }
        if (hasDeferred)
        {
            if (!indexSeen)
            {
                index = 0;
            }
            if (deferred.type() == MutableRawJson.Type.STRUCTURED)
            {
                deferredReader.begin(deferred);
                blockBody(deferredReader, event, index);
                deferredReader.finish();
            }
        }
    }

    private static long blockIndex(final JsonReader r) throws JsonReader.BadPayload
    {
        return eventIndex(r, "contentBlockIndex");
    }

    private void blockBody(final JsonReader r, final int event, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        if (event == BLOCK_START)
        {
            blocks.readStart(r, index);
        }
        else
        {
            // Learnable when the text was all it said, read in place (not replayed after a late index).
            textOnlyDelta = blocks.readDelta(r, index) && r == json;
        }
    }

    private void blockStop() throws JsonReader.BadPayload
    {
        long index = -1;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            json.next();
            if ("contentBlockIndex".equals(name))
            {
                index = blockIndex(json);
            }
            else
            {
                json.skip();
            }
        }
        if (index < 0)
        {
            index = 0;
        }
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        boolean found = false;
        for (int i = 0; i < choice.partCount(); i++)
        {
            final MutablePart p = choice.part(i);
            if (p.wireIndex() == index)
            {
                found = true;
                aggregate.endPart(choice, p);
            }
        }
        if (!found)
        {
            // A block that stops before any delta: text is the one kind opened without a start event.
            final MutablePart empty = blocks.block(index, MutablePart.Kind.TEXT);
            if (empty != null)
            {
                empty.text().markPresent();
                aggregate.endPart(choice, empty);
            }
        }
    }

    private void messageStop() throws JsonReader.BadPayload
    {
        final MutableChoice choice = aggregate.choiceForIndex(0);
        messageStopped = true;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            if ("stopReason".equals(name) && value == JsonToken.VALUE_STRING && choice != null)
            {
                final CharView v = json.text();
                aggregate.finish(choice, v.array(), v.offset(), v.length());
            }
            else if ("p".equals(name))
            {
                json.skip();
            }
            else
            {
                captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
    }

    private void metadata() throws JsonReader.BadPayload
    {
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            json.next();
            if ("usage".equals(name))
            {
                mergeUsage(json);
            }
            else if ("p".equals(name))
            {
                json.skip();
            }
            else
            {
                // metrics, trace, performanceConfig, serviceTier...: top-level fields of the Converse response.
                captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        BedrockWriter.write(result, g);
    }
}
