package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fold that drops the streamed content ({@code keepContent(false)}, a gateway reading a stream for its events) hears
 * exactly the events the full fold hears and keeps everything but the per-token content: on every corpus recording,
 * whole and sliced, and on generated streams past the content limits.
 */
class KeepContentTest
{
    @ParameterizedTest
    @CsvSource({ "anthropic-messages,ANTHROPIC,.sse", "openai-responses,OPENAI_RESPONSES,.sse", "openai-chat,OPENAI_CHAT,.sse",
        "ollama,OLLAMA,.ndjson", "gemini,GEMINI,.sse", "gemini,GEMINI,.json", "other,AUTO,.sse" })
    void eventsAndStructureMatchTheFullFoldOnTheCorpus(final String folder, final Format format, final String suffix)
    {
        int streams = 0;
        long dropped = 0;
        for (final Path file : SharedFiles.corpus(folder, suffix))
        {
            final byte[] stream = SharedFiles.read(file);
            for (int seed = 0; seed < 3; seed++)
            {
                final String where = file.getFileName() + " seed " + seed;
                final Run full = Run.of(format, stream, AggregationLimits.DEFAULT, true, seed);
                final Run heard = Run.of(format, stream, AggregationLimits.DEFAULT, false, seed);
                assertEquals(full.events, heard.events, where + ": listener events");
                assertEquals(structure(full.result), structure(heard.result), where + ": structure");
                dropped += assertNoContentKept(heard.result, where);
            }
            streams++;
        }
        assertTrue(streams > 0);
        assertTrue(dropped > 0 || folder.equals("other"), "no recording in " + folder + " streamed any content");
    }

