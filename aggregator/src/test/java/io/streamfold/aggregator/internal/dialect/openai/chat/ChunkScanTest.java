package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which reader reads a chunk the template does not fold: the shapes {@link ChunkScan} reads are read by it (whose
 * results {@link ChunkScanProperties} proves equal to the token reader's), the others by the token reader.
 */
class ChunkScanTest
{
    /** Together's chunks (the seed's shape): a token id in every delta, the token again as the choice's text. */
    private static final String TOGETHER_FIRST = "{\"id\":\"o1\",\"object\":\"chat.completion.chunk\",\"created\":1769546683," +
        "\"choices\":[{\"index\":0,\"text\":\"<think>\",\"logprobs\":null,\"finish_reason\":null,\"seed\":null," +
        "\"delta\":{\"token_id\":128798,\"role\":\"assistant\",\"content\":\"<think>\"}}],\"model\":\"m\",\"usage\":null}";
    private static final String TOGETHER_LAST = "{\"id\":\"o1\",\"object\":\"chat.completion.chunk\",\"created\":1769546683," +
        "\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"stop\",\"seed\":7228414683750928000," +
        "\"delta\":{\"token_id\":-1,\"role\":\"assistant\",\"content\":\"\"}}],\"model\":\"m\"," +
        "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";

    @Test
    void togetherChunksWithTokenIdsAreReadScanFirst()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(TOGETHER_FIRST, TOGETHER_LAST, "[DONE]")));
        a.end();

        assertEquals(2, dialect(a).scannedChunks());
        final Choice c = a.result().choice(0);
        // The choice-level text beside a delta is a copy, not content.
        assertEquals("<think>", c.joined(Part.Kind.TEXT));
        assertArrayEquals(new long[] {128798, -1}, c.tokenIds());
        assertEquals("stop", c.finishReason().toString());
        assertEquals(12, a.result().usage().totalTokens());
    }

    @Test
    void aChoiceTextWithoutADeltaIsLeftToTheTokenReader()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            "{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"Hi\",\"finish_reason\":null}]}", "[DONE]")));
        a.end();

        assertEquals(0, dialect(a).scannedChunks());
        assertEquals("Hi", a.result().choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void aTokenIdTheScanCannotReadExactlyIsLeftToTheTokenReader()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"token_id\":1234567890123456789,\"content\":\"x\"}}]}", "[DONE]")));
        a.end();

        assertEquals(0, dialect(a).scannedChunks());
        assertArrayEquals(new long[] {1234567890123456789L}, a.result().choice(0).tokenIds());
    }

    private static OpenAiChatDialect dialect(final StreamAggregator a)
    {
        return (OpenAiChatDialect)AggregatorInternals.dialect(a);
    }
}
