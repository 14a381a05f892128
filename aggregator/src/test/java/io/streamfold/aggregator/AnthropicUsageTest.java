package io.streamfold.aggregator;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.fold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anthropic usage beyond the start/delta split: the {@code usage.iterations} of compaction and the advisor tool
 * (every sampling step is billed, the top level counts only the final one), the thinking-token count, and a
 * cache-write split that a later report leaves behind. Streams shaped as the recordings in the README's usage
 * section (compaction with cache reads, advisor, code execution with a cache write raised by message_delta).
 */
class AnthropicUsageTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String COMPACTION = "{\"input_tokens\":100,\"output_tokens\":83,\"cache_read_input_tokens\":55096," +
        "\"cache_creation_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0}," +
        "\"type\":\"compaction\"}";
    private static final String MESSAGE = "{\"input_tokens\":181,\"output_tokens\":8,\"cache_read_input_tokens\":0," +
        "\"cache_creation_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0}," +
        "\"type\":\"message\"}";
    /** The top level of the compaction recording's message_delta: the final (message) iteration only. */
    private static final String FINAL_TOP = "\"input_tokens\":181,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":8";

    // ---- B2: iterations ----

    @Test
    void compactionIterationsAreSummedIntoTheBillableUsage()
    {
        final String iterations = "[" + COMPACTION + "," + MESSAGE + "]";
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":55096," +
                "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":7}",
            "{" + FINAL_TOP + ",\"iterations\":" + iterations + "}"));
        noErrors(a);
        final Usage u = a.usage();
        // pydantic-ai's expectation for this recording: input 55377 (100 + 181 uncached + 55096 read), read 55096, output 91.
        assertEquals(55377, u.inputTokens());
        assertEquals(55096, u.cachedTokens());
        assertEquals(91, u.outputTokens());
        assertEquals(55468, u.totalTokens());
        assertEquals(0, u.cacheWriteTokens());
        assertEquals(0, u.cacheWrite5mTokens());
        assertEquals(0, u.cacheWrite1hTokens());
        assertEquals(Usage.Source.REPORTED, u.source());
        final JsonNode n = normalized(a);
        assertEquals(2, n.get("summed_iterations").asInt());
        assertFalse(n.has("iterations_not_summed"));
        assertEquals(55377, n.get("input_tokens").asLong());
        // The provider's own JSON keeps Anthropic's top level and the iterations exactly as sent.
        final String json = a.toJson();
        assertTrue(json.contains("\"input_tokens\":181,"), json);
        assertTrue(json.contains("\"output_tokens\":8,"), json);
        assertTrue(json.contains("\"iterations\":" + iterations), json);
    }

    @Test
    void advisorIterationsOfEveryTypeAreSummed()
    {
        // The top level counts the executor's message iterations (1051 + 3676, 35 + 3356); the advisor's are billed too.
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1051,\"output_tokens\":35}",
            "{\"input_tokens\":4727,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":3391,\"iterations\":[" +
                "{\"input_tokens\":1051,\"output_tokens\":35,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0,\"type\":\"message\"}," +
                "{\"input_tokens\":2728,\"output_tokens\":3880,\"cache_read_input_tokens\":10,\"cache_creation_input_tokens\":0," +
                "\"type\":\"advisor_message\",\"model\":\"claude-opus-4-7\"}," +
                "{\"input_tokens\":3676,\"output_tokens\":3356,\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":5,\"type\":\"message\"}]}"));
        noErrors(a);
        assertEquals(1051 + 2728 + 10 + 3676 + 5, a.usage().inputTokens());
        assertEquals(35 + 3880 + 3356, a.usage().outputTokens());
        assertEquals(10, a.usage().cachedTokens());
        assertEquals(5, a.usage().cacheWriteTokens());
        assertEquals(3, normalized(a).get("summed_iterations").asInt());
    }

    @Test
    void anIterationOfAnUnknownTypeIsSummedLikeAnyOther()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{\"input_tokens\":5,\"output_tokens\":6,\"iterations\":[{\"type\":\"some_future_step\",\"input_tokens\":7,\"output_tokens\":8," +
                "\"extra\":{\"nested\":[1,\"x\"]},\"note\":\"not a count\"},{\"input_tokens\":5,\"output_tokens\":6}]}"));
        noErrors(a);
        assertEquals(12, a.usage().inputTokens());
        assertEquals(14, a.usage().outputTokens());
        assertEquals(-1, a.usage().cachedTokens(), "no iteration reports a cache read");
    }

    @Test
    void aRepeatedMessageDeltaReplacesTheIterationsAndIsNotCountedTwice()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":100,\"output_tokens\":1}",
            "{\"input_tokens\":181,\"output_tokens\":4,\"iterations\":[" + COMPACTION + ",{\"input_tokens\":181,\"output_tokens\":4}]}",
            "{" + FINAL_TOP + ",\"iterations\":[" + COMPACTION + "," + MESSAGE + "]}"));
        noErrors(a);
        assertEquals(55377, a.usage().inputTokens());
        assertEquals(91, a.usage().outputTokens());
    }

    @Test
    void iterationsFromMessageStartAreSummedWhileTheCountsTheyCoverStandStill()
    {
        // message_delta resends the same top-level counts without the iterations: they still describe them.
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{" + FINAL_TOP + ",\"iterations\":[" + COMPACTION + "," + MESSAGE + "]}", "{\"output_tokens\":8}"));
        noErrors(a);
        assertEquals(55377, a.usage().inputTokens());
        assertEquals(91, a.usage().outputTokens());
    }

    @Test
    void iterationsLeftBehindByALaterReportAreNotSummed()
    {
        // message_start's iterations say the message produced 1 token; message_delta says 8 and sends no iterations:
        // adding up the old ones would bill 84 output tokens, so the counts are the top level and the error says why.
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":181,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1,\"iterations\":[" +
                COMPACTION + ",{\"input_tokens\":181,\"output_tokens\":1}]}", "{\"output_tokens\":8}"));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(181, a.usage().inputTokens());
        assertEquals(8, a.usage().outputTokens());
        final StreamError e = oneInconsistency(a);
        assertEquals("usage iterations not summed: output_tokens changed after they were sent; the counts are the top-level"
            + " usage (the final iteration only)", e.message());
        assertEquals(e.message().substring("usage iterations not summed: ".length()),
            normalized(a).get("iterations_not_summed").asText());
        assertFalse(normalized(a).has("summed_iterations"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[{\"input_tokens\":100,\"output_tokens\":\"83\"},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: output_tokens is not a count",
        "[{\"input_tokens\":100,\"output_tokens\":83.5},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: output_tokens is not a count",
        "[{\"input_tokens\":100,\"output_tokens\":-83},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: output_tokens is not a count",
        "[{\"input_tokens\":100,\"output_tokens\":99999999999999999999},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: output_tokens is not a count",
        "[{\"input_tokens\":100,\"output_tokens\":1,\"cache_creation\":{\"ephemeral_5m_input_tokens\":true}},{\"input_tokens\":181,\"output_tokens\":8}]"
            + "|entry 0: cache_creation.ephemeral_5m_input_tokens is not a count",
        "[{\"input_tokens\":100,\"output_tokens\":1,\"cache_creation\":[]},{\"input_tokens\":181,\"output_tokens\":8}]"
            + "|entry 0: cache_creation is not an object",
        "[{\"input_tokens\":100,\"input_tokens\":1,\"output_tokens\":1},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: input_tokens twice",
        "[{\"input_tokens\":100},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: no output_tokens",
        "[{\"type\":\"compaction\"},{\"input_tokens\":181,\"output_tokens\":8}]|entry 0: no input_tokens",
        "[{\"input_tokens\":181,\"output_tokens\":8},42]|entry 1: not an object",
        "[{\"input_tokens\":9223372036854775807,\"output_tokens\":1},{\"input_tokens\":181,\"output_tokens\":8}]|input overflows",
        "{\"input_tokens\":181,\"output_tokens\":8}|not an array",
        "\"many\"|not an array",
    })
    void unusableIterationsFallBackToTheTopLevelWithATypedError(final String caseLine)
    {
        final int bar = caseLine.lastIndexOf('|');
        final String iterations = caseLine.substring(0, bar);
        final String why = caseLine.substring(bar + 1);
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{" + FINAL_TOP + ",\"iterations\":" + iterations + "}"));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(181, a.usage().inputTokens());
        assertEquals(8, a.usage().outputTokens());
        assertEquals(0, a.usage().cachedTokens());
        assertEquals("usage iterations not summed: " + why + "; the counts are the top-level usage (the final iteration only)",
            oneInconsistency(a).message());
        assertEquals(why + "; the counts are the top-level usage (the final iteration only)",
            normalized(a).get("iterations_not_summed").asText());
        assertTrue(a.toJson().contains("\"iterations\":" + iterations), "kept as sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]"})
    void absentOrEmptyIterationsLeaveTheTopLevel(final String iterations)
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{" + FINAL_TOP + ",\"iterations\":" + iterations + "}"));
        noErrors(a);
        assertEquals(181, a.usage().inputTokens());
        assertEquals(8, a.usage().outputTokens());
        assertFalse(normalized(a).has("summed_iterations"));
        assertFalse(normalized(a).has("iterations_not_summed"));
    }

    // ---- B3: thinking tokens ----

    @Test
    void thinkingTokensAreTheReasoningCount()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":2479,\"output_tokens\":6}",
            "{\"input_tokens\":404500,\"output_tokens\":943,\"output_tokens_details\":{\"thinking_tokens\":261}}"));
        noErrors(a);
        assertEquals(261, a.usage().reasoningTokens());
        assertEquals(261, normalized(a).get("reasoning_tokens").asLong());
    }

    @Test
    void thinkingTokensAreSummedOverIterations()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{\"input_tokens\":5,\"output_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":20},\"iterations\":[" +
                "{\"input_tokens\":7,\"output_tokens\":9,\"output_tokens_details\":{\"thinking_tokens\":4}}," +
                "{\"input_tokens\":5,\"output_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":20}}]}"));
        noErrors(a);
        assertEquals(24, a.usage().reasoningTokens());
        assertEquals(39, a.usage().outputTokens());
    }

    @Test
    void thinkingTokensOfOnlySomeIterationsAreUnknownRatherThanPartlySummed()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{\"input_tokens\":5,\"output_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":20},\"iterations\":[" +
                "{\"input_tokens\":7,\"output_tokens\":9},{\"input_tokens\":5,\"output_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":20}}]}"));
        noErrors(a);
        assertEquals(-1, a.usage().reasoningTokens());
        assertTrue(normalized(a).get("reasoning_tokens").isNull());
        assertEquals(39, a.usage().outputTokens());
    }

    @Test
    void aSingleIterationLeavingOutTheThinkingCountTakesTheTopLevels()
    {
        // anthropic-sdk-typescript's fable-fallback fixtures: thinking_tokens at the top only, beside one message entry.
        final Aggregate a = fold(Format.ANTHROPIC, stream("{\"input_tokens\":28,\"output_tokens\":5}",
            "{\"input_tokens\":28,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":106," +
                "\"output_tokens_details\":{\"thinking_tokens\":67},\"iterations\":[{\"input_tokens\":28,\"output_tokens\":106," +
                "\"cache_read_input_tokens\":0,\"cache_creation_input_tokens\":0,\"type\":\"message\"}]}"));
        noErrors(a);
        assertEquals(67, a.usage().reasoningTokens());
        assertEquals(106, a.usage().outputTokens());
        assertEquals(1, normalized(a).get("summed_iterations").asInt());
        // With two steps the top level is the last one's only: what the other spent thinking is not known.
        final Aggregate two = fold(Format.ANTHROPIC, stream("{\"input_tokens\":1,\"output_tokens\":1}",
            "{\"input_tokens\":5,\"output_tokens\":30,\"output_tokens_details\":{\"thinking_tokens\":20},\"iterations\":[" +
                "{\"input_tokens\":7,\"output_tokens\":9},{\"input_tokens\":5,\"output_tokens\":30}]}"));
        assertEquals(-1, two.usage().reasoningTokens());
    }

    // ---- B4: a cache-write split a later report leaves behind ----

    @Test
    void cacheWriteSplitBecomesUnknownWhenALaterReportChangesTheTotalAlone()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":2,\"cache_creation_input_tokens\":3068,\"cache_read_input_tokens\":0," +
                "\"cache_creation\":{\"ephemeral_5m_input_tokens\":3068,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":69}",
            "{\"input_tokens\":6,\"cache_creation_input_tokens\":3337,\"cache_read_input_tokens\":6289,\"output_tokens\":198," +
                "\"output_tokens_details\":{\"thinking_tokens\":0}}"));
        noErrors(a);
        final Usage u = a.usage();
        assertEquals(3337, u.cacheWriteTokens());
        assertEquals(-1, u.cacheWrite5mTokens());
        assertEquals(-1, u.cacheWrite1hTokens());
        assertEquals(0, u.reasoningTokens());
        final JsonNode n = normalized(a);
        assertEquals(3337, n.get("cache_write_tokens").asLong());
        assertTrue(n.get("cache_write_5m_tokens").isNull(), n.toString());
        assertTrue(n.get("cache_write_1h_tokens").isNull(), n.toString());
        // The provider's JSON still holds what Anthropic sent (the SDKs' accumulators keep message_start's split too).
        assertTrue(a.toJson().contains("\"cache_creation\":{\"ephemeral_5m_input_tokens\":3068,\"ephemeral_1h_input_tokens\":0}"));
    }

    @Test
    void cacheWriteSplitStaysWhenALaterReportRepeatsTheSameTotal()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":2,\"cache_creation_input_tokens\":3068,\"cache_creation\":{\"ephemeral_5m_input_tokens\":3000," +
                "\"ephemeral_1h_input_tokens\":68},\"output_tokens\":69}",
            "{\"input_tokens\":2,\"cache_creation_input_tokens\":3068,\"output_tokens\":198}"));
        noErrors(a);
        assertEquals(3000, a.usage().cacheWrite5mTokens());
        assertEquals(68, a.usage().cacheWrite1hTokens());
    }

    @Test
    void cacheWriteSplitSentWithTheNewTotalIsTaken()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":2,\"cache_creation_input_tokens\":3068,\"cache_creation\":{\"ephemeral_5m_input_tokens\":3068," +
                "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":69}",
            "{\"cache_creation_input_tokens\":3337,\"cache_creation\":{\"ephemeral_5m_input_tokens\":3000,\"ephemeral_1h_input_tokens\":337}," +
                "\"output_tokens\":198}",
            "{\"cache_creation_input_tokens\":3337,\"cache_creation\":null,\"output_tokens\":199}"));
        noErrors(a);
        assertEquals(3337, a.usage().cacheWriteTokens());
        assertEquals(3000, a.usage().cacheWrite5mTokens());
        assertEquals(337, a.usage().cacheWrite1hTokens());
    }

    @Test
    void aNullSplitWithAChangedTotalDoesNotKeepTheOldOneCurrent()
    {
        final Aggregate a = fold(Format.ANTHROPIC, stream(
            "{\"input_tokens\":2,\"cache_creation_input_tokens\":3068,\"cache_creation\":{\"ephemeral_5m_input_tokens\":3068," +
                "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":69}",
            "{\"cache_creation_input_tokens\":3337,\"cache_creation\":null,\"output_tokens\":198}"));
        noErrors(a);
        assertEquals(-1, a.usage().cacheWrite5mTokens());
        assertEquals(-1, a.usage().cacheWrite1hTokens());
    }

    // ---- helpers ----

    /**
     * A one-text-block Anthropic stream: {@code startUsage} in message_start, then one message_delta per
     * {@code deltaUsages} (the first with the stop reason), then message_stop.
     */
    private static String stream(final String startUsage, final String... deltaUsages)
    {
        final StringBuilder s = new StringBuilder(event("message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\"," +
                "\"content\":[],\"stop_reason\":null,\"usage\":" + startUsage + "}}"))
            .append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"))
            .append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}"))
            .append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        for (int i = 0; i < deltaUsages.length; i++)
        {
            s.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{" +
                (i == 0 ? "\"stop_reason\":\"end_turn\",\"stop_sequence\":null" : "") + "},\"usage\":" + deltaUsages[i] + "}"));
        }
        return s.append(event("message_stop", "{\"type\":\"message_stop\"}")).toString();
    }

    private static JsonNode normalized(final Aggregate a)
    {
        try
        {
            return MAPPER.readTree(a.toNormalizedJson()).get("usage");
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }

    private static void noErrors(final Aggregate a)
    {
        assertEquals(List.of(), a.errors());
        assertEquals(Outcome.COMPLETE, a.outcome());
    }

    private static StreamError oneInconsistency(final Aggregate a)
    {
        final List<StreamError> errors = a.errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(ErrorKind.INCONSISTENT_USAGE, errors.get(0).kind());
        return errors.get(0);
    }
}
