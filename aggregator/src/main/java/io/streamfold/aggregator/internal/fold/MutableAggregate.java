package io.streamfold.aggregator.internal.fold;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.output.NormalizedWriter;
import io.streamfold.aggregator.internal.output.SurrogateSafeGenerator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.internal.json.ArgumentFieldReader;
import io.streamfold.aggregator.internal.json.ArgumentFields;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Verdict;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Everything folded from one stream so far: metadata, choices and their parts, usage, errors and the
 * outcome. The one shared state of every dialect: dialects change it only through the mutators here,
 * which is also where listener events fire, so each event means the same thing whatever the provider.
 * Callers see it only as the read-only {@link Aggregate}.
 *
 * <p>The live aggregate changes as the stream is fed; {@link #snapshot()} makes an independent copy.
 */
public final class MutableAggregate implements Aggregate
{
    private static final JsonFactory OUTPUT_FACTORY = new JsonFactory();

    private final AggregationLimits limits;
    private final MutableRawFields meta = new MutableRawFields();
    private final ArrayList<MutableChoice> choices = new ArrayList<>();
    private final ArrayList<MutableChoice> spareChoices = new ArrayList<>();
    private final MutableUsage usage = new MutableUsage();
    private final MutableRawJson providerError = new MutableRawJson();
    private final ArrayList<StreamError> errors = new ArrayList<>();
    private final CharView view = new CharView();
    private StreamListener listener;
    private final CharView pointerView = new CharView();
    private final ArgumentFields.Sink argumentSink = (c, t, p, pl, v, vo, vl) ->
        listener.onToolArgumentField(c, t, pointerView.wrap(p, 0, pl), view.wrap(v, vo, vl));
    private ArgumentFields argumentFields;
    private ArgumentFieldReader argumentCheck;
    private StopReasonTable stopReasons;
    private final MutableVerdict verdict = new MutableVerdict();
    private boolean inputCut;
    private StreamError firstLimitError;
    private Format format;
    private Dialect dialect;
    private Outcome outcome = Outcome.IN_PROGRESS;
    private boolean started;
    private boolean terminalEventSeen;
    private long eventNumber = -1;
    private long eventOffset;
    private int droppedErrors;
    /** A snapshot's provider JSON (compact), rendered when it was taken; null for the live aggregate. */
    private byte[] frozenProviderJson;

    public MutableAggregate(final AggregationLimits limits, final StreamListener listener)
    {
        this.limits = limits;
        this.listener = listener;
    }

    public void dialect(final Format format, final Dialect dialect)
    {
        this.format = format;
        this.dialect = dialect;
        usage.keys(dialect.usageKeys());
        stopReasons = dialect.stopReasons();
        for (int i = 0; i < choices.size(); i++)
        {
            choices.get(i).stopReasons(stopReasons);
        }
    }

    /** AUTO starts over: no format until detection chooses one again. */
    public void undecided()
    {
        format = null;
        dialect = null;
    }

    public void clear()
    {
        meta.clear();
        spareChoices.addAll(choices);
        choices.clear();
        usage.clear();
        providerError.clear();
        errors.clear();
        outcome = Outcome.IN_PROGRESS;
        started = false;
        terminalEventSeen = false;
        eventNumber = -1;
        eventOffset = 0;
        droppedErrors = 0;
        inputCut = false;
        firstLimitError = null;
        if (argumentFields != null)
        {
            argumentFields.clear();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Read API

    /** @return the dialect the stream was read as, or null while {@link Format#AUTO} has not decided. */
    public Format format()
    {
        return format;
    }

    /** @return how the stream ended, or {@link Outcome#IN_PROGRESS}. */
    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * @return true when the provider's own end of stream arrived (OpenAI chat {@code [DONE]}, Anthropic
     * {@code message_stop}, Responses {@code response.completed}/{@code incomplete}/{@code failed}, Ollama
     * {@code done:true}, Bedrock {@code messageStop}, an in-band error event; Gemini, which has no such event,
     * when every candidate has its finishReason) and the bytes did not end inside an event. An outcome of
     * {@link Outcome#COMPLETE} without it means every choice finished but the terminal event never came.
     */
    @Override
    public boolean terminalEventSeen()
    {
        return terminalEventSeen;
    }

    /**
     * @return one reason for the whole result. Worked out on each call from the outcome, the errors and the
     * choices' finish words; the returned object is reused.
     */
    public MutableVerdict verdict()
    {
        if (outcome == Outcome.IN_PROGRESS)
        {
            verdict.set(StopReason.IN_PROGRESS, Verdict.Truncation.NONE, "", providerError, "");
            return verdict;
        }
        final MutableChoice first = choices.isEmpty() ? null : choices.get(0);
        final CharSequence word = first == null ? "" : first.finishReason();
        if (!providerError.isNullish())
        {
            verdict.set(StopReason.PROVIDER_ERROR, Verdict.Truncation.NONE, word, providerError,
                Dialect.abbreviate(providerError.json()));
            return verdict;
        }
        if (firstLimitError != null)
        {
            verdict.set(StopReason.LIMIT_EXCEEDED, Verdict.Truncation.NONE, word, providerError, firstLimitError.message());
            return verdict;
        }
        if (outcome == Outcome.ERROR)
        {
            verdict.set(StopReason.MALFORMED_STREAM, Verdict.Truncation.NONE, word, providerError,
                errors.isEmpty() ? "" : errors.get(errors.size() - 1).message());
            return verdict;
        }
        if (outcome == Outcome.TRUNCATED)
        {
            final Verdict.Truncation how = inputCut ? Verdict.Truncation.MID_EVENT :
                allChoicesFinished() || choices.isEmpty() ? Verdict.Truncation.TERMINAL_EVENT_MISSING :
                Verdict.Truncation.CHOICE_UNFINISHED;
            verdict.set(StopReason.TRUNCATED, how, word, providerError, lastTruncationMessage());
            return verdict;
        }
        // With several choices the most telling reason wins: a filter or error in any choice matters to the caller.
        StopReason best = null;
        MutableChoice from = first;
        for (int i = 0; i < choices.size(); i++)
        {
            final StopReason r = choices.get(i).stopReason();
            if (best == null || rank(r) < rank(best))
            {
                best = r;
                from = choices.get(i);
            }
        }
        if (best == null || best == StopReason.IN_PROGRESS)
        {
            // COMPLETE although a choice has no finish reason: the terminal event said the response was whole.
            verdict.set(StopReason.COMPLETE, Verdict.Truncation.NONE, "", providerError,
                choices.isEmpty() ? "" : "no finish reason before the terminal event");
            return verdict;
        }
        verdict.set(best, Verdict.Truncation.NONE, from.finishReason(), providerError, "");
        return verdict;
    }

    private static int rank(final StopReason r)
    {
        switch (r)
        {
            case CONTENT_FILTER:
                return 0;
            case PROVIDER_ERROR:
                return 1;
            case LENGTH:
                return 2;
            case TOOL_CALLS:
                return 3;
            case OTHER:
                return 4;
            case COMPLETE:
                return 5;
            default:
                return 6;
        }
    }

    private String lastTruncationMessage()
    {
        for (int i = errors.size() - 1; i >= 0; i--)
        {
            if (errors.get(i).kind() == ErrorKind.TRUNCATED)
            {
                return errors.get(i).message();
            }
        }
        return "";
    }

    /** The input ended inside an event ({@code cut}) or between events; read by {@link #verdict()}. */
    public void inputCut(final boolean cut)
    {
        inputCut = cut;
    }

    /** @return top-level response fields (id, model, created, seed, unknown fields), raw, last non-empty value winning. */
    public MutableRawFields meta()
    {
        return meta;
    }

    /** @return the choices ordered by their index (allocates the list). */
    public List<Choice> choices()
    {
        return Collections.unmodifiableList(sortedChoices());
    }

    /** @return the choices ordered by their index, for the writers (allocates the list). */
    public List<MutableChoice> sortedChoices()
    {
        final List<MutableChoice> sorted = new ArrayList<>(choices);
        sorted.sort((a, b) -> Long.compare(a.index(), b.index()));
        return sorted;
    }

    /** @return the choice with provider index {@code index}, or null. */
    public MutableChoice choice(final long index)
    {
        for (int i = 0; i < choices.size(); i++)
        {
            if (choices.get(i).index() == index)
            {
                return choices.get(i);
            }
        }
        return null;
    }

    /** @return merged usage. */
    public MutableUsage usage()
    {
        return usage;
    }

    /** @return the provider's error object when the stream carried one, else {@link MutableRawJson.Type#ABSENT}. */
    public MutableRawJson providerError()
    {
        return providerError;
    }

    /** @return every error reported so far, in order (at most {@link AggregationLimits#maxErrors()} are kept; see {@link #droppedErrors()}). */
    public List<StreamError> errors()
    {
        return Collections.unmodifiableList(errors);
    }

    /** @return errors reported to the listener but not kept because {@link AggregationLimits#maxErrors()} already were. */
    public int droppedErrors()
    {
        return droppedErrors;
    }

    /** @return the provider's own non-streaming response JSON, compact (allocates). */
    public String toJson()
    {
        return render(false, false);
    }

    /** @return the provider-independent normalized view as JSON (allocates). */
    public String toNormalizedJson()
    {
        return render(true, false);
    }

    /**
     * Writes the provider's own non-streaming response shape.
     *
     * @param out    destination, not closed.
     * @param pretty indent for humans.
     */
    public void writeJson(final OutputStream out, final boolean pretty) throws IOException
    {
        write(out, false, pretty);
    }

    /**
     * Writes the normalized view: text, reasoning and tool calls per choice, one finish-reason
     * vocabulary, usage as input / output / total / cached / reasoning tokens.
     *
     * @param out    destination, not closed.
     * @param pretty indent for humans.
     */
    public void writeNormalizedJson(final OutputStream out, final boolean pretty) throws IOException
    {
        write(out, true, pretty);
    }

    private String render(final boolean normalized, final boolean pretty)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            write(out, normalized, pretty);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void write(final OutputStream out, final boolean normalized, final boolean pretty) throws IOException
    {
        try (JsonGenerator g = new SurrogateSafeGenerator(OUTPUT_FACTORY.createGenerator(out, JsonEncoding.UTF8)))
        {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty)
            {
                g.useDefaultPrettyPrinter();
            }
            if (!normalized && frozenProviderJson != null)
            {
                try (JsonParser p = OUTPUT_FACTORY.createParser(frozenProviderJson))
                {
                    p.nextToken();
                    g.copyCurrentStructure(p);
                }
            }
            else if (normalized || dialect == null)
            {
                NormalizedWriter.write(this, g);
            }
            else
            {
                dialect.write(this, g);
            }
        }
    }

    /**
     * @return an independent copy of everything folded so far, unaffected by later bytes and by
     * {@code reset()}. Costs a copy of every text and raw value, and renders the provider JSON once
     * (the provider writer may read dialect state that a copy could not keep).
     */
    public MutableAggregate snapshot()
    {
        final MutableAggregate copy = new MutableAggregate(limits, StreamListener.NONE);
        copy.format = format;
        copy.meta.copyFrom(meta);
        for (int i = 0; i < choices.size(); i++)
        {
            final MutableChoice c = new MutableChoice();
            c.copyFrom(choices.get(i));
            copy.choices.add(c);
        }
        copy.usage.copyFrom(usage);
        copy.providerError.copyFrom(providerError);
        copy.errors.addAll(errors);
        copy.outcome = outcome;
        copy.terminalEventSeen = terminalEventSeen;
        copy.started = started;
        copy.eventNumber = eventNumber;
        copy.eventOffset = eventOffset;
        copy.droppedErrors = droppedErrors;
        copy.stopReasons = stopReasons;
        copy.inputCut = inputCut;
        copy.firstLimitError = firstLimitError;
        if (frozenProviderJson != null)
        {
            copy.frozenProviderJson = frozenProviderJson;
        }
        else if (dialect != null)
        {
            copy.frozenProviderJson = toJson().getBytes(StandardCharsets.UTF_8);
        }
        return copy;
    }

    @Override
    public String toString()
    {
        return toJson();
    }

    // ---------------------------------------------------------------------------------------------
    // Mutation, for dialects. Listener events fire here and only here.

    public AggregationLimits limits()
    {
        return limits;
    }

    public StreamListener listener()
    {
        return listener;
    }

    public void listener(final StreamListener listener)
    {
        this.listener = listener;
    }

    public void position(final long eventNumber, final long eventOffset)
    {
        this.eventNumber = eventNumber;
        this.eventOffset = eventOffset;
    }

    public int choiceCount()
    {
        return choices.size();
    }

    public MutableChoice choiceAt(final int i)
    {
        return choices.get(i);
    }

    /** Fires {@link StreamListener#onMessageStart} the first time it is called. */
    public void start()
    {
        if (!started)
        {
            started = true;
            listener.onMessageStart(metaText("id"), metaText("model"));
        }
    }

    public boolean isStarted()
    {
        return started;
    }

    private CharSequence metaText(final String name)
    {
        final MutableRawJson v = meta.get(name);
        return v == null ? "" : v.text();
    }

    /** @return the choice with provider index {@code index}, created on first use; null (error reported) past a limit. */
    public MutableChoice choiceForIndex(final long index)
    {
        final MutableChoice existing = choice(index);
        if (existing != null)
        {
            return existing;
        }
        if (index < 0 || index > limits.maxIndex())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "choice index " + index + " outside 0.." + limits.maxIndex());
            return null;
        }
        if (choices.size() >= limits.maxChoices())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxChoices() + " choices");
            return null;
        }
        final MutableChoice c = spareChoices.isEmpty() ? new MutableChoice() : spareChoices.remove(spareChoices.size() - 1);
        c.init(index);
        c.stopReasons(stopReasons);
        choices.add(c);
        return c;
    }

    /** @return a new part, or null (error reported) past the per-choice limit. */
    public MutablePart newPart(final MutableChoice choice, final MutablePart.Kind kind, final long wireIndex)
    {
        if (finishedForGood(choice))
        {
            lateData(choice, kind + " part");
            return null;
        }
        if (wireIndex > limits.maxIndex())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "index " + wireIndex + " above " + limits.maxIndex());
            return null;
        }
        if (choice.partCount() >= limits.maxPartsPerChoice())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxPartsPerChoice() + " parts in choice " + choice.index());
            return null;
        }
        return choice.addPart(kind, wireIndex);
    }

    /**
     * Appends text of {@code kind} (TEXT, REASONING or REFUSAL) to the choice's open part of that kind,
     * or to a new one when the last part is of another kind.
     */
    public void appendText(final MutableChoice choice, final MutablePart.Kind kind, final char[] chars, final int offset, final int length)
    {
        if (finishedForGood(choice))
        {
            // An empty string after the finish (a repeated finish chunk) carries nothing: no part, no error.
            if (length > 0)
            {
                lateData(choice, kind.toString());
            }
            return;
        }
        MutablePart part = choice.lastPart();
        if (part == null || part.kind() != kind || part.isEnded())
        {
            part = newPart(choice, kind, -1);
            if (part == null)
            {
                return;
            }
        }
        appendText(choice, part, chars, offset, length);
    }

    /** Appends to a given TEXT, REASONING or REFUSAL part (block-structured dialects). */
    public void appendText(final MutableChoice choice, final MutablePart part, final char[] chars, final int offset, final int length)
    {
        if (length > 0 && isLate(choice, part))
        {
            lateData(choice, part);
            return;
        }
        if (part.isTruncated())
        {
            return;
        }
        final int kept = keep(part, length, limits.maxTextChars());
        part.text().append(chars, offset, kept, limits.maxTextChars());
        if (kept < length)
        {
            error(ErrorKind.LIMIT_EXCEEDED, part.kind() + " of choice " + choice.index() + " longer than " +
                limits.maxTextChars() + " characters; the rest is dropped");
        }
        if (kept == 0)
        {
            return;
        }
        final int ci = (int)choice.index();
        view.wrap(chars, offset, kept);
        switch (part.kind())
        {
            case REASONING:
                listener.onReasoningDelta(ci, view);
                break;
            case REFUSAL:
                listener.onRefusalDelta(ci, view);
                break;
            default:
                listener.onTextDelta(ci, view);
        }
    }

    /** Announces a tool call whose id and name are set. */
    public void toolCallStarted(final MutableChoice choice, final MutablePart call)
    {
        listener.onToolCallStart((int)choice.index(), call.ordinal(), call.id(), call.name());
    }

    /** Appends a fragment of a tool call's arguments. */
    public void appendArguments(final MutableChoice choice, final MutablePart call, final char[] chars, final int offset, final int length)
    {
        if (length > 0 && isLate(choice, call))
        {
            lateData(choice, call);
            return;
        }
        if (call.isTruncated())
        {
            return;
        }
        final int kept = keep(call, length, limits.maxArgumentChars());
        call.text().append(chars, offset, kept, limits.maxArgumentChars());
        if (kept < length)
        {
            error(ErrorKind.LIMIT_EXCEEDED, "arguments of tool call " + call.ordinal() + " longer than " +
                limits.maxArgumentChars() + " characters; the rest is dropped");
        }
        if (kept > 0)
        {
            listener.onToolCallArgumentsDelta((int)choice.index(), call.ordinal(), view.wrap(chars, offset, kept));
            if (listener.wantsToolArgumentFields())
            {
                final boolean first = call.text().length() == kept;
                argumentFields().feed(call, first, (int)choice.index(), call.ordinal(), argumentSink, chars, offset, kept);
            }
        }
    }

    /**
     * Folds field {@code name} of a delta its dialect does not know into {@code part} by the generic rule of
     * {@link MutableDeltaFields} ({@code state}: the value replaces, as for an opaque token); refused as late data
     * once the part stopped or its choice finished for good.
     */
    public void foldDelta(final MutableChoice choice, final MutablePart part, final String name, final JsonReader r, final boolean state)
        throws JsonReader.BadPayload
    {
        if (isLate(choice, part))
        {
            lateData(choice, part);
            r.skip();
            return;
        }
        if (!(state ? part.deltas().replace(name, r, limits) : part.deltas().fold(name, r, limits, part.extra())))
        {
            deltaDropped(part, name);
        }
    }

    /** As {@link #foldDelta} for a string increment a dialect has already read. */
    public void appendDelta(final MutableChoice choice, final MutablePart part, final String name, final CharSequence text)
    {
        if (isLate(choice, part))
        {
            lateData(choice, part);
        }
        else if (!part.deltas().append(name, text, limits, part.extra()))
        {
            deltaDropped(part, name);
        }
    }

    private void deltaDropped(final MutablePart part, final String name)
    {
        error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' of " + part.kind() + " part " + part.ordinal() +
            " past a limit (" + limits.maxRawFields() + " fields, " + limits.maxTextChars() + " characters, " +
            limits.maxRawBytes() + " bytes); dropped");
    }

    private ArgumentFields argumentFields()
    {
        if (argumentFields == null)
        {
            argumentFields = new ArgumentFields(limits.maxNestingDepth(), limits.maxArgumentChars());
        }
        return argumentFields;
    }

    /** @return true when the choice has finished and its dialect says nothing may follow its finish reason. */
    private boolean finishedForGood(final MutableChoice choice)
    {
        return choice.isFinished() && dialect != null && dialect.finishIsFinal();
    }

    /**
     * @return true when the part stopped or its choice finished for good. A finish that is not final
     * (Gemini repeats it while the text grows) closed the parts too, and does not make them late.
     */
    private boolean isLate(final MutableChoice choice, final MutablePart part)
    {
        if (!choice.isFinished())
        {
            return part.isEnded();
        }
        return dialect != null && dialect.finishIsFinal();
    }

    private void lateData(final MutableChoice choice, final MutablePart part)
    {
        if (part.isEnded() && !choice.isFinished())
        {
            error(ErrorKind.LATE_DATA, part.kind() + " for part " + part.ordinal() + " of choice " + choice.index() +
                " after that part stopped; not folded");
        }
        else
        {
            lateData(choice, part.kind().toString());
        }
    }

    private void lateData(final MutableChoice choice, final String what)
    {
        error(ErrorKind.LATE_DATA, what + " for choice " + choice.index() + " after it finished (" +
            choice.finishReason() + "); not folded");
    }

    /**
     * @return how many of {@code length} new characters fit the part's limit. When they do not all fit,
     * the part keeps the prefix up to the limit and is marked truncated, so that a later, smaller fragment
     * can never land after a hole.
     */
    private static int keep(final MutablePart part, final int length, final int limit)
    {
        final int room = limit - part.text().length();
        if (length <= room)
        {
            return length;
        }
        part.truncated();
        return Math.max(0, room);
    }

    /** Closes a part; a tool call announces its end. */
    public void endPart(final MutableChoice choice, final MutablePart part)
    {
        if (!part.isEnded())
        {
            part.end();
            if (part.isTruncated())
            {
                part.incomplete("cut at the limit of " +
                    (part.kind() == MutablePart.Kind.TOOL_CALL ? limits.maxArgumentChars() : limits.maxTextChars()) +
                    " characters");
            }
            if (part.kind() == MutablePart.Kind.TOOL_CALL)
            {
                checkArguments(part);
                listener.onToolCallEnd((int)choice.index(), part.ordinal(), part);
            }
        }
    }

    /**
     * A call's arguments must be one complete JSON value: the field reader already knows when it ran; otherwise
     * they are read once, here. Blank arguments are a tool without parameters. Raw text is kept either way.
     */
    private void checkArguments(final MutablePart call)
    {
        if (argumentFields != null && argumentFields.reads(call))
        {
            final String failure = argumentFields.end(call);
            if (failure != null && !isBlank(call.text()))
            {
                call.incomplete(failure);
            }
        }
        else if (!isBlank(call.text()))
        {
            // Parsed only when someone asks whether the call is complete: most callers never do.
            call.checkArgumentsLater(this);
        }
        if (outcome != Outcome.IN_PROGRESS && outcome != Outcome.COMPLETE)
        {
            call.incomplete("the stream ended before the call finished");
        }
    }

    /** @return why {@code call}'s arguments are not one whole JSON value, or null when they are. */
    String argumentFailure(final MutablePart call)
    {
        if (argumentCheck == null)
        {
            argumentCheck = new ArgumentFieldReader(limits.maxNestingDepth(), Integer.MAX_VALUE);
        }
        argumentCheck.reset(IGNORE_FIELDS);
        argumentCheck.feed(call.text().array(), 0, call.text().length());
        argumentCheck.end();
        return argumentCheck.failure();
    }

    private static final ArgumentFieldReader.FieldHandler IGNORE_FIELDS = (p, pl, t, vo, vl) -> {};

    private static boolean isBlank(final MutableTextBuffer text)
    {
        final char[] chars = text.array();
        for (int i = 0; i < text.length(); i++)
        {
            final char c = chars[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return false;
            }
        }
        return true;
    }

    public void endAllParts(final MutableChoice choice)
    {
        for (int i = 0; i < choice.partCount(); i++)
        {
            endPart(choice, choice.part(i));
        }
    }

    public void tokenId(final MutableChoice choice, final long tokenId)
    {
        if (choice.tokenIdCount() >= limits.maxTokenIds())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxTokenIds() + " token ids in choice " + choice.index());
            return;
        }
        choice.tokenIdList().addLong(tokenId);
        listener.onTokenId((int)choice.index(), tokenId);
    }

    public void logprob(final MutableChoice choice, final boolean refusal, final CharSequence token, final double logprob)
    {
        listener.onLogprob((int)choice.index(), refusal, token, logprob);
    }

    /** MutableUsage fields were merged: announce it. */
    public void usageUpdated()
    {
        usage.markPresent(eventNumber);
        listener.onUsage(usage);
    }

    /** Sets a choice's finish reason, closes its parts, and announces it. */
    public void finish(final MutableChoice choice, final char[] chars, final int offset, final int length)
    {
        choice.finishReason().set(chars, offset, length, limits.maxTextChars());
        choice.finished(true);
        endAllParts(choice);
        finishUsage();
        listener.onFinish((int)choice.index(), choice.finishReason());
    }

    public void finish(final MutableChoice choice, final CharSequence reason)
    {
        choice.finishReason().set(reason, limits.maxTextChars());
        choice.finished(true);
        endAllParts(choice);
        finishUsage();
        listener.onFinish((int)choice.index(), choice.finishReason());
    }

    /** The response is finished: usage reported in or after this event is the final report. */
    private void finishUsage()
    {
        if (allChoicesFinished())
        {
            usage.done(eventNumber);
        }
    }

    /** @return the slot for the provider's error object; call {@link #providerErrorReported()} once filled. */
    public MutableRawJson providerErrorSlot()
    {
        return providerError;
    }

    public void providerErrorReported(final String summary)
    {
        error(ErrorKind.PROVIDER_ERROR, summary);
    }

    /** Reports an error at the current event. */
    public void error(final ErrorKind kind, final String message)
    {
        error(new StreamError(kind, eventNumber, eventOffset, message));
    }

    public void error(final StreamError error)
    {
        keep(error);
        listener.onError(error);
    }

    /** Records an error at the current event without telling the listener (its own onError or onEnd threw). */
    void errorWithoutListener(final ErrorKind kind, final String message)
    {
        keep(new StreamError(kind, eventNumber, eventOffset, message));
    }

    private void keep(final StreamError error)
    {
        if (firstLimitError == null && isLimit(error.kind()))
        {
            firstLimitError = error;
        }
        if (errors.size() < limits.maxErrors())
        {
            errors.add(error);
        }
        else
        {
            droppedErrors++;
        }
    }

    private static boolean isLimit(final ErrorKind kind)
    {
        return kind == ErrorKind.LIMIT_EXCEEDED || kind == ErrorKind.LINE_TOO_LONG ||
            kind == ErrorKind.FRAME_TOO_LARGE || kind == ErrorKind.NESTING_TOO_DEEP;
    }

    /** @return errors reported so far, kept or dropped (no allocation, unlike {@link #errors()}). */
    public int errorCount()
    {
        return errors.size() + droppedErrors;
    }

    /** The provider's terminal event arrived. */
    public void terminalEvent()
    {
        terminalEventSeen = true;
        usage.terminal(eventNumber);
    }

    public boolean isOver()
    {
        return outcome != Outcome.IN_PROGRESS;
    }

    /** Ends the stream once: closes every part and announces the outcome. */
    public void end(final Outcome result)
    {
        if (outcome != Outcome.IN_PROGRESS)
        {
            return;
        }
        outcome = result;
        for (int i = 0; i < choices.size(); i++)
        {
            endAllParts(choices.get(i));
        }
        if (!usage.isPresent())
        {
            usage.estimateLater(this);
        }
        final String usageMismatch = usage.totalMismatch();
        if (usageMismatch != null)
        {
            // The counts are kept as the provider sent them; a gateway billing from them must know they disagree.
            error(ErrorKind.INCONSISTENT_USAGE, usageMismatch);
        }
        listener.onEnd(result);
    }

    /** @return true when every choice seen has finished and at least one exists. */
    public boolean allChoicesFinished()
    {
        if (choices.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < choices.size(); i++)
        {
            if (!choices.get(i).isFinished())
            {
                return false;
            }
        }
        return true;
    }
}
