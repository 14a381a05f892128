package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.output.AggregateJson;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
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
    private final AggregationLimits limits;
    /** What the whole result may still keep. */
    private final ResultBudget budget;
    private final MutableRawFields meta;
    private final ChoiceTable choices;
    private final GenericDeltas genericDeltas;
    private final MutableUsage usage;
    private final MutableRawJson providerError;
    private final ErrorLog errors;
    private StreamListener listener;
    private final LateData late = new LateData(this);
    private final ToolArgumentCheck toolArguments;
    private final PartContent parts;
    private final MutableVerdict verdict = new MutableVerdict();
    private boolean inputCut;
    private final boolean keepContent;
    private Format format;
    private Dialect dialect;
    private Outcome outcome = Outcome.IN_PROGRESS;
    private boolean started;
    private boolean terminalEventSeen;
    private long eventNumber = -1;
    private long eventOffset;
    /** A snapshot's provider JSON (compact), rendered when it was taken; null for the live aggregate. */
    private byte[] frozenProviderJson;

    public MutableAggregate(final AggregationLimits limits, final StreamListener listener)
    {
        this(limits, listener, true);
    }

    /**
     * @param keepContent false: streamed text, reasoning, refusal, token ids and logprob entries go to the listener
     *                    and are counted against the limits but not kept (see {@code StreamAggregator.Builder.keepContent}).
     */
    public MutableAggregate(final AggregationLimits limits, final StreamListener listener, final boolean keepContent)
    {
        this.keepContent = keepContent;
        this.limits = limits;
        this.listener = listener;
        this.toolArguments = new ToolArgumentCheck(this, limits);
        this.errors = new ErrorLog(limits);
        this.budget = new ResultBudget(this, limits);
        this.meta = new MutableRawFields(budget);
        this.choices = new ChoiceTable(budget);
        this.usage = new MutableUsage(budget);
        this.providerError = new MutableRawJson(budget);
        this.genericDeltas = new GenericDeltas(this, late, limits);
        this.parts = new PartContent(this, limits, budget, late, toolArguments);
    }

    public void dialect(final Format format, final Dialect dialect)
    {
        this.format = format;
        this.dialect = dialect;
        late.finishIsFinal(dialect.finishIsFinal());
        usage.keys(dialect.usageKeys());
        choices.stopReasons(dialect.stopReasons());
    }

    /** AUTO starts over: no format until detection chooses one again. */
    public void undecided()
    {
        format = null;
        dialect = null;
        late.finishIsFinal(false);
    }

    public void clear()
    {
        if (budget.pooled() > limits.maxPooledBytes())
        {
            // Keeping these buffers for the next stream would hold their capacity while that stream needs none of it.
            meta.release();
            choices.release();
            usage.release();
            providerError.release();
            budget.poolDropped();
        }
        meta.clear();
        choices.clear();
        usage.clear();
        providerError.clear();
        errors.clear();
        outcome = Outcome.IN_PROGRESS;
        started = false;
        terminalEventSeen = false;
        eventNumber = -1;
        eventOffset = 0;
        inputCut = false;
        toolArguments.clear();
        budget.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Read API (documented on Aggregate)

    @Override
    public Format format()
    {
        return format;
    }

    @Override
    public Outcome outcome()
    {
        return outcome;
    }

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
        verdict.work(this, errors, inputCut);
        return verdict;
    }

    /** The input ended inside an event ({@code cut}) or between events; read by {@link #verdict()}. */
    public void inputCut(final boolean cut)
    {
        inputCut = cut;
    }

    @Override
    public MutableRawFields meta()
    {
        return meta;
    }

    @Override
    public List<Choice> choices()
    {
        return Collections.unmodifiableList(choices.sorted());
    }

    /** @return the choices ordered by their index, for the writers (allocates the list). */
    public List<MutableChoice> sortedChoices()
    {
        return choices.sorted();
    }

    @Override
    public MutableChoice choice(final long index)
    {
        return choices.find(index);
    }

    @Override
    public MutableUsage usage()
    {
        return usage;
    }

    @Override
    public MutableRawJson providerError()
    {
        return providerError;
    }

    @Override
    public List<StreamError> errors()
    {
        return errors.kept();
    }

    @Override
    public int droppedErrors()
    {
        return errors.dropped();
    }

    @Override
    public String toJson()
    {
        return AggregateJson.render(this, dialect, frozenProviderJson, false);
    }

    @Override
    public String toNormalizedJson()
    {
        return AggregateJson.render(this, dialect, frozenProviderJson, true);
    }

    @Override
    public void writeJson(final OutputStream out, final boolean pretty) throws IOException
    {
        AggregateJson.write(out, this, dialect, frozenProviderJson, false, pretty);
    }

    @Override
    public void writeNormalizedJson(final OutputStream out, final boolean pretty) throws IOException
    {
        AggregateJson.write(out, this, dialect, frozenProviderJson, true, pretty);
    }

    /**
     * @return an independent copy of everything folded so far, unaffected by later bytes and by
     * {@code reset()}. Costs a copy of every text and raw value, and renders the provider JSON once
     * (the provider writer may read dialect state that a copy could not keep).
     */
    public MutableAggregate snapshot()
    {
        final MutableAggregate copy = new MutableAggregate(limits, StreamListener.NONE, keepContent);
        copy.budget.unbounded();
        copy.format = format;
        copy.meta.copyFrom(meta);
        copy.choices.copyFrom(choices);
        copy.usage.copyFrom(usage);
        copy.providerError.copyFrom(providerError);
        copy.errors.copyFrom(errors);
        copy.outcome = outcome;
        copy.terminalEventSeen = terminalEventSeen;
        copy.started = started;
        copy.eventNumber = eventNumber;
        copy.eventOffset = eventOffset;
        copy.inputCut = inputCut;
        if (frozenProviderJson != null)
        {
            copy.frozenProviderJson = frozenProviderJson;
        }
        else if (dialect != null)
        {
            copy.frozenProviderJson = AggregateJson.providerJson(this, dialect);
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

    /** @return false when streamed content is heard by the listener and not kept. */
    public boolean keepsContent()
    {
        return keepContent;
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
        return choices.at(i);
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
        final MutableChoice existing = choices.find(index);
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
        if (!budget.keepBytes(AggregationLimits.PART_BYTES))
        {
            budget.refused("choice " + index);
            return null;
        }
        return choices.add(index);
    }

    /** @return a new part, or null (error reported) past the per-choice limit. */
    public MutablePart newPart(final MutableChoice choice, final MutablePart.Kind kind, final long wireIndex)
    {
        return parts.newPart(choice, kind, wireIndex);
    }

    /**
     * Appends text of {@code kind} (TEXT, REASONING or REFUSAL) to the choice's open part of that kind,
     * or to a new one when the last part is of another kind.
     */
    public void appendText(final MutableChoice choice, final MutablePart.Kind kind, final char[] chars, final int offset, final int length)
    {
        parts.appendText(choice, kind, chars, offset, length);
    }

    /** Appends to a given TEXT, REASONING or REFUSAL part (block-structured dialects). */
    public void appendText(final MutableChoice choice, final MutablePart part, final char[] chars, final int offset, final int length)
    {
        parts.appendText(choice, part, chars, offset, length);
    }

    /** Announces a tool call whose id and name are set. */
    public void toolCallStarted(final MutableChoice choice, final MutablePart call)
    {
        listener.onToolCallStart((int)choice.index(), call.ordinal(), call.id(), call.name());
    }

    /** Appends a fragment of a tool call's arguments. */
    public void appendArguments(final MutableChoice choice, final MutablePart call, final char[] chars, final int offset, final int length)
    {
        parts.appendArguments(choice, call, chars, offset, length);
    }

    /** @return where delta types a dialect does not know are folded. */
    public GenericDeltas genericDeltas()
    {
        return genericDeltas;
    }

    /** Closes a part; a tool call announces its end. */
    public void endPart(final MutableChoice choice, final MutablePart part)
    {
        parts.endPart(choice, part, outcome);
    }

    public void endAllParts(final MutableChoice choice)
    {
        parts.endAllParts(choice, outcome);
    }

    public void tokenId(final MutableChoice choice, final long tokenId)
    {
        parts.tokenId(choice, tokenId);
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
        finished(choice);
    }

    public void finish(final MutableChoice choice, final CharSequence reason)
    {
        choice.finishReason().set(reason, limits.maxTextChars());
        finished(choice);
    }

    private void finished(final MutableChoice choice)
    {
        choice.finished(true);
        endAllParts(choice);
        if (choices.allFinished())
        {
            // The response is finished: usage reported in or after this event is the final report.
            usage.done(eventNumber);
        }
        listener.onFinish((int)choice.index(), choice.finishReason());
    }

    /** @return the slot for the provider's error object; call {@link #providerErrorReported()} once filled. */
    public MutableRawJson providerErrorSlot()
    {
        return providerError;
    }

    /**
     * Reports the error kept in {@link #providerErrorSlot()}: {@code "provider error: "} and its JSON, cut to
     * {@link Dialect#ABBREVIATED_CHARS} characters.
     */
    public void providerErrorReported()
    {
        providerErrorReported(providerError.summary("provider error: ", Dialect.ABBREVIATED_CHARS));
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
        errors.keep(error);
        listener.onError(error);
    }

    /** Records an error at the current event without telling the listener (its own onError or onEnd threw). */
    void errorWithoutListener(final ErrorKind kind, final String message)
    {
        errors.keep(new StreamError(kind, eventNumber, eventOffset, message));
    }

    /** @return errors reported so far, kept or dropped (no allocation, unlike {@link #errors()}). */
    public int errorCount()
    {
        return errors.count();
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
            endAllParts(choices.at(i));
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
        final String iterationsProblem = usage.iterationsProblem();
        if (iterationsProblem != null)
        {
            // Billing on the top level would miss the other steps, and on the list would add up what cannot be read:
            // the counts fall back to the top level, and the gateway is told.
            error(ErrorKind.INCONSISTENT_USAGE, "usage iterations not summed: " + iterationsProblem);
        }
        listener.onEnd(result);
    }

    /** @return true when every choice seen has finished and at least one exists. */
    public boolean allChoicesFinished()
    {
        return choices.allFinished();
    }
}
