package io.streamfold.aggregator.internal.dialect;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.fold.MutableUsage;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.model.RawJson;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.internal.DataLineHint;
import org.agrona.DirectBuffer;

/**
 * One provider's rules: which framing it uses, what each event means, when the stream is complete, and
 * how its non-streaming response looks. Everything shared (JSON reading, raw capture, usage merge,
 * limits, errors, listener events) lives in {@link JsonReader} and {@link MutableAggregate}; a dialect only
 * walks its provider's fields and calls them.
 */
public abstract class Dialect
{
    /** Longest data line value matched for the framer's hint: longer lines are scanned as usual (small buffers). */
    protected static final int HINT_BYTES = 8192;

    protected final MutableAggregate aggregate;
    protected final AggregationLimits limits;
    protected final JsonReader json;
    /** The repeated-event fast path: a dialect learns its high-volume events here and matches the next ones. */
    protected final EventTemplate eventTemplate;
    private final Reporting reporting;

    public Dialect(final MutableAggregate aggregate, final AggregationLimits limits, final Reporting reporting)
    {
        this.aggregate = aggregate;
        this.reporting = reporting;
        this.limits = limits;
        this.json = new JsonReader(limits);
        this.eventTemplate = new EventTemplate(limits);
    }

    /** @return a framer for this provider's transport, delivering to {@code listener}. */
    public abstract Framer newFramer(FrameListener listener);

    /**
     * @return whether {@link #dataLineEnd} may answer: the aggregator then lets the SSE framer ask it before scanning a
     * line ({@link DataLineHint}). False by default: the framer scans every line, at no extra call.
     */
    public boolean hintsDataLines()
    {
        return false;
    }

    /**
     * Folds the frame whose payload is exactly the data line {@link #matchDataLine} matched last, as {@link #onFrame}
     * would fold it (the framer offers it so: {@code DataLineHint#onHintedFrame}), from what that match kept.
     *
     * @return false, with nothing changed, to have the event framed and read by {@link #onFrame} as usual.
     * @throws JsonReader.BadPayload as {@link #onFrame} would for the frame.
     */
    public boolean foldHinted() throws JsonReader.BadPayload
    {
        return false;
    }

