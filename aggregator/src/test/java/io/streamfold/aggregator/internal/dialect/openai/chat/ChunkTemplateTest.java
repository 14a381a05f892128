package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.file.Path;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatDialect;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The repeated-prefix fast path is actually taken on the streams it is for, and gives their text. */
class ChunkTemplateTest
{
    @Test
    void takenOnARecordedOpenAiStreamWithVaryingObfuscation()
    {
        final Path file = SharedFiles.require().resolve("corpus/openai-chat/openai-gpt41nano-text-long.sse");
        final byte[] bytes = SharedFiles.read(file);
        final Run fast = run(bytes, true);
        final Run full = run(bytes, false);
        // Events: role chunk, content chunks, finish, usage, [DONE]. The first content chunk teaches the template;
        // every later one differs only in its text and its obfuscation padding (some of it empty).
        assertEquals(bytesEvents(bytes) - 5, fast.folds, "fast folds");
        assertEquals(0, full.folds);
        assertEquals(full.json, fast.json);
        assertEquals(Outcome.COMPLETE, fast.outcome);
    }

    @Test
    void takenOnTextWithEscapesAndMultiByteCharacters()
    {
        final String head = "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0," +
            "\"delta\":{\"content\":";
        final String tail = "},\"logprobs\":null,\"finish_reason\":null}]}";
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse(
            head + "\"a\"" + tail,
            head + "\"\\n\\\"é\\u00e9\"" + tail,
            head + "\"東京😀\\ud83d\\ude00\"" + tail,
            head + "\"\\/\\b\\f\\r\\t\\\\\"" + tail,
            "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "[DONE]"));
        final Run fast = run(bytes, true);
        assertEquals(3, fast.folds);
        assertEquals("a\n\"éé東京😀😀/\b\f\r\t\\", fast.text);
        assertEquals(run(bytes, false).json, fast.json);
    }

    @Test
    void takenOnToolCallArgumentFragmentsNamedByIndex()
    {
        final String head = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":";
        final String tail = "}}]},\"finish_reason\":null}]}";
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse(
            head + "0,\"id\":\"c0\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"" + tail,
            head + "0,\"function\":{\"arguments\":\"{\\\"a\"" + tail,
            head + "0,\"function\":{\"arguments\":\"\\\":1\"" + tail,
            head + "0,\"function\":{\"arguments\":\"}\"" + tail,
            head + "1,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"\"" + tail,
            head + "1,\"function\":{\"arguments\":\"[\"" + tail,
            head + "1,\"function\":{\"arguments\":\"]\"" + tail,
            "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
            "[DONE]"));
        final Run fast = run(bytes, true);
        final Run full = run(bytes, false);
        // The first fragment of each call (a bare one after the call's opening chunk) teaches the template.
        assertEquals(3, fast.folds);
        assertEquals(full.json, fast.json);
        assertTrue(fast.json.contains("\"arguments\":\"{\\\"a\\\":1}\""), fast.json);
        assertTrue(fast.json.contains("\"arguments\":\"[]\""), fast.json);
    }

