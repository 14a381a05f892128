package io.streamfold.aggregator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-result limits: a stream that keeps starting new parts is bounded as one long part is. */
class ResultLimitTest
{
    /** The README's worst case for one aggregator under the default limits, in MiB (see "Memory for one result"). */
    static final int WORST_CASE_MIB = 56;

    private static String event(final String data)
    {
        return "data: " + data + "\n\n";
    }

    /** Anthropic blocks alternating text and thinking, each {@code chars} characters. */
    private static String alternating(final int blocks, final int chars)
    {
        final StringBuilder sb = new StringBuilder(event("{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\"," +
            "\"role\":\"assistant\",\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}"));
        for (int b = 0; b < blocks; b++)
        {
            final boolean thinking = b % 2 == 1;
            final String text = String.valueOf((char)('a' + b % 26)).repeat(chars);
            sb.append(event("{\"type\":\"content_block_start\",\"index\":" + b + ",\"content_block\":{\"type\":\"" +
                (thinking ? "thinking\",\"thinking\":\"\"" : "text\",\"text\":\"\"") + "}}"));
            sb.append(event("{\"type\":\"content_block_delta\",\"index\":" + b + ",\"delta\":{\"type\":\"" +
                (thinking ? "thinking_delta\",\"thinking\":\"" : "text_delta\",\"text\":\"") + text + "\"}}"));
            sb.append(event("{\"type\":\"content_block_stop\",\"index\":" + b + "}"));
        }
        sb.append(event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}"));
        return sb.append(event("{\"type\":\"message_stop\"}")).toString();
    }

    private static Aggregate fold(final String sse, final AggregationLimits limits)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.ANTHROPIC).limits(limits).build();
        final byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    private static long kept(final Aggregate a)
    {
        return a.choice(0).parts().stream().mapToLong(p -> p.text().length()).sum();
    }

    @Test
    void alternatingPartsStopAtTheResultLimitKeepingEverythingBefore()
    {
        final Aggregate a = fold(alternating(40, 100), AggregationLimits.builder().maxResultChars(1050).build());
        final List<StreamError> limitErrors = a.errors().stream().filter(e -> e.kind() == ErrorKind.LIMIT_EXCEEDED)
            .collect(java.util.stream.Collectors.toList());
        assertEquals(1, limitErrors.size(), a.errors()::toString);
        assertTrue(limitErrors.get(0).message().contains("maxResultChars 1050"), limitErrors.get(0).message());
        assertEquals(1050, kept(a));
        // The first ten blocks whole, the eleventh cut and marked so; later ones refused.
        assertEquals("a".repeat(100), a.choice(0).parts().get(0).text().toString());
        final Part cut = a.choice(0).parts().get(10);
        assertEquals("k".repeat(50), cut.text().toString());
        assertFalse(cut.isComplete());
        assertTrue(cut.incompleteReason().contains("result's limit"), cut.incompleteReason());
        // The same kind of error and outcome as one part past maxTextChars.
        final Aggregate onePart = fold(alternating(1, 2000), AggregationLimits.builder().maxTextChars(1050).build());
        assertEquals(onePart.outcome(), a.outcome());
        assertEquals(onePart.verdict().reason(), a.verdict().reason());
    }

    @Test
    void partsAndChoicesAreChargedAgainstTheResultBytes()
    {
        final Aggregate a = fold(alternating(40, 10), AggregationLimits.builder().maxResultBytes(8 * AggregationLimits.PART_BYTES).build());
        // One choice and six parts fit: the metadata and usage fields take the rest.
        assertEquals(6, a.choice(0).parts().size());
        assertEquals(1, a.errors().stream().filter(e -> e.kind() == ErrorKind.LIMIT_EXCEEDED).count(), a.errors()::toString);
    }

    @Test
    void theBuilderValidatesTheResultLimits()
    {
        assertThrows(IllegalArgumentException.class, () -> AggregationLimits.builder().maxResultChars(0));
        assertThrows(IllegalArgumentException.class, () -> AggregationLimits.builder().maxResultBytes(AggregationLimits.PART_BYTES - 1));
        assertEquals(8L << 20, AggregationLimits.DEFAULT.maxResultChars());
        assertEquals(8L << 20, AggregationLimits.DEFAULT.maxResultBytes());
    }

    private static String runForked(final String... args) throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx" + (WORST_CASE_MIB + 8) + "m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), AdversarialPartsMain.class.getName()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("the forked JVM took more than 30 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void theDefaultLimitsHoldUnderAHeapJustAboveTheReadmeWorstCase() throws Exception
    {
        final String bounded = runForked();
        assertTrue(bounded.startsWith("LIMIT " + (8 << 20) + " "), bounded);
        // The same stream without the whole-result limits runs out of that heap: the limit is what holds it.
        assertEquals("OOM", runForked("unbounded"));
    }

    @ParameterizedTest
    @CsvSource({"tokens, token ids", "raw, a kept string", "deltas, a kept string"})
    void tokenIdsRawFieldsAndDeltaFieldsStopAtTheResultBytesUnderTheSameHeap(final String kind, final String charged)
        throws Exception
    {
        // Distinct token ids, large unknown fields of many choices, an unknown delta type's growing string.
        final String bounded = runForked(kind);
        assertTrue(bounded.startsWith("LIMIT result larger than its limits") && bounded.contains(charged), bounded);
        assertEquals("OOM", runForked(kind, "unbounded"));
    }

    @Test
    void aFieldReplacedInEveryChunkIsChargedOnce()
    {
        // 2,000 chunks each replacing the same 8 Ki-character metadata value: 32 MiB if every capture were charged.
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            sb.append(event("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"system_fingerprint\":\"" +
                String.valueOf((char)('a' + i % 26)).repeat(8192) + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}"));
        }
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT)
            .limits(AggregationLimits.builder().maxResultBytes(1 << 20).build()).build();
        final byte[] bytes = sb.append(event("[DONE]")).toString().getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertTrue(a.result().errors().isEmpty(), a.result().errors()::toString);
        assertEquals(2000, a.result().choice(0).parts().get(0).text().length());
        assertEquals(String.valueOf((char)('a' + 1999 % 26)).repeat(8192),
            a.result().meta().get("system_fingerprint").text().toString());
    }

    @Test
    void aReusedAggregatorDropsItsPoolAboveMaxPooledBytes()
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.ANTHROPIC)
            .limits(AggregationLimits.builder().maxPooledBytes(64 << 10).build()).build();
        final byte[] big = alternating(4, 100_000).getBytes(StandardCharsets.UTF_8);
        a.feed(big, 0, big.length);
        a.end();
        a.reset();
        final byte[] small = alternating(2, 10).getBytes(StandardCharsets.UTF_8);
        a.feed(small, 0, small.length);
        a.end();
        assertEquals("a".repeat(10), a.result().choice(0).parts().get(0).text().toString());
        assertEquals(2, a.result().choice(0).parts().size());
    }
}
