package io.streamfold.aggregator.internal.dialect.openai.responses;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.LIFECYCLE;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.UNKNOWN;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.eventType;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.isDelta;

/**
 * One {@code response.*} event, gathered before it is applied because its fields may come in any order: the
 * dialect reads the fields here once the event's object has ended. One per dialect, reused for every event.
 */
final class GatheredEvent
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

    private final OpenAiResponsesDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;

    int type;
    long outputIndex;
    long contentIndex;
    long summaryIndex;
    /** The type of an event this dialect does not know. */
    final MutableTextBuffer typeName = new MutableTextBuffer();
    final MutableTextBuffer itemId = new MutableTextBuffer();
    final MutableTextBuffer delta = new MutableTextBuffer();
    final MutableTextBuffer text = new MutableTextBuffer();
    final MutableTextBuffer refusal = new MutableTextBuffer();
    final MutableTextBuffer arguments = new MutableTextBuffer();
    final MutableTextBuffer name = new MutableTextBuffer();
    final MutableRawJson item = new MutableRawJson();
    final MutableRawJson part = new MutableRawJson();
    final MutableRawJson response = new MutableRawJson();
    final MutableRawJson logprobs = new MutableRawJson();
    final MutableRawJson error = new MutableRawJson();
    final MutableRawJson annotation = new MutableRawJson();
    /** {@code code}, {@code message} and {@code param} beside the type, as the documented error event has them. */
    final MutableRawFields errorFields = new MutableRawFields();
    private boolean deltaIsString;
    private boolean sequenceIsInteger;
    private boolean obfuscationIsString;

    GatheredEvent(final OpenAiResponsesDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
    }

    /** Reads the event object {@code r} is on, to its end. */
    void gather(final JsonReader r) throws JsonReader.BadPayload
    {
        type = UNKNOWN;
        typeName.clear();
        outputIndex = -1;
        contentIndex = -1;
        summaryIndex = -1;
        itemId.clear();
        delta.clear();
        text.clear();
        refusal.clear();
        arguments.clear();
        name.clear();
        item.clear();
        part.clear();
        response.clear();
        logprobs.clear();
        error.clear();
        annotation.clear();
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
                    type = value == JsonToken.VALUE_STRING ? eventType(r.text()) : UNKNOWN;
                    if (type <= LIFECYCLE && value == JsonToken.VALUE_STRING)
                    {
                        dialect.copyString(r, typeName, limits.maxTextChars());
                        break;
                    }
                    if (value != JsonToken.VALUE_STRING)
                    {
                        r.skip();
                    }
                    break;
                case "output_index":
                    outputIndex = Dialect.eventIndex(r, "output_index");
                    break;
                case "content_index":
                    contentIndex = Dialect.eventIndex(r, "content_index");
                    break;
                case "summary_index":
                    summaryIndex = Dialect.eventIndex(r, "summary_index");
                    break;
                case "item_id":
                    dialect.copyString(r, itemId, limits.maxTextChars());
                    break;
                case "delta":
                    deltaIsString = value == JsonToken.VALUE_STRING;
                    dialect.copyString(r, delta, deltaLimit());
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
                    dialect.copyString(r, text, limits.maxTextChars());
                    break;
                case "refusal":
                    dialect.copyString(r, refusal, limits.maxTextChars());
                    break;
                case "arguments":
                    dialect.copyString(r, arguments, limits.maxArgumentChars());
                    break;
                case "name":
                    dialect.copyString(r, name, limits.maxTextChars());
                    break;
                case "item":
                    capture(r, item, field);
                    break;
                case "part":
                    capture(r, part, field);
                    break;
                case "response":
                    capture(r, response, field);
                    break;
                case "logprobs":
                    capture(r, logprobs, field);
                    break;
                case "error":
                    capture(r, error, field);
                    break;
                case "annotation":
                    capture(r, annotation, field);
                    break;
                case "code":
                case "message":
                case "param":
                    dialect.captureKeepingNonEmpty(errorFields, field, r);
                    break;
                default:
                    r.skip();
            }
        }
    }

    private void capture(final JsonReader r, final MutableRawJson into, final String field) throws JsonReader.BadPayload
    {
        if (!r.capture(into))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "'" + field + "' larger than " + limits.maxRawBytes() + " bytes");
        }
    }

    /** @return true when the event's delta was a string. */
    boolean deltaIsString()
    {
        return deltaIsString;
    }

    /** A repeat of the learnt event: only its delta differs, every other field is as gathered from the learnt one. */
    void repeatedDelta(final char[] chars, final int length)
    {
        dialect.copyChars(chars, 0, length, delta, deltaLimit());
    }

    /** @return the shape to learn this event by: a delta with a string value; else null. */
    EventShape learnableShape()
    {
        if (!deltaIsString || !isDelta(type))
        {
            return null;
        }
        return DELTA_SHAPES[(sequenceIsInteger ? 1 : 0) | (obfuscationIsString ? 2 : 0)];
    }

    /** @return the longest delta kept: a delta may be text or arguments. */
    private int deltaLimit()
    {
        return limits.maxArgumentChars() > limits.maxTextChars() ? limits.maxArgumentChars() : limits.maxTextChars();
    }
}
