package io.streamfold.aggregator.internal.dialect.ollama;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.RawFields;
import io.streamfold.parser.ErrorKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OllamaDialectTest
{
    private static Aggregate run(final String body, final boolean strict)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.OLLAMA).strict(strict).build();
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        GeminiTesting.assertNoInternalError(a.result());
        return a.result();
    }

    @Test
    void linesOfOneShapeFoldWithoutParsingAndAllocateNothingOnceWarm()
    {
        // Each line has its own timestamp, of changing width as Ollama writes it.
        final StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            body.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:15:").append(10 + i % 50).append('.')
                .append(i % 7 == 0 ? "12" : "123456789".substring(0, 1 + i % 9)).append("Z\",\"message\":{\"role\":\"assistant\",")
                .append("\"content\":\"tok").append(i % 10).append(" \"},\"done\":false}\n");
        }
        body.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:16:00.5Z\",\"message\":{\"role\":\"assistant\",")
            .append("\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":26,\"eval_count\":2000}\n");
        final byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        final StreamAggregator a = StreamAggregator.create(Format.OLLAMA);
        final long allocated = AllocationCounter.start().warmFeed(a, bytes, 3, () -> { });
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        // Four folds of the stream: all but each stream's first line and its done line went without parsing.
        assertEquals(4 * 1999, AggregatorInternals.dialect(a).fastFolds());
        assertEquals("2025-10-26T17:16:00.5Z", a.result().meta().get("created_at").text().toString());
        // 2,000 lines: a per-line object of even 16 bytes would pass 32 KiB.
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for 2000 lines");
    }

    @Test
    void chatWithThinkingAndToolCallIdsAndIndex()
    {
        final Aggregate a = run(
            "{\"model\":\"qwen3\",\"created_at\":\"t1\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Let me\"},\"done\":false}\n" +
            "{\"model\":\"qwen3\",\"created_at\":\"t2\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\" think.\"},\"done\":false}\n" +
            "{\"model\":\"qwen3\",\"created_at\":\"t3\",\"message\":{\"role\":\"assistant\",\"content\":\"Sure\"," +
            "\"tool_calls\":[{\"id\":\"call_1\",\"function\":{\"index\":0,\"name\":\"get\",\"arguments\":{\"q\":[1,2]}}}]},\"done\":false}\n" +
            "{\"model\":\"qwen3\",\"created_at\":\"t4\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"," +
            "\"prompt_eval_count\":3,\"eval_count\":4}\n", false);
        final Choice c = a.choice(0);
        assertEquals("Let me think.", c.joined(Part.Kind.REASONING));
        assertEquals("Sure", c.joined(Part.Kind.TEXT));
        assertEquals("call_1", c.toolCalls().get(0).id().toString());
        assertEquals(0, c.toolCalls().get(0).wireIndex());
        assertEquals("{\"q\":[1,2]}", c.toolCalls().get(0).text().toString());
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(7, a.usage().totalTokens());
        assertEquals("{\"model\":\"qwen3\",\"created_at\":\"t4\",\"message\":{\"role\":\"assistant\",\"content\":\"Sure\",\"thinking\":\"Let me think.\"," +
            "\"tool_calls\":[{\"id\":\"call_1\",\"function\":{\"index\":0,\"name\":\"get\",\"arguments\":{\"q\":[1,2]}}}]}," +
            "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":4}", a.toJson());
    }

    @Test
    void generateWithThinking()
    {
        final Aggregate a = run(
            "{\"model\":\"m\",\"response\":\"\",\"thinking\":\"hmm\",\"done\":false}\n" +
            "{\"model\":\"m\",\"response\":\"Yes\",\"done\":false}\n" +
            "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"done_reason\":\"length\",\"context\":[1,2]}", false);
        assertEquals("{\"model\":\"m\",\"response\":\"Yes\",\"thinking\":\"hmm\",\"done\":true,\"done_reason\":\"length\",\"context\":[1,2]}", a.toJson());
        assertTrue(a.toNormalizedJson().contains("\"finish_reason\":\"length\""));
    }

    @Test
    void endWithoutDoneIsTruncated()
    {
        final Aggregate a = run("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n", false);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals("Hi", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(ErrorKind.TRUNCATED, a.errors().get(0).kind());
        assertTrue(a.toJson().contains("\"done\":false"));
    }

    @Test
    void countsOfALineCutBeforeItsEndAreNotKept()
    {
        // Found by StreamProperties (fuzz): the counts were merged while the line was read, so a malformed line left them behind.
        final Aggregate a = run(
            "{\"model\":\"m\",\"response\":\"Hi\",\"eval_count\":2,\"done\":false}\n" +
            "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"total_duration\":9,\"eval_count\":5,\"prompt_eval_count\":", false);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
        assertEquals("{\"eval_count\":2}", usageJson(a));
        assertEquals("Hi", a.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void twoLinesRunTogetherKeepTheFirst()
    {
        // Found by StreamProperties (fuzz): a lost newline joins two whole objects on one line; the first is
        // intact and is kept, the text trailing it is the one reported error.
        final Aggregate a = run(
            "{\"model\":\"m\",\"response\":\"Hi\",\"done\":false}\n" +
            "{\"model\":\"m\",\"response\":\" there\",\"done\":false}" +
            "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"eval_count\":3}\n", false);
        assertEquals("Hi there", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
        assertEquals(Outcome.TRUNCATED, a.outcome());
    }

    @Test
    void aNullCountKeepsTheOneBefore()
    {
        final Aggregate a = run(
            "{\"model\":\"m\",\"response\":\"Hi\",\"eval_count\":2,\"done\":false}\n" +
            "{\"model\":\"m\",\"response\":\"\",\"done\":true,\"eval_count\":null,\"prompt_eval_count\":1}\n", false);
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("{\"eval_count\":2,\"prompt_eval_count\":1}", usageJson(a));
    }

    private static String usageJson(final Aggregate a)
    {
        final StringBuilder sb = new StringBuilder("{");
        final RawFields f = a.usage().fields();
        for (int i = 0; i < f.size(); i++)
        {
            sb.append(i > 0 ? "," : "").append('"').append(f.name(i)).append("\":").append(f.value(i).json());
        }
        return sb.append('}').toString();
    }

    @Test
    void errorLineEndsWithError()
    {
        final Aggregate a = run("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n" +
            "{\"error\":\"model runner has unexpectedly stopped\"}\n" +
            "{\"model\":\"m\",\"message\":{\"content\":\" more\"},\"done\":true}\n", false);
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("Hi", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals("model runner has unexpectedly stopped", a.providerError().text().toString());
        assertEquals(ErrorKind.PROVIDER_ERROR, a.errors().get(0).kind());
    }

    @Test
    void malformedLineSkippedWhenLenientFatalWhenStrict()
    {
        final String body = "{\"message\":{\"content\":\"a\"},\"done\":false}\n" +
            "{\"message\":{\"content\":\"b\"},\"done\":fals\n" +
            "not json at all\n" +
            "{\"message\":{\"content\":\"c\"},\"done\":true,\"done_reason\":\"stop\"}\n";
        final Aggregate lenient = run(body, false);
        assertEquals(Outcome.COMPLETE, lenient.outcome());
        assertEquals("ac", lenient.choice(0).joined(Part.Kind.TEXT));
        assertEquals(2, lenient.errors().size());
        assertEquals(ErrorKind.MALFORMED_JSON, lenient.errors().get(0).kind());
        final Aggregate strict = run(body, true);
        assertEquals(Outcome.ERROR, strict.outcome());
        assertEquals("a", strict.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void absurdToolIndexIsALimit()
    {
        final Aggregate a = run("{\"message\":{\"tool_calls\":[{\"function\":{\"index\":2147483647,\"name\":\"x\",\"arguments\":{}}}," +
            "{\"function\":{\"index\":1,\"name\":\"y\",\"arguments\":{}}}]},\"done\":true}\n", false);
        assertEquals(ErrorKind.LIMIT_EXCEEDED, a.errors().get(0).kind());
        assertEquals(1, a.choice(0).toolCalls().size());
        assertEquals("y", a.choice(0).toolCalls().get(0).name().toString());
    }
}
