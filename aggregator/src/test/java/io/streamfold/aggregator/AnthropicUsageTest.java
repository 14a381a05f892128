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
