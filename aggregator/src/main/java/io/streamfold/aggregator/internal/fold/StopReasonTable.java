package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.model.StopReason;

/**
 * One provider's finish / stop words and the normalized {@link StopReason} each means. Each dialect's package
 * declares its table; this is the one lookup every dialect shares. Words compare ignoring ASCII case, so
 * Gemini's {@code STOP} and Ollama's {@code stop} need no second entry, and a lookup allocates nothing.
 */
public final class StopReasonTable
{
    private final String[] words;
    private final StopReason[] reasons;
    private final boolean completeWithToolCallsMeansToolCalls;

    /**
     * @param completeWithToolCallsMeansToolCalls true for a provider whose COMPLETE word also ends a turn that
     *                                            asks for tool calls (Gemini, Ollama, Responses and some
     *                                            OpenAI-compatible servers say {@code stop} then); false where a
     *                                            COMPLETE word with tool calls means the calls ran on the server
     *                                            (Anthropic {@code end_turn} after server tools).
     * @param pairs                               word, reason, word, reason...
     */
    public StopReasonTable(final boolean completeWithToolCallsMeansToolCalls, final Object... pairs)
    {
        this.completeWithToolCallsMeansToolCalls = completeWithToolCallsMeansToolCalls;
        words = new String[pairs.length / 2];
        reasons = new StopReason[pairs.length / 2];
        for (int i = 0; i < words.length; i++)
        {
            words[i] = (String)pairs[2 * i];
            reasons[i] = (StopReason)pairs[2 * i + 1];
        }
    }

    /**
     * @param word        the provider's word; empty while the choice is unfinished.
     * @param hasToolCall true when the choice holds a tool call.
     * @return the normalized reason: IN_PROGRESS for an empty word, OTHER for an unknown one.
     */
    public StopReason map(final CharSequence word, final boolean hasToolCall)
    {
        if (word.length() == 0)
        {
            return StopReason.IN_PROGRESS;
        }
        for (int i = 0; i < words.length; i++)
        {
            if (equalsIgnoreAsciiCase(words[i], word))
            {
                final StopReason r = reasons[i];
                return r == StopReason.COMPLETE && hasToolCall && completeWithToolCallsMeansToolCalls ?
                    StopReason.TOOL_CALLS : r;
            }
        }
        return StopReason.OTHER;
    }

    /** @return the provider words in declaration order (for documentation and tests). */
    public String[] words()
    {
        return words.clone();
    }

    private static boolean equalsIgnoreAsciiCase(final String a, final CharSequence b)
    {
        if (a.length() != b.length())
        {
            return false;
        }
        for (int i = 0; i < a.length(); i++)
        {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x >= 'A' && x <= 'Z')
            {
                x += 'a' - 'A';
            }
            if (y >= 'A' && y <= 'Z')
            {
                y += 'a' - 'A';
            }
            if (x != y)
            {
                return false;
            }
        }
        return true;
    }
}