    @Test
    void limitsCutTheEventsWhereTheFullFoldCutsThem()
    {
        // Token ids, logprobs, text past maxTextChars and a tool call: every limit counted as if the content were kept.
        final StringBuilder sse = new StringBuilder();
        final Random random = new Random(7);
        for (int i = 0; i < 400; i++)
        {
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,")
                .append("\"delta\":{\"content\":\"tok").append(random.nextInt(1000)).append(" \",\"token_id\":").append(i)
                .append("},\"logprobs\":{\"content\":[{\"token\":\"t").append(i).append("\",\"logprob\":-0.").append(i + 1)
                .append(",\"bytes\":[116],\"top_logprobs\":[]}]},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":")
            .append("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",")
            .append("\"arguments\":\"{\\\"a\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
        final byte[] stream = sse.toString().getBytes(StandardCharsets.UTF_8);
        final AggregationLimits tight = AggregationLimits.builder().maxTextChars(1_000).maxTokenIds(150).build();
        for (final AggregationLimits limits : new AggregationLimits[] { AggregationLimits.DEFAULT, tight })
        {
            for (int seed = 0; seed < 3; seed++)
            {
                final Run full = Run.of(Format.OPENAI_CHAT, stream, limits, true, seed);
                final Run heard = Run.of(Format.OPENAI_CHAT, stream, limits, false, seed);
                assertEquals(full.events, heard.events, "listener events under " + limits);
                assertEquals(structure(full.result), structure(heard.result), "structure under " + limits);
                assertTrue(assertNoContentKept(heard.result, "generated") > 0);
                final Part call = heard.result.choice(0).toolCalls().get(0);
                assertEquals("{\"a\":1}", call.text().toString(), "a tool call is kept whole");
            }
        }
        final Run cut = Run.of(Format.OPENAI_CHAT, stream, tight, false, 0);
        assertEquals(150, cut.starting("token "), "token ids past maxTokenIds are not heard");
        assertTrue(!cut.result.choice(0).parts().get(0).isComplete(), "the text part is cut at maxTextChars");
        assertEquals(Usage.Source.ESTIMATED, cut.result.usage().source());
        assertEquals(150, cut.result.usage().outputTokens(), "the estimate counts the token ids heard");
    }

    @Test
    void theEstimateCountsDroppedTextByTheCharacterRule()
    {
        final String sse = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[]}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"0123456789abcdef\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        final byte[] stream = sse.getBytes(StandardCharsets.UTF_8);
        final Run full = Run.of(Format.ANTHROPIC, stream, AggregationLimits.DEFAULT, true, 0);
        final Run heard = Run.of(Format.ANTHROPIC, stream, AggregationLimits.DEFAULT, false, 0);
        assertEquals(full.result.usage().outputTokens(), heard.result.usage().outputTokens());
        assertEquals(4, heard.result.usage().outputTokens());
        assertEquals("chars/4", heard.result.usage().estimateMethod());
        assertEquals("", heard.result.choice(0).parts().get(0).text().toString());
        assertTrue(heard.result.choice(0).parts().get(0).text().isPresent());
    }

    /** @return characters and token ids the listener heard that {@code result} does not hold; fails if any is held. */
    private static long assertNoContentKept(final Aggregate result, final String where)
    {
        long heard = 0;
        for (final Choice c : result.choices())
        {
            assertEquals(0, c.tokenIdCount(), where + ": token ids kept");
            assertEquals(0, c.contentLogprobs().count(), where + ": logprob entries kept");
            assertEquals(0, c.refusalLogprobs().count(), where + ": logprob entries kept");
            for (final Part p : c.parts())
            {
                if (p.kind() == Part.Kind.TEXT || p.kind() == Part.Kind.REASONING || p.kind() == Part.Kind.REFUSAL)
                {
                    assertEquals(0, p.text().length(), where + ": " + p.kind() + " text kept");
                    heard += p.text().isPresent() ? 1 : 0;
                }
            }
        }
        return heard;
    }

    /**
     * @return what both folds must agree on, one line per item: everything but the streamed content and a usage estimate
     * made from the text.
     */
    private static List<String> structure(final Aggregate a)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("format " + a.format() + " outcome " + a.outcome() + " terminal " + a.terminalEventSeen() + " verdict " + a.verdict().reason() + " " +
            a.verdict().truncation() + " " + a.verdict().providerReason() + " " + a.verdict().detail());
        lines.add("meta " + a.meta());
        final Usage u = a.usage();
        lines.add("usage " + u.source() + " " + u.isPresent() + " " + u.fields());
        final String method = String.valueOf(u.estimateMethod());
        if (u.source() == Usage.Source.ESTIMATED && (method.startsWith("jtokkit") || method.equals("chars/4")))
        {
            // Estimated from the text: the full fold may ask the model's tokenizer, the other counts characters.
            lines.add("estimated from the text");
        }
        else
        {
            lines.add("counts " + u.inputTokens() + "/" + u.outputTokens() + "/" + u.totalTokens() + "/" + u.reasoningTokens() + "/"
                + u.cachedTokens() + " " + u.estimateMethod());
        }
        lines.add("providerError " + a.providerError());
        for (final StreamError e : a.errors())
        {
            lines.add("error " + e.kind() + " " + e.eventNumber() + " " + e.byteOffset() + " " + e.message());
        }
        lines.add("droppedErrors " + a.droppedErrors());
        for (final Choice c : a.choices())
        {
            lines.add("choice " + c.index() + " role " + c.role() + " finish " + c.finishReason() + " " + c.stopReason() + " "
                + c.isFinished() + " logprobs " + c.hasLogprobs() + " extra " + c.extra() + " messageExtra " + c.messageExtra());
            for (final Part p : c.parts())
            {
                final boolean streamed = p.kind() == Part.Kind.TEXT || p.kind() == Part.Kind.REASONING || p.kind() == Part.Kind.REFUSAL;
                lines.add("  part " + p.kind() + " " + p.wireIndex() + " " + p.ordinal() + " ended " + p.isEnded() + " complete " +
                    p.isComplete() + " " + p.incompleteReason() + " type " + p.type() + " id " + p.id() + " name " + p.name() +
                    " signature " + p.signature() + " present " + p.text().isPresent() + (streamed ? "" : " text " + p.text()) +
                    " extra " + p.extra() + " annotations " + p.annotations().json() + " deltas " + p.deltas());
            }
        }
        return lines;
    }

    /** One stream folded with or without its content, fed whole (seed 0) or in random slices. */
    private static final class Run
    {
        final Aggregate result;
        final List<String> events;

        private Run(final Aggregate result, final List<String> events)
        {
            this.result = result;
            this.events = events;
        }

        static Run of(final Format format, final byte[] stream, final AggregationLimits limits, final boolean keep, final long seed)
        {
            final RecordingListener listener = new RecordingListener();
            final StreamAggregator aggregator = StreamAggregator.builder()
                .format(format).listener(listener).limits(limits).keepContent(keep).build();
            if (seed == 0)
            {
                Feeding.feedWhole(aggregator, stream, Feeding.Via.SCRIBBLED);
            }
            else
            {
                Feeding.feedAll(aggregator, stream, Feeding.randomSizes(new Random(seed), 16, 4096), Feeding.Via.SCRIBBLED);
            }
            aggregator.end();
            return new Run(aggregator.result(), listener.events);
        }

        int starting(final String prefix)
        {
            int n = 0;
            for (final String e : events)
            {
                n += e.startsWith(prefix) ? 1 : 0;
            }
            return n;
        }
    }
}
