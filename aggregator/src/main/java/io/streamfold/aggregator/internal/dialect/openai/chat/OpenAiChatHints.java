package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises a chat.completion.chunk stream: its {@code object}, or a top-level {@code choices}. */
public final class OpenAiChatHints implements FormatHints
{
    public static final OpenAiChatHints INSTANCE = new OpenAiChatHints();

    private OpenAiChatHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.OPENAI_CHAT;
    }

    @Override
    public boolean namesObject(final String object)
    {
        return "chat.completion.chunk".equals(object);
    }

    @Override
    public boolean hasKey(final String key)
    {
        return "choices".equals(key);
    }
}
