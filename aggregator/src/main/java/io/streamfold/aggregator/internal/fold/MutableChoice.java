package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import org.agrona.collections.LongArrayList;

/**
 * One choice (OpenAI {@code n}, Gemini candidate; a single choice 0 for providers without them), folded
 * from every chunk that named its index. Parts keep the order the stream produced them in.
 */
public final class MutableChoice implements Choice
{
    private long index;
    private final MutableTextBuffer role;
    private final MutableTextBuffer finishReason;
    private final ArrayList<MutablePart> parts = new ArrayList<>();
    /** The last of {@link #parts}, kept beside the list: every text fragment asks for it. */
    private MutablePart last;
    private final ArrayList<MutablePart> spare = new ArrayList<>();
    private final LongArrayList tokenIds = new LongArrayList();
    private final MutableRawList contentLogprobs;
    private final MutableRawList refusalLogprobs;
    private final MutableRawFields extra;
    private final MutableDeltaFields messageExtra;
    private final MutableDeltaFields logprobsExtra;
    /** The result's budget its buffers and parts charge; null in a snapshot's copy. */
    private final ResultBudget budget;
    private boolean finished;
    private boolean logprobs;
    /** Whether the message's content came as typed parts (Mistral's text and thinking chunks), not only as strings. */
    private boolean typedContent;
    /** Token ids the listener heard that the result does not keep (a fold that drops streamed content). */
    private int droppedTokenIds;
    private int toolCalls;
    private StopReasonTable stopReasons = NO_WORDS;
    private static final StopReasonTable NO_WORDS = new StopReasonTable(false);

    public MutableChoice()
    {
        this(null);
    }

    MutableChoice(final ResultBudget budget)
    {
        this.budget = budget;
        role = new MutableTextBuffer(budget, false);
        finishReason = new MutableTextBuffer(budget, false);
        contentLogprobs = new MutableRawList(budget);
        refusalLogprobs = new MutableRawList(budget);
        extra = new MutableRawFields(budget);
        messageExtra = new MutableDeltaFields(false, budget);
        logprobsExtra = new MutableDeltaFields(false, budget);
    }

    public void init(final long index)
    {
        this.index = index;
        role.clear();
        finishReason.clear();
        // Not addAll: it copies the list into a new array first, on every choice of every stream.
        for (int i = 0, n = parts.size(); i < n; i++)
        {
            spare.add(parts.get(i));
        }
        parts.clear();
        last = null;
        tokenIds.clear();
        contentLogprobs.clear();
        refusalLogprobs.clear();
        extra.clear();
        messageExtra.clear();
        logprobsExtra.clear();
        finished = false;
        logprobs = false;
        typedContent = false;
        droppedTokenIds = 0;
        toolCalls = 0;
    }

    /** @return the provider's index of this choice. */
    public long index()
    {
        return index;
    }

    /** @return the role ({@code assistant}, {@code model}), possibly empty. */
    public MutableTextBuffer role()
    {
        return role;
    }

    /** @return the provider's own finish / stop reason, empty while unfinished. */
    public MutableTextBuffer finishReason()
    {
        return finishReason;
    }

    /** Sets the provider's table of finish words. */
    public void stopReasons(final StopReasonTable table)
    {
        stopReasons = table == null ? NO_WORDS : table;
    }

    /** @return the finish reason in the shared vocabulary, or IN_PROGRESS while unfinished. */
    public StopReason stopReason()
    {
        if (!finished)
        {
            return StopReason.IN_PROGRESS;
        }
        final StopReason r = stopReasons.map(finishReason, hasClientToolCall());
        // OpenAI ends a refusal with a plain "stop": the refusal part is what says the model declined.
        return r == StopReason.COMPLETE && has(Part.Kind.REFUSAL) ? StopReason.CONTENT_FILTER : r;
    }

    /** @return true once the provider finished this choice. */
    public boolean isFinished()
    {
        return finished;
    }

