package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.model.Part;

/**
 * One part of a choice's message, in the order the stream produced it: a run of text, of reasoning,
 * a refusal, a tool call, or a block kept whole. Every dialect folds into these same parts; each
 * provider's output writer maps them back to its own shape.
 */
public final class MutablePart implements Part
{

    private Kind kind = Kind.TEXT;
    private long wireIndex = -1;
    private int ordinal;
    private boolean ended;
    private boolean truncated;
    /** Set when the whole result's limit, not the part's own, cut it. */
    private boolean overBudget;
    private String incompleteReason;
    /**
     * A call whose arguments are free text, not JSON (a Responses {@code custom_tool_call}'s {@code input}): whole when
     * it ended, neither parsed nor read field by field.
     */
    private boolean freeformArguments;
    /** A tool call the provider runs itself (see {@link #serverExecuted()}). */
    private boolean serverExecuted;
    /** Set when the arguments are still to be parsed (on first question, see {@link #settle()}). */
    private ToolArgumentCheck argumentsToCheck;
    private final MutableTextBuffer type;
    private final MutableTextBuffer id;
    private final MutableTextBuffer name;
    private final MutableTextBuffer text;
    private final MutableTextBuffer signature;
    private final MutableRawFields extra;
    private final MutableRawList annotations;
    /** Fields from delta types the dialect does not know; created on first use, as most parts never have any. */
    private MutableDeltaFields deltas;
    /** The result's budget its buffers charge (the text's characters are charged as they are kept); null in a copy. */
    private final ResultBudget budget;
    /**
     * Characters the listener heard that the result does not keep (a fold that drops streamed text), and their hash:
     * enough for the limits and for a dialect to compare a final text with what its deltas gave.
     */
    private int droppedLength;
    private long droppedHash;

    public MutablePart()
    {
        this(null);
    }

    MutablePart(final ResultBudget budget)
    {
        this.budget = budget;
        type = new MutableTextBuffer(budget, false);
        id = new MutableTextBuffer(budget, false);
        name = new MutableTextBuffer(budget, false);
        text = new MutableTextBuffer(budget, true);
        signature = new MutableTextBuffer(budget, false);
        extra = new MutableRawFields(budget);
        annotations = new MutableRawList(budget);
    }

    public void init(final Kind kind, final long wireIndex, final int ordinal)
    {
        this.kind = kind;
        this.wireIndex = wireIndex;
        this.ordinal = ordinal;
        ended = false;
        truncated = false;
        overBudget = false;
        incompleteReason = null;
        argumentsToCheck = null;
        freeformArguments = false;
        serverExecuted = false;
        type.clear();
        id.clear();
        name.clear();
        text.clear();
        signature.clear();
        extra.clear();
        annotations.clear();
        droppedLength = 0;
        droppedHash = 0;
        if (deltas != null)
        {
            deltas.clear();
        }
    }

    public void kind(final Kind kind)
    {
        this.kind = kind;
    }

    public void end()
    {
        ended = true;
    }

    /** @return true once {@link #text()} hit its limit: it holds a prefix and later fragments are dropped. */
    public boolean isTruncated()
    {
        return truncated;
    }

    public void truncated()
    {
        truncated = true;
    }

    /** @return true when the whole result's limit cut this part. */
    public boolean overBudget()
    {
        return overBudget;
    }

    public void overBudget(final boolean cut)
    {
        overBudget = cut;
    }

    /**
     * @return how many of {@code length} new characters fit {@code limit}. When they do not all fit, the part
     * keeps the prefix up to the limit and is marked truncated, so that a later, smaller fragment can never land
     * after a hole.
     */
    int fit(final int length, final int limit)
    {
        final int room = limit - contentLength();
        if (length <= room)
        {
            return length;
        }
        truncated = true;
        return Math.max(0, room);
    }

    /** @return true when the part ended whole: see {@link Part#isComplete()}. */
    public boolean isComplete()
    {
        settle();
        return ended && incompleteReason == null;
    }

    /** @return why the part is not complete, or null. */
    public String incompleteReason()
    {
        settle();
        return ended ? incompleteReason : "not ended yet";
    }

    /** Marks the call as one the provider runs itself (see {@link #serverExecuted()}). */
    public void markServerExecuted()
    {
        serverExecuted = true;
    }

    @Override
    public boolean serverExecuted()
    {
        return serverExecuted;
    }

    /** Marks the call's arguments as free text (see {@link #freeformArguments()}). */
    public void markFreeformArguments()
    {
        freeformArguments = true;
    }

    /** @return true when the call's arguments are free text, not one JSON value. */
    @Override
    public boolean freeformArguments()
    {
        return freeformArguments;
    }

    /** The call ended: {@code check} parses its arguments when completeness is first asked. */
    void checkArgumentsLater(final ToolArgumentCheck check)
    {
        argumentsToCheck = check;
    }

