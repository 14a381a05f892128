package io.streamfold.aggregator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import org.agrona.collections.LongArrayList;

/**
 * One choice (OpenAI {@code n}, Gemini candidate; a single choice 0 for providers without them), folded
 * from every chunk that named its index. Parts keep the order the stream produced them in.
 */
public final class Choice
{
    private long index;
    private final TextBuffer role = new TextBuffer();
    private final TextBuffer finishReason = new TextBuffer();
    private final ArrayList<Part> parts = new ArrayList<>();
    private final ArrayList<Part> spare = new ArrayList<>();
    private final LongArrayList tokenIds = new LongArrayList();
    private final RawList contentLogprobs = new RawList();
    private final RawList refusalLogprobs = new RawList();
    private final RawFields extra = new RawFields();
    private final DeltaFields messageExtra = new DeltaFields();
    private boolean finished;
    private boolean logprobs;
    private int toolCalls;

    Choice()
    {
    }

    void init(final long index)
    {
        this.index = index;
        role.clear();
        finishReason.clear();
        spare.addAll(parts);
        parts.clear();
        tokenIds.clear();
        contentLogprobs.clear();
        refusalLogprobs.clear();
        extra.clear();
        messageExtra.clear();
        finished = false;
        logprobs = false;
        toolCalls = 0;
    }

    /** @return the provider's index of this choice. */
    public long index()
    {
        return index;
    }

    /** @return the role ({@code assistant}, {@code model}), possibly empty. */
    public TextBuffer role()
    {
        return role;
    }

    /** @return the provider's own finish / stop reason, empty while unfinished. */
    public TextBuffer finishReason()
    {
        return finishReason;
    }

    /**
     * Maps any provider's finish reason to the shared vocabulary of the normalized view, for gateways that
     * account responses folded elsewhere (a non-streaming JSON body) the same way as streams.
     *
     * @param reason      the provider's own reason.
     * @param hasToolCall true when the choice ended with tool calls (Gemini and Ollama say STOP then).
     * @return one of stop, length, tool_calls, content_filter, error, other.
     */
    public static String normalizeFinishReason(final String reason, final boolean hasToolCall)
    {
        return NormalizedWriter.finishReason(reason, hasToolCall);
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

    /** @return number of token ids. */
    public int tokenIdCount()
    {
        return tokenIds.size();
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

    void logprobsSeen()
    {
        logprobs = true;
    }

    /** @return logprob entries of the content, as the provider sent them. */
    public RawList contentLogprobs()
    {
        return contentLogprobs;
    }

    /** @return logprob entries of the refusal, as the provider sent them. */
    public RawList refusalLogprobs()
    {
        return refusalLogprobs;
    }

    /** @return choice-level fields kept raw (content filter results, stop_reason, safety ratings...). */
    public RawFields extra()
    {
        return extra;
    }

    /** @return message-level fields the dialect does not interpret, folded from deltas (reasoning details...). */
    public DeltaFields messageExtra()
    {
        return messageExtra;
    }

    /** @return all text of parts of {@code kind}, joined in arrival order (allocates). */
    public String joined(final Part.Kind kind)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Part p : parts)
        {
            if (p.kind() == kind)
            {
                sb.append(p.text());
            }
        }
        return sb.toString();
    }

    /** @return true when some part of {@code kind} exists. */
    public boolean has(final Part.Kind kind)
    {
        for (final Part p : parts)
        {
            if (p.kind() == kind)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the tool-call parts, ordered by the provider's index then arrival (allocates). */
    public List<Part> toolCalls()
    {
        final List<Part> calls = new ArrayList<>();
        for (final Part p : parts)
        {
            if (p.kind() == Part.Kind.TOOL_CALL)
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
    void writeTokenIds(final JsonGenerator g) throws IOException
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

    int partCount()
    {
        return parts.size();
    }

    Part part(final int i)
    {
        return parts.get(i);
    }

    Part lastPart()
    {
        return parts.isEmpty() ? null : parts.get(parts.size() - 1);
    }

    Part addPart(final Part.Kind kind, final long wireIndex)
    {
        final Part p = spare.isEmpty() ? new Part() : spare.remove(spare.size() - 1);
        p.init(kind, wireIndex, kind == Part.Kind.TOOL_CALL ? toolCalls++ : parts.size());
        parts.add(p);
        return p;
    }

    LongArrayList tokenIdList()
    {
        return tokenIds;
    }

    void finished(final boolean value)
    {
        finished = value;
    }

    @Override
    public String toString()
    {
        return "Choice{index=" + index + ", finish=" + finishReason + ", parts=" + parts + '}';
    }
}
