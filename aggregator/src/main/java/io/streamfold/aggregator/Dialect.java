package io.streamfold.aggregator;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;

/**
 * One provider's rules: which framing it uses, what each event means, when the stream is complete, and
 * how its non-streaming response looks. Everything shared (JSON reading, raw capture, usage merge,
 * limits, errors, listener events) lives in {@link JsonReader} and {@link Aggregate}; a dialect only
 * walks its provider's fields and calls them.
 */
abstract class Dialect
{
    final Aggregate aggregate;
    final AggregationLimits limits;
    final JsonReader json;
    /** The repeated-event fast path: a dialect learns its high-volume events here and matches the next ones. */
    final EventTemplate eventTemplate;

    Dialect(final Aggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.json = new JsonReader(limits);
        // The parser's own limits: longer strings and deeper values go to it, to fail there.
        this.eventTemplate = new EventTemplate(limits.maxNestingDepth(), Math.max(limits.maxTextChars(), limits.maxRawBytes()));
    }

    /** @return a framer for this provider's transport, delivering to {@code listener}. */
    abstract Framer newFramer(FrameListener listener);

    /** Folds one frame. Throws BadPayload for a malformed event; the aggregator reports it. */
    abstract void onFrame(Frame frame) throws JsonReader.BadPayload;

    /**
     * The input ended before the terminal event: a provider error seen earlier makes it ERROR; otherwise
     * it is COMPLETE when {@link #unfinished()} finds nothing missing, else TRUNCATED with that reason.
     */
    final void onInputEnd()
    {
        beforeInputEnd();
        if (!aggregate.providerError().isNullish())
        {
            aggregate.end(Outcome.ERROR);
            return;
        }
        final String missing = unfinished();
        if (missing == null)
        {
            aggregate.end(Outcome.COMPLETE);
        }
        else
        {
            if (!missing.isEmpty())
            {
                aggregate.error(ErrorKind.TRUNCATED, "stream ended " + missing);
            }
            aggregate.end(Outcome.TRUNCATED);
        }
    }

    /** Last look at open parts before the outcome is decided at the end of input. */
    void beforeInputEnd()
    {
    }

    /**
     * @return what is missing when the input ends without the provider's terminal event (read as
     * "stream ended …"), "" when truncated for a reason the framer has already reported, or null when the
     * response is nonetheless whole.
     */
    abstract String unfinished();

    /** Writes the provider's own non-streaming response shape. */
    abstract void write(Aggregate result, JsonGenerator generator) throws IOException;

    /** @return where this provider keeps the normalized usage numbers. */
    abstract UsageKeys usageKeys();

    /** Forgets per-stream dialect state. */
    void reset()
    {
        json.abandon();
        eventTemplate.forget();
    }

    /** Turns the dialect's repeated-event fast path on or off (tests compare both). */
    void fastPath(final boolean on)
    {
        eventTemplate.enabled(on);
    }

    /** @return events folded by the repeated-event fast path so far (for tests). */
    long fastFolds()
    {
        return eventTemplate.matches();
    }

    /**
     * Keeps the current value as field {@code name} of {@code target}, except that a null or empty
     * string never replaces a value already there (Azure's first chunk has an empty id and model).
     */
    final void captureKeepingNonEmpty(final RawFields target, final String name, final JsonReader reader)
        throws JsonReader.BadPayload
    {
        final JsonToken t = reader.token();
        final RawJson existing = target.get(name);
        if (existing != null && !existing.isNullish() &&
            (t == JsonToken.VALUE_NULL || (t == JsonToken.VALUE_STRING && reader.text().length() == 0)))
        {
            return;
        }
        final RawJson slot = target.slot(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            reader.skip();
            return;
        }
        if (!reader.capture(slot))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "field '" + name + "' larger than " + limits.maxRawBytes() + " bytes");
        }
    }

    /**
     * As {@link #captureKeepingNonEmpty} for a string value already decoded (a fast path's slot): an empty
     * string never replaces a value already there.
     */
    final void keepStringKeepingNonEmpty(final RawFields target, final String name, final char[] chars, final int length)
    {
        final RawJson existing = target.get(name);
        if (existing != null && !existing.isNullish() && length == 0)
        {
            return;
        }
        final RawJson slot = target.slot(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            return;
        }
        if (!slot.setScalar(RawJson.Type.STRING, chars, 0, length, limits.maxRawBytes()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "field '" + name + "' larger than " + limits.maxRawBytes() + " bytes");
        }
    }

    /** Merges the usage object the reader is on (null is ignored) field by field, then announces it. */
    final void mergeUsage(final JsonReader reader) throws JsonReader.BadPayload
    {
        final JsonToken t = reader.token();
        if (t == JsonToken.VALUE_NULL)
        {
            return;
        }
        if (t != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("usage is not an object");
        }
        final RawFields fields = aggregate.usage().mutableFields();
        while (reader.next() == JsonToken.FIELD_NAME)
        {
            final String name = reader.name();
            reader.next();
            captureKeepingNonEmpty(fields, name, reader);
        }
        aggregate.usageUpdated();
    }

    /** Keeps the provider's error object (or string) and reports it. */
    final void providerError(final JsonReader reader) throws JsonReader.BadPayload
    {
        final RawJson slot = aggregate.providerErrorSlot();
        reader.capture(slot);
        aggregate.providerErrorReported("provider error: " + abbreviate(slot.json()));
    }

    /** Walks the current object's fields, handing each (positioned on its value) to {@code field}. */
    final void forEachField(final JsonReader reader, final FieldHandler field) throws JsonReader.BadPayload
    {
        if (reader.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("expected an object, found " + reader.token());
        }
        while (reader.next() == JsonToken.FIELD_NAME)
        {
            final String name = reader.name();
            reader.next();
            field.onField(name);
        }
    }

    static String abbreviate(final String s)
    {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** Handles one field of an object; the reader is on the field's value and must be left at its last token. */
    interface FieldHandler
    {
        void onField(String name) throws JsonReader.BadPayload;
    }
}
