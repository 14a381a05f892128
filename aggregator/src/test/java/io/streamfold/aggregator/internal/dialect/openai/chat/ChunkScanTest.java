package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
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
    void toolCallChunksAreReadScanFirst()
    {
        final String envelope = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,";
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            envelope + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\"," +
                "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}",
            envelope + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}",
            envelope + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}",
            envelope + "\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
            envelope + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}", "[DONE]")));
        a.end();

        // The first chunk, each call's first fragment and the finish chunk; the second fragment of call_1 is learnt
        // from the first, and the third repeats it.
        assertEquals(4, dialect(a).scannedChunks());
        final Choice c = a.result().choice(0);
        final java.util.List<Part> calls = c.toolCalls();
        assertEquals(2, calls.size());
        assertEquals("call_1", calls.get(0).id().toString());
        assertEquals("get_weather", calls.get(0).name().toString());
        assertEquals("{\"city\":\"Paris\"}", calls.get(0).text().toString());
        assertEquals("call_2", calls.get(1).id().toString());
        assertEquals("get_time", calls.get(1).name().toString());
        assertEquals("{}", calls.get(1).text().toString());
        assertEquals("tool_calls", c.finishReason().toString());
    }

    /** Qwen (DashScope) sends each choice's delta before its index. */
    @Test
    void aDeltaBeforeItsIndexIsReadScanFirstAndItsRepeatsFoldOnTheTemplate()
    {
        final String tail = ",\"object\":\"chat.completion.chunk\",\"usage\":null,\"created\":1,\"model\":\"qwen3-max\",\"id\":\"c\"}";
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}],\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0," +
                "\"logprobs\":null}]" + tail,
            "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\"," +
                "\"function\":{\"arguments\":\"{\\\"location\\\": \\\"San\"}}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail,
            "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\"," +
                "\"function\":{\"arguments\":\" Francisco\\\"}\"}}]},\"finish_reason\":null,\"index\":0,\"logprobs\":null}]" + tail,
            "{\"choices\":[{\"finish_reason\":\"tool_calls\",\"delta\":{},\"index\":0,\"logprobs\":null}]" + tail, "[DONE]")));
        a.end();

        assertEquals(3, dialect(a).scannedChunks());
        assertEquals(1, dialect(a).fastFolds());
        final Part call = a.result().choice(0).toolCalls().get(0);
        assertEquals("call_1", call.id().toString());
        assertEquals("{\"location\": \"San Francisco\"}", call.text().toString());
        assertEquals("tool_calls", a.result().choice(0).finishReason().toString());
    }

    /**
     * A call that reuses the index of one before it (a new id): the fragments after it continue the new call, on the
     * template learnt from the old call's fragments as on the full path.
     */
    @Test
    void fragmentsAfterACallThatReusesAnIndexContinueTheNewCall()
    {
        final String head = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,";
        final String tail = "}]},\"finish_reason\":null}]}";
        for (final String type : new String[] {"", "\"type\":\"function\","})
        {
            final byte[] stream = ChatFeeding.utf8(ChatFeeding.sse(
                head + "\"id\":\"A\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}" + tail,
                head + type + "\"function\":{\"arguments\":\"x\"}" + tail,
                head + type + "\"function\":{\"arguments\":\"y\"}" + tail,
                head + "\"id\":\"B\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}" + tail,
                head + type + "\"function\":{\"arguments\":\"z\"}" + tail,
                "[DONE]"));
            for (long seed = 0; seed < 8; seed++)
            {
                FastPathRun.assertSame(FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, seed, false),
                    FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, seed, true), type + seed);
            }
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, stream);
            a.end();
            assertEquals("xy", a.result().choice(0).toolCalls().get(0).text().toString());
            assertEquals("z", a.result().choice(0).toolCalls().get(1).text().toString());
        }
    }

    /** vLLM with {@code return_token_ids}: the choice's token ids beside its delta. */
    @Test
    void aChoicesTokenIdsAreReadScanFirst()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"token_ids\":[13225,0]}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"token_ids\":[ 0 ],\"finish_reason\":\"stop\"}]}",
            "[DONE]")));
        a.end();

        assertEquals(2, dialect(a).scannedChunks());
        assertArrayEquals(new long[] {13225, 0, 0}, a.result().choice(0).tokenIds());
        assertEquals("Hi!", a.result().choice(0).joined(Part.Kind.TEXT));
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

    /** OpenRouter's reasoning chunks carry reasoning_details, a delta field the dialect keeps without knowing it. */
    @Test
    void unknownDeltaFieldsAreReadScanFirst()
    {
        final String head = "{\"id\":\"gen-1\",\"provider\":\"Google\",\"model\":\"m\",\"object\":\"chat.completion.chunk\"," +
            "\"created\":1765226419,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",";
        final String tail = "},\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}";
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(
            head + "\"reasoning\":null,\"reasoning_details\":[]" + tail,
            head + "\"reasoning\":\"This\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"This\",\"index\":0}]" + tail,
            head + "\"reasoning\":\" is\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\" is\",\"index\":0}]," +
                "\"note\":\"a\\u00e9\"" + tail,
            head + "\"reasoning\":null,\"note\":\"b\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"signature\":\"sig\",\"index\":0}]" +
                tail,
            "[DONE]")));
        a.end();

        assertEquals(4, dialect(a).scannedChunks());
        final Choice c = a.result().choice(0);
        assertEquals("This is", c.joined(Part.Kind.REASONING));
        // Strings joined; an indexed list's pieces merged into the entry they name, members in first-seen order.
        assertEquals("[{\"type\":\"reasoning.text\",\"text\":\"This is\",\"index\":0,\"signature\":\"sig\"}]",
            c.messageExtra().json("reasoning_details"));
        assertEquals("\"a\u00e9b\"", c.messageExtra().json("note"));
    }

    private static OpenAiChatDialect dialect(final StreamAggregator a)
    {
        return (OpenAiChatDialect)AggregatorInternals.dialect(a);
    }
}