    /**
     * The framer's line-end hint ({@link DataLineHint#lineEnd}), for a dialect whose fast path matches learnt data
     * lines: the value of a data line lying in a heap slice, bounded to {@link #HINT_BYTES}, goes to
     * {@link #matchDataLine}. Changes nothing a frame observes.
     *
     * @return where the line ends (no CR or LF before), or -1 when unknown.
     */
    public final int dataLineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
    {
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            return -1;
        }
        final int adjustment = (int)buffer.wrapAdjustment();
        final int from = DataLineHint.dataValue(array, adjustment + lineStart, adjustment + to);
        return from < 0 ? -1 : matchValue(array, adjustment, from, to, lineOffset);
    }

    /**
     * The same hint for a line that is the value itself ({@link DataLineHint#valueLineEnd}: an NDJSON line), matched
     * from its first byte.
     *
     * @return where the line ends (no CR or LF before), or -1 when unknown.
     */
    public final int valueLineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
    {
        final byte[] array = buffer.byteArray();
        return array == null ? -1 : matchValue(array, (int)buffer.wrapAdjustment(), (int)buffer.wrapAdjustment() + lineStart, to,
            lineOffset);
    }

    /** {@link #matchDataLine} on the value at {@code array[from]}, bounded to {@link #HINT_BYTES}; in buffer indexes. */
    private int matchValue(final byte[] array, final int adjustment, final int from, final int to, final long lineOffset)
    {
        final int limit = Math.min(adjustment + to, from + HINT_BYTES);
        final int end = matchDataLine(array, from, limit, lineOffset);
        return end < 0 ? -1 : end - adjustment;
    }

    /**
     * Matches a data line's value whose end is not known yet against what the fast path learnt (see
     * {@link EventTemplate#matchLine}), keeping the match for the frame that carries exactly these bytes: by default the
     * shared {@link #eventTemplate} (Responses' deltas, Ollama's lines); a dialect with templates of its own says how.
     *
     * @param from       the value's first byte in {@code src}.
     * @param to         index after the last byte available (the line ends before it, or the value is longer).
     * @param lineOffset stream offset of the data line.
     * @return index after the value's last byte with no CR or LF before it, or -1.
     */
    protected int matchDataLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        return eventTemplate.matchLine(src, from, to, lineOffset);
    }

    /** Folds one frame. Throws BadPayload for a malformed event; the aggregator reports it. */
    public abstract void onFrame(Frame frame) throws JsonReader.BadPayload;

    /**
     * The input ended before the terminal event: a provider error seen earlier makes it ERROR; bytes that
     * ended inside an event ({@code cut}: the framer reported it TRUNCATED) make it TRUNCATED whatever was
     * folded before, since the cut event may have changed the answer; otherwise it is COMPLETE when
     * {@link #unfinished()} finds nothing missing, else TRUNCATED with that reason.
     *
     * @param cut true when the framer reported that the input ended inside an event.
     */
    public final void onInputEnd(final boolean cut)
    {
        beforeInputEnd();
        if (!aggregate.providerError().isNullish())
        {
            aggregate.end(Outcome.ERROR);
            return;
        }
        final String missing = unfinished();
        if (missing == null && !cut)
        {
            if (terminalSeenAtInputEnd())
            {
                aggregate.terminalEvent();
            }
            aggregate.end(Outcome.COMPLETE);
        }
        else
        {
            if (missing != null && !missing.isEmpty())
            {
                aggregate.error(ErrorKind.TRUNCATED, "stream ended " + missing);
            }
            aggregate.inputCut(cut);
            aggregate.end(Outcome.TRUNCATED);
        }
    }

    /**
     * @return true when the provider's terminal event has arrived although the outcome waits for the end of
     * input (Bedrock's metadata follows messageStop; Gemini has no terminal event at all).
     */
    public boolean terminalSeenAtInputEnd()
    {
        return false;
    }

    /**
     * @return true when a choice's finish reason is its last word, so text, reasoning or arguments for it
     * afterwards are {@link ErrorKind#LATE_DATA}; false for a provider that repeats the finish reason on
     * every chunk while content still arrives.
     */
    public boolean finishIsFinal()
    {
        return true;
    }

    /** Last look at open parts before the outcome is decided at the end of input. */
    public void beforeInputEnd()
    {
    }

    /**
     * @return what is missing when the input ends without the provider's terminal event (read as
     * "stream ended …"), "" when truncated for a reason the framer has already reported, or null when the
     * response is nonetheless whole.
     */
    public abstract String unfinished();

    /** Writes the provider's own non-streaming response shape. */
    public abstract void write(MutableAggregate result, JsonGenerator generator) throws IOException;

    /** @return where this provider keeps the normalized usage numbers. */
    public final UsageKeys usageKeys()
    {
        return reporting.usage;
    }

    /** @return this provider's finish / stop words and what each means. */
    public final StopReasonTable stopReasons()
    {
        return reporting.stopReasons;
    }

    /** Drops what the reader held of an event that failed half-way, so the next event starts clean. */
    public final void abandonEvent()
    {
        json.abandon();
    }

    /** Forgets per-stream dialect state. */
    public void reset()
    {
        json.abandon();
        eventTemplate.forget();
    }

    /** Turns the dialect's repeated-event fast path on or off (tests compare both). */
    public void fastPath(final boolean on)
    {
        eventTemplate.enabled(on);
    }

    /** @return events folded by the repeated-event fast path so far (for tests). */
    public long fastFolds()
    {
        return eventTemplate.matches();
    }

    /**
     * As {@link #captureKeepingNonEmpty} for a string a fast path has checked but not decoded ({@code src[open]} and
     * {@code src[close]} its quotes): kept as its bytes ({@link MutableRawJson#setCheckedString}); an empty string
     * never replaces a value already there.
     *
     * @param existing the value {@code target} holds for {@code name} now (the caller found it), or null when none.
     */
    protected final void keepCheckedStringKeepingNonEmpty(final MutableRawFields target, final MutableRawJson existing,
        final String name, final byte[] src, final int open, final int close)
    {
        if (existing != null && !existing.isNullish() && close == open + 1)
        {
            return;
        }
        final MutableRawJson slot = existing != null ? existing : target.slot(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            return;
        }
        if (!slot.setCheckedString(src, open, close, limits.maxRawBytes()))
        {
            rawValueTooLarge(name);
        }
    }

    /** Reports that the value of field {@code name} was larger than a kept raw value may be, worded for every capture alike. */
    public final void rawValueTooLarge(final String name)
    {
        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "field '" + name + "' larger than " + limits.maxRawBytes() + " bytes");
    }

    /**
     * Keeps the current value as field {@code name} of {@code target}, except that a null or empty
     * string never replaces a value already there (Azure's first chunk has an empty id and model).
     */
    public final void captureKeepingNonEmpty(final MutableRawFields target, final String name, final JsonReader reader)
        throws JsonReader.BadPayload
    {
        final JsonToken t = reader.token();
        final MutableRawJson existing = target.get(name);
        if (existing != null && !existing.isNullish() &&
            (t == JsonToken.VALUE_NULL || (t == JsonToken.VALUE_STRING && reader.text().length() == 0)))
        {
            return;
        }
        final MutableRawJson slot = target.slot(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            reader.skip();
            return;
        }
        if (!reader.capture(slot))
        {
            rawValueTooLarge(name);
        }
    }

    /**
     * As {@link #captureKeepingNonEmpty(MutableRawFields, String, JsonReader)} for a value captured earlier (and held to
     * the raw-value limit then), folded once the object it belongs to is known.
     */
    public final void keepKeepingNonEmpty(final MutableRawFields target, final String name, final MutableRawJson value)
    {
        final MutableRawJson existing = target.get(name);
        if (existing != null && !existing.isNullish() && (value.isNullish() || value.isEmptyString()))
        {
            return;
        }
        final MutableRawJson slot = existing != null ? existing : target.slotMissing(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            return;
        }
        slot.copyFrom(value);
    }

    /**
     * As {@link #captureKeepingNonEmpty(MutableRawFields, String, JsonReader)} for member {@code i} located by a
     * byte scan: the same rule, the same errors, the value kept without being tokenized.
     */
    public final void captureKeepingNonEmpty(final MutableRawFields target, final String name, final JsonMembers members, final int i)
    {
        captureKeepingNonEmpty(target, target.get(name), name, members, i);
    }

    /**
     * As {@link #captureKeepingNonEmpty(MutableRawFields, String, JsonMembers, int)}, for a caller that looked the
     * field up already.
     *
     * @param existing what {@code target.get(name)} returns now.
     */
    public final void captureKeepingNonEmpty(final MutableRawFields target, final MutableRawJson existing, final String name,
        final JsonMembers members, final int i)
    {
        if (existing != null && !existing.isNullish() && members.isNullOrEmpty(i))
        {
            return;
        }
        // Found or found missing already: not looked up a second time (the first capture of each of a response's fields).
        final MutableRawJson slot = existing != null ? existing : target.slotMissing(name, limits.maxRawFields());
        if (slot == null)
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
            return;
        }
        if (!members.capture(i, slot, limits.maxRawBytes()))
        {
            rawValueTooLarge(name);
        }
    }

    /**
     * Folds the usage object the reader is on (null is ignored) by the dialect's declared rule
     * ({@link UsageKeys#accumulation}): field by field, or replacing the last snapshot whole. Then announces it.
     * The usage hears which of the fields it tracks came ({@link MutableUsage#sent}): a split of a count is read only
     * while the count is the one it came with.
     */
    public final void mergeUsage(final JsonReader reader) throws JsonReader.BadPayload
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
        final MutableUsage usage = aggregate.usage();
        final MutableRawFields fields = usage.mutableFields();
        if (usageKeys().accumulation == UsageKeys.REPLACE_WHOLE)
        {
            fields.clear();
        }
        while (reader.next() == JsonToken.FIELD_NAME)
        {
            final String name = reader.name();
            final JsonToken v = reader.next();
            // As captureKeepingNonEmpty's rule: a null or empty value does not replace a kept one, so it is not sent.
            if (usage.tracks(name) && v != JsonToken.VALUE_NULL && !(v == JsonToken.VALUE_STRING && reader.text().length() == 0))
            {
                usage.sent(name);
            }
            captureKeepingNonEmpty(fields, name, reader);
        }
        usage.reportMerged();
        aggregate.usageUpdated();
    }

    /**
     * As {@link #mergeUsage(JsonReader)} for a usage object whose members a byte scan located (in checked bytes): the
     * same rule, each field kept as {@link #captureKeepingNonEmpty(MutableRawFields, String, JsonMembers, int)} keeps it.
     */
    public final void mergeUsage(final JsonMembers usage)
    {
        final MutableUsage kept = aggregate.usage();
        final MutableRawFields fields = kept.mutableFields();
        if (usageKeys().accumulation == UsageKeys.REPLACE_WHOLE)
        {
            fields.clear();
        }
        for (int i = 0; i < usage.count(); i++)
        {
            final String name = usage.name(i);
            if (kept.tracks(name) && !usage.isNullOrEmpty(i))
            {
                kept.sent(name);
            }
            captureKeepingNonEmpty(fields, name, usage, i);
        }
        kept.reportMerged();
        aggregate.usageUpdated();
    }

    /**
     * Copies the text of the string (or number) the reader is on into {@code into}; a longer value than
     * {@code limit} is reported, worded the same for every provider.
     */
    public final void copyText(final JsonReader reader, final MutableTextBuffer into, final int limit)
        throws JsonReader.BadPayload
    {
        final CharView v = reader.text();
        if (!into.set(v.array(), v.offset(), v.length(), limit))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "value longer than " + limit + " characters");
        }
    }

    /**
     * Reads the current value as an index (or count) named {@code field}. A value of any other kind is
     * skipped whole and reported once, naming the field and what was seen; the caller then skips what the
     * index would have selected.
     *
     * @return the index, or -1 (error reported).
     */
    public final long index(final JsonReader reader, final String field) throws JsonReader.BadPayload
    {
        final long index = reader.index(field);
        if (index < 0)
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, reader.mismatch());
        }
        return index;
    }

    /**
     * As {@link #index}, for an index that says what the whole event applies to: an event whose index is
     * not one is refused whole.
     */
    public static long eventIndex(final JsonReader reader, final String field) throws JsonReader.BadPayload
    {
        final long index = reader.index(field);
        if (index < 0)
        {
            throw new JsonReader.BadPayload(reader.mismatch());
        }
        return index;
    }

    /** Keeps the provider's error object (or string) and reports it. */
    public final void providerError(final JsonReader reader) throws JsonReader.BadPayload
    {
        final MutableRawJson slot = aggregate.providerErrorSlot();
        reader.capture(slot);
        aggregate.providerErrorReported();
    }

    /**
     * Whether a tool call's type says the provider runs it itself within the response: Anthropic's {@code server_tool_use}
     * (web search, code execution, web fetch...) and {@code mcp_tool_use} blocks, and Bedrock's {@code toolUse} of type
     * {@code server_tool_use} (Nova's code interpreter), which took Anthropic's word. Such a call's result follows in the
     * same stream; the client answers nothing ({@code Part.serverExecuted()}). The Responses API says it by item type
     * instead (its {@code CallItems} table).
     */
    public static boolean isServerToolType(final CharSequence type)
    {
        return CharSequence.compare(type, "server_tool_use") == 0 || CharSequence.compare(type, "mcp_tool_use") == 0;
    }

    /** Walks the current object's fields, handing each (positioned on its value) to {@code field}. */
    public final void forEachField(final JsonReader reader, final FieldHandler field) throws JsonReader.BadPayload
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

    public static String abbreviate(final String s)
    {
        return s.length() <= ABBREVIATED_CHARS ? s : s.substring(0, ABBREVIATED_CHARS) + "...";
    }

    /** Characters of a value quoted in an error message or a verdict before it is cut with {@code "..."}. */
    public static final int ABBREVIATED_CHARS = 300;

    /** Handles one field of an object; the reader is on the field's value and must be left at its last token. */
    public interface FieldHandler
    {
        public void onField(String name) throws JsonReader.BadPayload;
    }
}