    /** @return every part in arrival order (live view). */
    public List<Part> parts()
    {
        return java.util.Collections.unmodifiableList(parts);
    }

    /** @return the parts in arrival order, for the writers (read-only). */
    public List<MutablePart> partList()
    {
        return java.util.Collections.unmodifiableList(parts);
    }

    /** @return number of token ids. */
    public int tokenIdCount()
    {
        return tokenIds.size();
    }

    /** @return token ids streamed into this choice, kept or dropped as they were heard. */
    public int tokenIdsHeard()
    {
        return tokenIds.size() + droppedTokenIds;
    }

    /** @return token id {@code i}, in generation order. */
    public long tokenId(final int i)
    {
        return tokenIds.getLong(i);
    }

    /** @return all token ids, copied (allocates). */
    public long[] tokenIds()
    {
        return tokenIds.toLongArray();
    }

    /** @return true once a non-null logprobs object arrived for this choice. */
    public boolean hasLogprobs()
    {
        return logprobs;
    }

    public void logprobsSeen()
    {
        logprobs = true;
    }

    /**
     * @return true once the message's content came as a list of typed parts (Mistral's reasoning models: text chunks and
     *         thinking chunks), which its complete response then holds as such a list too.
     */
    public boolean hasTypedContent()
    {
        return typedContent;
    }

    public void typedContentSeen()
    {
        typedContent = true;
    }

    /** @return logprob entries of the content, as the provider sent them. */
    public MutableRawList contentLogprobs()
    {
        return contentLogprobs;
    }

    /** @return logprob entries of the refusal, as the provider sent them. */
    public MutableRawList refusalLogprobs()
    {
        return refusalLogprobs;
    }

    /** @return the logprobs object's other members, folded over chunks (a legacy completion's arrays, concatenated). */
    @Override
    public MutableDeltaFields logprobsExtra()
    {
        return logprobsExtra;
    }

    /** @return choice-level fields kept raw (content filter results, stop_reason, safety ratings...). */
    public MutableRawFields extra()
    {
        return extra;
    }

    /** @return message-level fields the dialect does not interpret, folded from deltas (reasoning details...). */
    public MutableDeltaFields messageExtra()
    {
        return messageExtra;
    }

    /** @return all text of parts of {@code kind}, joined in arrival order (allocates). */
    public String joined(final MutablePart.Kind kind)
    {
        final StringBuilder sb = new StringBuilder();
        for (final MutablePart p : parts)
        {
            if (p.kind() == kind)
            {
                sb.append(p.text());
            }
        }
        return sb.toString();
    }

