package io.streamfold.aggregator;

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
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Everything folded from one stream so far: metadata, choices and their parts, usage, errors and the
 * outcome. The one shared state of every dialect: dialects change it only through the package-private
 * methods here, which is also where listener events fire, so each event means the same thing whatever
 * the provider.
 *
 * <p>A live view: it changes as the stream is fed. Read it on the feeding thread, or write it out with
 * {@link #toJson()} for a copy.
 */
public final class Aggregate
{
    private static final JsonFactory OUTPUT_FACTORY = new JsonFactory();

    private final AggregationLimits limits;
    private final RawFields meta = new RawFields();
    private final ArrayList<Choice> choices = new ArrayList<>();
    private final ArrayList<Choice> spareChoices = new ArrayList<>();
    private final Usage usage = new Usage();
    private final RawJson providerError = new RawJson();
    private final ArrayList<StreamError> errors = new ArrayList<>();
    private final CharView view = new CharView();
    private StreamListener listener;
    private Format format;
    private Dialect dialect;
    private Outcome outcome = Outcome.IN_PROGRESS;
    private boolean started;
    private long eventNumber = -1;
    private long eventOffset;
    private int droppedErrors;

    Aggregate(final AggregationLimits limits, final StreamListener listener)
    {
        this.limits = limits;
        this.listener = listener;
    }

    void dialect(final Format format, final Dialect dialect)
    {
        this.format = format;
        this.dialect = dialect;
        usage.keys(dialect.usageKeys());
    }

    /** AUTO starts over: no format until detection chooses one again. */
    void undecided()
    {
        format = null;
        dialect = null;
    }

    void clear()
    {
        meta.clear();
        spareChoices.addAll(choices);
        choices.clear();
        usage.clear();
        providerError.clear();
        errors.clear();
        outcome = Outcome.IN_PROGRESS;
        started = false;
        eventNumber = -1;
        eventOffset = 0;
        droppedErrors = 0;
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

    /** @return top-level response fields (id, model, created, seed, unknown fields), raw, last non-empty value winning. */
    public RawFields meta()
    {
        return meta;
    }

    /** @return the choices ordered by their index (allocates the list). */
    public List<Choice> choices()
    {
        final List<Choice> sorted = new ArrayList<>(choices);
        sorted.sort((a, b) -> Long.compare(a.index(), b.index()));
        return Collections.unmodifiableList(sorted);
    }

    /** @return the choice with provider index {@code index}, or null. */
    public Choice choice(final long index)
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
    public Usage usage()
    {
        return usage;
    }

    /** @return the provider's error object when the stream carried one, else {@link RawJson.Type#ABSENT}. */
    public RawJson providerError()
    {
        return providerError;
    }

    /** @return every error reported so far, in order (at most 1000 are kept; see {@link #droppedErrors()}). */
    public List<StreamError> errors()
    {
        return Collections.unmodifiableList(errors);
    }

    /** @return errors reported to the listener but not kept because 1000 already were. */
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
        try (JsonGenerator g = OUTPUT_FACTORY.createGenerator(out, JsonEncoding.UTF8))
        {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty)
            {
                g.useDefaultPrettyPrinter();
            }
            if (normalized || dialect == null)
            {
                NormalizedWriter.write(this, g);
            }
            else
            {
                dialect.write(this, g);
            }
        }
    }

    @Override
    public String toString()
    {
        return toJson();
    }

    // ---------------------------------------------------------------------------------------------
    // Mutation, for dialects. Listener events fire here and only here.

    AggregationLimits limits()
    {
        return limits;
    }

    StreamListener listener()
    {
        return listener;
    }

    void listener(final StreamListener listener)
    {
        this.listener = listener;
    }

    void position(final long eventNumber, final long eventOffset)
    {
        this.eventNumber = eventNumber;
        this.eventOffset = eventOffset;
    }

    int choiceCount()
    {
        return choices.size();
    }

    Choice choiceAt(final int i)
    {
        return choices.get(i);
    }

    /** Fires {@link StreamListener#onMessageStart} the first time it is called. */
    void start()
    {
        if (!started)
        {
            started = true;
            listener.onMessageStart(metaText("id"), metaText("model"));
        }
    }

    boolean isStarted()
    {
        return started;
    }

    private CharSequence metaText(final String name)
    {
        final RawJson v = meta.get(name);
        return v == null ? "" : v.text();
    }

    /** @return the choice with provider index {@code index}, created on first use; null (error reported) past a limit. */
    Choice choiceForIndex(final long index)
    {
        final Choice existing = choice(index);
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
        final Choice c = spareChoices.isEmpty() ? new Choice() : spareChoices.remove(spareChoices.size() - 1);
        c.init(index);
        choices.add(c);
        return c;
    }

    /** @return a new part, or null (error reported) past the per-choice limit. */
    Part newPart(final Choice choice, final Part.Kind kind, final long wireIndex)
    {
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
    void appendText(final Choice choice, final Part.Kind kind, final char[] chars, final int offset, final int length)
    {
        Part part = choice.lastPart();
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
    void appendText(final Choice choice, final Part part, final char[] chars, final int offset, final int length)
    {
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
    void toolCallStarted(final Choice choice, final Part call)
    {
        listener.onToolCallStart((int)choice.index(), call.ordinal(), call.id(), call.name());
    }

    /** Appends a fragment of a tool call's arguments. */
    void appendArguments(final Choice choice, final Part call, final char[] chars, final int offset, final int length)
    {
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
        }
    }

    /**
     * @return how many of {@code length} new characters fit the part's limit. When they do not all fit,
     * the part keeps the prefix up to the limit and is marked truncated, so that a later, smaller fragment
     * can never land after a hole.
     */
    private static int keep(final Part part, final int length, final int limit)
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
    void endPart(final Choice choice, final Part part)
    {
        if (!part.isEnded())
        {
            part.end();
            if (part.kind() == Part.Kind.TOOL_CALL)
            {
                listener.onToolCallEnd((int)choice.index(), part.ordinal(), part);
            }
        }
    }

    void endAllParts(final Choice choice)
    {
        for (int i = 0; i < choice.partCount(); i++)
        {
            endPart(choice, choice.part(i));
        }
    }

    void tokenId(final Choice choice, final long tokenId)
    {
        if (choice.tokenIdCount() >= limits.maxTokenIds())
        {
            error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxTokenIds() + " token ids in choice " + choice.index());
            return;
        }
        choice.tokenIdList().addLong(tokenId);
        listener.onTokenId((int)choice.index(), tokenId);
    }

    void logprob(final Choice choice, final boolean refusal, final CharSequence token, final double logprob)
    {
        listener.onLogprob((int)choice.index(), refusal, token, logprob);
    }

    /** Usage fields were merged: announce it. */
    void usageUpdated()
    {
        usage.markPresent();
        listener.onUsage(usage);
    }

    /** Sets a choice's finish reason, closes its parts, and announces it. */
    void finish(final Choice choice, final char[] chars, final int offset, final int length)
    {
        choice.finishReason().set(chars, offset, length, limits.maxTextChars());
        choice.finished(true);
        endAllParts(choice);
        listener.onFinish((int)choice.index(), choice.finishReason());
    }

    void finish(final Choice choice, final CharSequence reason)
    {
        choice.finishReason().set(reason, limits.maxTextChars());
        choice.finished(true);
        endAllParts(choice);
        listener.onFinish((int)choice.index(), choice.finishReason());
    }

    /** @return the slot for the provider's error object; call {@link #providerErrorReported()} once filled. */
    RawJson providerErrorSlot()
    {
        return providerError;
    }

    void providerErrorReported(final String summary)
    {
        error(ErrorKind.PROVIDER_ERROR, summary);
    }

    /** Reports an error at the current event. */
    void error(final ErrorKind kind, final String message)
    {
        error(new StreamError(kind, eventNumber, eventOffset, message));
    }

    void error(final StreamError error)
    {
        if (errors.size() < 1000)
        {
            errors.add(error);
        }
        else
        {
            droppedErrors++;
        }
        listener.onError(error);
    }

    /** @return errors reported so far, kept or dropped (no allocation, unlike {@link #errors()}). */
    int errorCount()
    {
        return errors.size() + droppedErrors;
    }

    boolean isOver()
    {
        return outcome != Outcome.IN_PROGRESS;
    }

    /** Ends the stream once: closes every part and announces the outcome. */
    void end(final Outcome result)
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
        listener.onEnd(result);
    }

    /** @return true when every choice seen has finished and at least one exists. */
    boolean allChoicesFinished()
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