    @Test
    void notTakenWhenTheChunkAfterTheTemplateDiffersOutsideTheText()
    {
        final String head = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":";
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse(
            head + "\"a\"},\"finish_reason\":null}]}",
            head + "\"b\"},\"finish_reason\":\"stop\"}]}",
            "[DONE]"));
        final Run fast = run(bytes, true);
        assertEquals(0, fast.folds);
        assertEquals("ab", fast.text);
        assertEquals("stop", fast.finish);
    }

    /**
     * Chunks whose varying part is more than one string: Together's token ids (text repeated at choice level),
     * per-token logprob entries, reasoning, vLLM token-id fields, three choices sent in turn. Nearly every chunk is
     * folded, identically.
     */
    @ParameterizedTest
    @CsvSource({
        "together-deepseek-r1-token-ids-think-tags, 0.99", "hf-tgi-openhermes-logprobs-data-no-space, 0.98",
        "deepseek-reasoner-reasoning-content, 0.95", "zai-glm-reasoning-content, 0.96",
        "crusoe-llama33-vllm-token-id-fields, 0.5", "openai-gpt4o-n3-multiple-choices, 0.75"})
    void takenOnRicherChunks(final String name, final double share)
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/openai-chat/" + name + ".sse"));
        for (int seed = 0; seed < 3; seed++)
        {
            final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, seed == 2, seed, false);
            final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, seed == 2, seed, true);
            FastPathRun.assertSame(full, fast, name);
            assertTrue(fast.folds >= share * bytesEvents(bytes), name + ": " + fast.folds + " of " + bytesEvents(bytes));
        }
    }

    @Test
    void togetherChunksKeepEveryTokenIdInOrder()
    {
        final StringBuilder ids = new StringBuilder();
        final String[] chunks = new String[52];
        for (int i = 0; i < 50; i++)
        {
            chunks[i] = "{\"id\":\"o\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[{\"index\":0,\"text\":\"w" + i +
                "\",\"logprobs\":null,\"finish_reason\":null,\"seed\":null,\"delta\":{\"token_id\":" + (1000 + i * 7) +
                ",\"role\":\"assistant\",\"content\":\"w" + i + "\"}}],\"model\":\"m\",\"usage\":null}";
            ids.append(i == 0 ? "" : ",").append(1000 + i * 7);
        }
        chunks[50] = "{\"id\":\"o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
        chunks[51] = "[DONE]";
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse(chunks));
        final Run fast = run(bytes, true);
        assertEquals(49, fast.folds);
        assertEquals(run(bytes, false).json, fast.json);
        assertTrue(fast.json.contains("[" + ids + "]"), fast.json);
    }

    /**
     * n > 1: the choices' chunks come in turn, each the learnt chunk but for its index; each folds into its own choice
     * on the one template. A chunk for a choice not seen yet is left to the full path (which adds the choice), and an
     * index of another length folds as well.
     */
    @Test
    void takenOnChoicesSentInTurn()
    {
        final java.util.List<String> chunks = new java.util.ArrayList<>();
        final String head = "{\"id\":\"n\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":";
        final String tail = "\"},\"logprobs\":null,\"finish_reason\":null}]}";
        for (int c = 0; c < 2; c++)
        {
            chunks.add(head + c + ",\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}");
        }
        for (int i = 0; i < 10; i++)
        {
            chunks.add(head + "0,\"delta\":{\"content\":\"a" + i + tail);
            chunks.add(head + "1,\"delta\":{\"content\":\"b" + i + tail);
        }
        chunks.add(head + "12,\"delta\":{\"content\":\"c" + tail);
        chunks.add(head + "12,\"delta\":{\"content\":\"d" + tail);
        chunks.add(head + "0,\"delta\":{\"content\":\"!" + tail);
        chunks.add(head + "1,\"delta\":{\"content\":\"?" + tail);
        for (final int c : new int[] {0, 1, 12})
        {
            chunks.add("{\"id\":\"n\",\"choices\":[{\"index\":" + c + ",\"delta\":{},\"finish_reason\":\"stop\"}]}");
        }
        chunks.add("[DONE]");
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse(chunks.toArray(new String[0])));
        final Run fast = run(bytes, true);
        final Run full = run(bytes, false);
        assertEquals(full.json, fast.json);
        final StreamAggregator a = StreamAggregator.create(Format.OPENAI_CHAT);
        ChatFeeding.feedRandomSlices(a, bytes, 3);
        a.end();
        assertEquals("a0a1a2a3a4a5a6a7a8a9!", a.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals("b0b1b2b3b4b5b6b7b8b9?", a.result().choice(1).joined(Part.Kind.TEXT));
        assertEquals("cd", a.result().choice(12).joined(Part.Kind.TEXT));
        // Read in full: the two role chunks, the first text chunk (learnt), choice 12's first chunk (its choice is new),
        // the finish chunks. Every other text chunk folds, whichever choice it is for.
        assertEquals(19 + 1 + 2, fast.folds);
    }

    private static long bytesEvents(final byte[] bytes)
    {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("data:")).count();
    }

    private static final class Run
    {
        long folds;
        String json;
        String text;
        String finish;
        Outcome outcome;
    }

    private static Run run(final byte[] bytes, final boolean fastPath)
    {
        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        final OpenAiChatDialect dialect = (OpenAiChatDialect)AggregatorInternals.dialect(aggregator);
        dialect.fastPath(fastPath);
        ChatFeeding.feedRandomSlices(aggregator, bytes, 5);
        aggregator.end();
        final Run run = new Run();
        run.folds = dialect.fastFolds();
        run.json = aggregator.result().toJson();
        run.text = aggregator.result().choice(0).joined(Part.Kind.TEXT);
        run.finish = aggregator.result().choice(0).finishReason().toString();
        run.outcome = aggregator.result().outcome();
        return run;
    }
}