    /** @return true when some part of {@code kind} exists. */
    public boolean has(final MutablePart.Kind kind)
    {
        for (final MutablePart p : parts)
        {
            if (p.kind() == kind)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return true when the choice holds a tool call the client must run: a call the provider ran itself (a web
     * search) asks nothing of the client.
     */
    public boolean hasClientToolCall()
    {
        if (toolCalls == 0)
        {
            return false;
        }
        for (int i = 0; i < parts.size(); i++)
        {
            final MutablePart p = parts.get(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && !p.serverExecuted())
            {
                return true;
            }
        }
        return false;
    }

    /** @return the tool-call parts, ordered by the provider's index then arrival (allocates). */
    public List<Part> toolCalls()
    {
        return new ArrayList<>(toolCallList());
    }

    /** @return the tool calls ordered by wire index, for the writers (allocates the list). */
    public List<MutablePart> toolCallList()
    {
        final List<MutablePart> calls = new ArrayList<>();
        for (final MutablePart p : parts)
        {
            if (p.kind() == MutablePart.Kind.TOOL_CALL)
            {
                calls.add(p);
            }
        }
        calls.sort((a, b) ->
        {
            final long ai = a.wireIndex() < 0 ? Long.MAX_VALUE : a.wireIndex();
            final long bi = b.wireIndex() < 0 ? Long.MAX_VALUE : b.wireIndex();
            return ai != bi ? Long.compare(ai, bi) : Integer.compare(a.ordinal(), b.ordinal());
        });
        return calls;
    }

    /** Writes {@code "token_ids": [...]} (vLLM's non-streaming field name) when there are any. */
    public void writeTokenIds(final JsonGenerator g) throws IOException
    {
        if (tokenIds.isEmpty())
        {
            return;
        }
        g.writeArrayFieldStart("token_ids");
        for (int i = 0; i < tokenIds.size(); i++)
        {
            g.writeNumber(tokenIds.getLong(i));
        }
        g.writeEndArray();
    }

    public int partCount()
    {
        return parts.size();
    }

    public MutablePart part(final int i)
    {
        return parts.get(i);
    }

    public MutablePart lastPart()
    {
        return last;
    }

    /**
     * Finds a part by the index the provider gave it, the latest first (an index can be reused after its
     * part ended).
     *
     * @param kind the kind it must have, or null for any.
     * @return the part, or null when none matches.
     */
    public MutablePart partAt(final long wireIndex, final MutablePart.Kind kind)
    {
        for (int i = parts.size() - 1; i >= 0; i--)
        {
            final MutablePart p = parts.get(i);
            if (p.wireIndex() == wireIndex && (kind == null || p.kind() == kind))
            {
                return p;
            }
        }
        return null;
    }

    public MutablePart addPart(final MutablePart.Kind kind, final long wireIndex)
    {
        final MutablePart p;
        if (spare.isEmpty())
        {
            p = new MutablePart(budget);
            if (budget != null)
            {
                budget.made();
            }
        }
        else
        {
            p = spare.remove(spare.size() - 1);
        }
        p.init(kind, wireIndex, kind == MutablePart.Kind.TOOL_CALL ? toolCalls++ : parts.size());
        parts.add(p);
        last = p;
        return p;
    }

    /**
     * Adds a token id, the list's growth charged to the result's budget.
     *
     * @return false, keeping nothing, when the budget refuses the growth (it reports that once).
     */
    boolean addTokenId(final long tokenId)
    {
        final int capacity = tokenIds.capacity();
        if (tokenIds.size() == capacity)
        {
            // Agrona's own step (by half, from 10), asked for exactly so that what is charged is what is allocated.
            final int grown = capacity < LongArrayList.INITIAL_CAPACITY ? LongArrayList.INITIAL_CAPACITY : capacity + (capacity >> 1);
            if (budget != null && !budget.grow(8L * (grown - capacity), "token ids"))
            {
                return false;
            }
            tokenIds.ensureCapacity(grown);
        }
        tokenIds.addLong(tokenId);
        return true;
    }

    /** Counts a token id the listener heard and the result does not keep. */
    void dropTokenId()
    {
        droppedTokenIds++;
    }

    public void finished(final boolean value)
    {
        finished = value;
    }

    @Override
    public String toString()
    {
        return "MutableChoice{index=" + index + ", finish=" + finishReason + ", parts=" + parts + '}';
    }

    /** Becomes an independent copy of {@code other}, parts included. */
    public void copyFrom(final MutableChoice other)
    {
        init(other.index);
        role.copyFrom(other.role);
        finishReason.copyFrom(other.finishReason);
        for (int i = 0; i < other.parts.size(); i++)
        {
            final MutablePart p = new MutablePart();
            p.copyFrom(other.parts.get(i));
            parts.add(p);
            last = p;
        }
        tokenIds.addAll(other.tokenIds);
        contentLogprobs.copyFrom(other.contentLogprobs);
        refusalLogprobs.copyFrom(other.refusalLogprobs);
        extra.copyFrom(other.extra);
        messageExtra.copyFrom(other.messageExtra);
        logprobsExtra.copyFrom(other.logprobsExtra);
        finished = other.finished;
        logprobs = other.logprobs;
        typedContent = other.typedContent;
        droppedTokenIds = other.droppedTokenIds;
        toolCalls = other.toolCalls;
        stopReasons = other.stopReasons;
    }
}