    /** Arguments that are not one JSON value say so first, before any other reason the call is incomplete. */
    private void settle()
    {
        final ToolArgumentCheck check = argumentsToCheck;
        if (check != null)
        {
            argumentsToCheck = null;
            final String failure = check.failure(this);
            if (failure != null)
            {
                incompleteReason = failure;
            }
        }
    }

    /** Marks the part incomplete (the first reason wins). */
    public void incomplete(final String reason)
    {
        if (incompleteReason == null)
        {
            incompleteReason = reason;
        }
    }

    /** @return what this part holds. */
    public Kind kind()
    {
        return kind;
    }

    /** @return the provider's index for this part (tool-call index, block index), or -1 when it gave none. */
    public long wireIndex()
    {
        return wireIndex;
    }

    /** @return position among the choice's parts of the same kind family, in arrival order from 0. */
    public int ordinal()
    {
        return ordinal;
    }

    /** @return true once the provider closed this part (or the stream ended). */
    public boolean isEnded()
    {
        return ended;
    }

    /** @return the provider's own type name for the part ({@code function}, {@code tool_use}, {@code thinking}...). */
    public MutableTextBuffer type()
    {
        return type;
    }

    /** @return the tool-call id (or block id), possibly empty. */
    public MutableTextBuffer id()
    {
        return id;
    }

    /** @return the tool / function name, possibly empty. */
    public MutableTextBuffer name()
    {
        return name;
    }

    /** @return the text, reasoning, refusal or tool-call arguments (JSON text, exactly as streamed). */
    public MutableTextBuffer text()
    {
        return text;
    }

    /** @return the reasoning signature (Anthropic {@code signature}, Gemini {@code thoughtSignature}), possibly empty. */
    public MutableTextBuffer signature()
    {
        return signature;
    }

    /** @return other fields of the part, kept raw (citations, caller, a whole server tool result block). */
    public MutableRawFields extra()
    {
        return extra;
    }

    /** @return annotations / citations streamed for this part, in order. */
    public MutableRawList annotations()
    {
        return annotations;
    }

    /** @return the fields folded from delta types the dialect does not know (see {@link MutableDeltaFields}). */
    public MutableDeltaFields deltas()
    {
        if (deltas == null)
        {
            deltas = new MutableDeltaFields(true, budget);
        }
        return deltas;
    }

    /**
     * Writes the part's {@link #extra()} fields except {@code skip}, a field folded from deltas since taking the
     * place of its start value.
     */
    public void writeExtra(final JsonGenerator g, final String... skip) throws IOException
    {
        if (hasDeltas())
        {
            deltas.writeOver(g, extra, skip);
        }
        else
        {
            extra.writeFields(g, skip);
        }
    }

    /** Counts characters the listener heard and the result does not keep: the text stays empty but present. */
    void dropped(final char[] src, final int offset, final int count)
    {
        droppedHash = hash(droppedHash, src, offset, count);
        droppedLength += count;
        text.markPresent();
    }

    /** @return characters streamed into this part, kept in {@link #text()} or dropped as they were heard. */
    public int contentLength()
    {
        return text.length() + droppedLength;
    }

    /**
     * @return true when what streamed into this part is a prefix of {@code other} (or all of it): compared character
     * by character when kept, else by a 64-bit hash of the dropped characters (a collision only hides a disagreement
     * that a dialect would have reported as an error).
     */
    public boolean contentIsPrefixOf(final MutableTextBuffer other)
    {
        if (droppedLength > 0)
        {
            return droppedLength <= other.length() && hash(0, other.array(), 0, droppedLength) == droppedHash;
        }
        final int n = text.length();
        return n <= other.length() && Arrays.equals(text.array(), 0, n, other.array(), 0, n);
    }

    private static long hash(final long seed, final char[] src, final int offset, final int count)
    {
        long h = seed;
        for (int i = offset, end = offset + count; i < end; i++)
        {
            h = (h + src[i]) * 0x9E3779B97F4A7C15L;
        }
        return h;
    }

    /** @return true when a delta the dialect does not know was folded into this part. */
    public boolean hasDeltas()
    {
        return deltas != null && deltas.size() > 0;
    }

    /** Becomes an independent copy of {@code other}. */
    public void copyFrom(final MutablePart other)
    {
        init(other.kind, other.wireIndex, other.ordinal);
        ended = other.ended;
        freeformArguments = other.freeformArguments;
        serverExecuted = other.serverExecuted;
        truncated = other.truncated;
        overBudget = other.overBudget;
        other.settle();
        incompleteReason = other.incompleteReason;
        type.copyFrom(other.type);
        id.copyFrom(other.id);
        name.copyFrom(other.name);
        text.copyFrom(other.text);
        signature.copyFrom(other.signature);
        extra.copyFrom(other.extra);
        annotations.copyFrom(other.annotations);
        droppedLength = other.droppedLength;
        droppedHash = other.droppedHash;
        if (other.hasDeltas())
        {
            deltas().copyFrom(other.deltas);
        }
    }

    @Override
    public String toString()
    {
        return kind + "{index=" + wireIndex + ", id=" + id + ", name=" + name + ", text=" + text + '}';
    }
}
