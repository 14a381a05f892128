package io.streamfold.aggregator.verdict;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.aggregator.model.Verdict;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded stream of the shared corpus, every dialect it has: the verdict with its reason, the usage with its
 * source and counts, and how many tool calls are complete. Expected values were read off each recording (its
 * finish word, its usage events); a row per file, so a change in any mapping shows as the file it affects.
 * Cut in half, every stream that did not fail must read as truncated, its usage never as the final report.
 */
class VerdictCorpusTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** file, reason, truncation, provider word, usage source, estimate method, input, output, complete calls, incomplete calls. */
    private static final String[][] ROWS = {
        {"openai-chat/alibaba-qwen3max-tool-call.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "295", "22", "1", "0"},
        {"openai-chat/azure-gpt4o-async-content-filter.sse", "COMPLETE", "NONE", "stop", "ESTIMATED", "jtokkit:o200k_base", "-1", "2", "0", "0"},
        {"openai-chat/azure-gpt5nano-content-filter-results.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "15", "78", "0", "0"},
        {"openai-chat/crusoe-llama33-vllm-token-id-fields.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "46", "14", "0", "0"},
        {"openai-chat/deepseek-reasoner-reasoning-content.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "6", "212", "0", "0"},
        {"openai-chat/deepseek-reasoner-reasoning-then-tool-call.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "339", "83", "1", "0"},
        {"openai-chat/groq-gptoss-error-event-tool-use-failed.sse", "PROVIDER_ERROR", "NONE", "", "ESTIMATED", "chars/4", "-1", "103", "0", "0"},
        {"openai-chat/groq-llama33-tool-call-x-groq-usage.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "210", "15", "1", "0"},
        {"openai-chat/hf-tgi-openhermes-logprobs-data-no-space.sse", "LENGTH", "NONE", "length", "ESTIMATED", "chars/4", "-1", "138", "0", "0"},
        {"openai-chat/mistral-magistral-thinking-content-array.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "10", "232", "0", "0"},
        {"openai-chat/mistral-small-tool-call-no-index.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "124", "22", "1", "0"},
        {"openai-chat/openai-gpt41nano-text-long.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "16", "300", "0", "0"},
        {"openai-chat/openai-gpt4o-finish-length-max-tokens.sse", "LENGTH", "NONE", "length", "REPORTED", null, "79", "1", "0", "0"},
        {"openai-chat/openai-gpt4o-json-mode-multibyte.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "19", "177", "0", "0"},
        {"openai-chat/openai-gpt4o-logprobs-content.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "9", "2", "0", "0"},
        {"openai-chat/openai-gpt4o-logprobs-refusal.sse", "CONTENT_FILTER", "NONE", "stop", "REPORTED", null, "79", "12", "0", "0"},
        {"openai-chat/openai-gpt4o-n3-multiple-choices.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "79", "42", "0", "0"},
        {"openai-chat/openai-gpt4o-parallel-tool-calls-usage.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "364", "40", "2", "0"},
        {"openai-chat/openai-gpt4o-refusal.sse", "CONTENT_FILTER", "NONE", "stop", "REPORTED", null, "79", "11", "0", "0"},
        {"openai-chat/openai-gpt4o-structured-output-json-schema.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "79", "14", "0", "0"},
        {"openai-chat/openai-gpt4o-text-basic.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "14", "30", "0", "0"},
        {"openai-chat/openai-gpt4o-tool-args-many-chunks.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "448", "49", "1", "0"},
        {"openai-chat/openai-gpt4o-tool-call-nonstrict.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "44", "16", "1", "0"},
        {"openai-chat/openai-gpt4o-tool-call-single.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "76", "24", "1", "0"},
        {"openai-chat/openai-gpt4o-tool-call-strict.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "48", "19", "1", "0"},
        {"openai-chat/openai-gpt4o-tool-calls-parallel.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "149", "60", "2", "0"},
        {"openai-chat/openai-gpt5-moderation-include-usage.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "13", "11", "0", "0"},
        {"openai-chat/openrouter-minimax-comments-then-error-chunk.sse", "PROVIDER_ERROR", "NONE", "length", "REPORTED", null, "43", "10", "0", "0"},
        {"openai-chat/openrouter-reasoning-details.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "43", "36", "0", "0"},
        {"openai-chat/perplexity-sonar-citations.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "10", "336", "0", "0"},
        {"openai-chat/snowflake-cortex-claude-reasoning-details.sse", "COMPLETE", "NONE", "", "REPORTED", null, "45", "73", "0", "0"},
        {"openai-chat/together-deepseek-r1-token-ids-think-tags.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "10", "955", "0", "0"},
        {"openai-chat/xai-grok3mini-reasoning-tool-call.sse", "TOOL_CALLS", "NONE", "tool_calls", "REPORTED", null, "291", "222", "1", "0"},
        {"openai-chat/zai-glm-reasoning-content.sse", "COMPLETE", "NONE", "stop", "REPORTED", null, "13", "564", "0", "0"},
        {"openai-responses/azure-function-call.sse", "TOOL_CALLS", "NONE", "completed", "REPORTED", null, "45", "24", "1", "0"},
        {"openai-responses/deepseek-responses-reasoning-text.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "90", "15", "0", "0"},
        {"openai-responses/lmstudio-reasoning-text-then-function-call.sse", "TOOL_CALLS", "NONE", "completed", "REPORTED", null, "182", "61", "1", "0"},
        {"openai-responses/openai-error-insufficient-quota.sse", "PROVIDER_ERROR", "NONE", "failed", "ESTIMATED", "chars/4", "-1", "0", "0", "0"},
        {"openai-responses/openai-gpt4o-function-call.sse", "TOOL_CALLS", "NONE", "completed", "REPORTED", null, "255", "16", "1", "0"},
        {"openai-responses/openai-moderation.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "13", "59", "0", "0"},
        {"openai-responses/openai-output-text-logprobs.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "25", "10", "0", "0"},
        {"openai-responses/openai-reasoning-item-then-function-call.sse", "TOOL_CALLS", "NONE", "completed", "REPORTED", null, "53", "469", "1", "0"},
        {"openai-responses/openai-reasoning-summary-multipart-long.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "13", "1680", "0", "0"},
        {"openai-responses/openai-web-search-call.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "9463", "582", "1", "0"},
        {"openai-responses/openrouter-reasoning-text-no-event-lines.sse", "COMPLETE", "NONE", "completed", "REPORTED", null, "78", "37", "0", "0"},
        {"anthropic-messages/anthropic-code-execution-server-tool.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "4714", "304", "1", "0"},
        {"anthropic-messages/anthropic-compatible-message-delta-input-tokens.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "61", "2", "0", "0"},
        {"anthropic-messages/anthropic-haiku45-text-multibyte-padded.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "770", "27", "0", "0"},
        {"anthropic-messages/anthropic-haiku45-tool-use-padded.sse", "TOOL_CALLS", "NONE", "tool_use", "REPORTED", null, "656", "74", "1", "0"},
        {"anthropic-messages/anthropic-redacted-thinking.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "92", "189", "0", "0"},
        {"anthropic-messages/anthropic-sonnet37-max-tokens-partial-tool-json.sse", "LENGTH", "NONE", "max_tokens", "REPORTED", null, "450", "124", "0", "1"},
        {"anthropic-messages/anthropic-sonnet4-text-then-tool-use.sse", "TOOL_CALLS", "NONE", "tool_use", "REPORTED", null, "377", "65", "1", "0"},
        {"anthropic-messages/anthropic-sonnet45-structured-output-padded.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "135", "10", "0", "0"},
        {"anthropic-messages/anthropic-sonnet45-text.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "12", "30", "0", "0"},
        {"anthropic-messages/anthropic-sonnet45-thinking-context-management.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "69", "53", "0", "0"},
        {"anthropic-messages/anthropic-sonnet45-tool-no-args-pings.sse", "TOOL_CALLS", "NONE", "tool_use", "REPORTED", null, "565", "48", "1", "0"},
        {"anthropic-messages/anthropic-thinking-signature.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "43", "282", "0", "0"},
        {"anthropic-messages/anthropic-web-search-citations.sse", "COMPLETE", "NONE", "end_turn", "REPORTED", null, "22397", "637", "2", "0"},
        {"gemini/gemini-2.0-flash-recitation.sse", "CONTENT_FILTER", "NONE", "RECITATION", "REPORTED", null, "9", "261", "0", "0"},
        {"gemini/gemini-2.0-flash-text.sse", "COMPLETE", "NONE", "STOP", "REPORTED", null, "13", "8", "0", "0"},
        {"gemini/gemini-2.5-flash-image-candidate-without-parts.sse", "COMPLETE", "NONE", "STOP", "REPORTED", null, "16", "1307", "0", "0"},
        {"gemini/gemini-2.5-flash-thought-summary-function-call.sse", "TOOL_CALLS", "NONE", "STOP", "REPORTED", null, "38", "174", "1", "0"},
        {"gemini/gemini-2.5-pro-search-grounding.sse", "COMPLETE", "NONE", "STOP", "REPORTED", null, "119", "653", "0", "0"},
        {"gemini/gemini-2.5-pro-thought-parts.sse", "COMPLETE", "NONE", "STOP", "REPORTED", null, "34", "1256", "0", "0"},
        {"gemini/gemini-3-flash-code-execution.sse", "COMPLETE", "NONE", "STOP", "REPORTED", null, "507", "276", "1", "0"},
        {"gemini/gemini-3-flash-function-call-json-array.json", "TOOL_CALLS", "NONE", "STOP", "REPORTED", null, "28", "267", "1", "0"},
        {"gemini/gemini-3-flash-text-json-array.json", "COMPLETE", "NONE", "STOP", "REPORTED", null, "4", "28", "0", "0"},
        {"gemini/gemini-3-pro-function-call-thought-signature.sse", "TOOL_CALLS", "NONE", "STOP", "REPORTED", null, "29", "212", "1", "0"},
        {"gemini/gemini-3-pro-function-call.sse", "TOOL_CALLS", "NONE", "STOP", "REPORTED", null, "29", "819", "1", "0"},
        {"gemini/gemini-prompt-blocked-safety.sse", "CONTENT_FILTER", "NONE", "SAFETY", "ESTIMATED", "chars/4", "-1", "0", "0", "0"},
        {"gemini/vertex-gemini-3.1-pro-streamed-function-call-partial-args.sse", "TOOL_CALLS", "NONE", "STOP", "REPORTED", null, "26", "155", "2", "0"},
        {"gemini/vertex-gemini-error-mid-stream.sse", "PROVIDER_ERROR", "NONE", "STOP", "ESTIMATED", "chars/4", "-1", "4", "0", "0"},
        {"gemini/vertex-gemini-finish-reason-safety.sse", "CONTENT_FILTER", "NONE", "SAFETY", "REPORTED", null, "10", "66", "0", "0"},
        {"gemini/vertex-gemini-function-call.sse", "TOOL_CALLS", "NONE", "STOP", "ESTIMATED", "chars/4", "-1", "9", "1", "0"},
        {"gemini/vertex-gemini-utf8-cjk.sse", "COMPLETE", "NONE", "STOP", "ESTIMATED", "chars/4", "-1", "57", "0", "0"},
        {"ollama/ollama-gemma4-generate-docs-example.ndjson", "COMPLETE", "NONE", "stop", "ESTIMATED", "chars/4", "-1", "7", "0", "0"},
        {"ollama/ollama-llama3.2-chat-tool-calls.ndjson", "TOOL_CALLS", "NONE", "stop", "REPORTED", null, "152", "22", "5", "0"},
        {"ollama/ollama-phi3-chat-stream.ndjson", "COMPLETE", "NONE", "stop", "REPORTED", null, "10", "239", "0", "0"},
        {"ollama/ollama-phi3-generate-stream-context.ndjson", "COMPLETE", "NONE", "stop", "REPORTED", null, "10", "304", "0", "0"},
    };

    @TestFactory
    Stream<DynamicTest> verdictUsageAndToolCallsPerRecording()
    {
        final Path corpus = SharedFiles.require().resolve("corpus");
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String[] row : ROWS)
        {
            tests.add(DynamicTest.dynamicTest(row[0], () -> check(corpus.resolve(row[0]), row)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> halfAStreamIsTruncatedAndItsUsageNotFinal()
    {
        final Path corpus = SharedFiles.require().resolve("corpus");
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String[] row : ROWS)
        {
            if (!row[1].equals("PROVIDER_ERROR"))
            {
                tests.add(DynamicTest.dynamicTest(row[0], () -> checkHalf(corpus.resolve(row[0]))));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyRecordingHasARow()
    {
        final Path corpus = SharedFiles.require().resolve("corpus");
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String dir : new String[]{"openai-chat", "openai-responses", "anthropic-messages", "gemini", "ollama"})
        {
            for (final Path file : SharedFiles.corpus(dir, ""))
            {
                final String name = dir + "/" + file.getFileName();
                if (name.endsWith(".txt") || name.endsWith(".md") || !Files.isRegularFile(file))
                {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(name, () -> assertTrue(hasRow(name), "no row for " + name + "; it reads as " +
                    describe(fold(file, SharedFiles.read(file))))));
            }
        }
        return tests.stream();
    }

    private static String describe(final Aggregate a)
    {
        int complete = 0;
        int incomplete = 0;
        for (final Choice c : a.choices())
        {
            for (final Part p : c.toolCalls())
            {
                if (p.isComplete())
                {
                    complete++;
                }
                else
                {
                    incomplete++;
                }
            }
        }
        final Usage u = a.usage();
        return a.verdict().reason() + " " + a.verdict().truncation() + " '" + a.verdict().providerReason() + "' " +
            u.source() + " " + u.estimateMethod() + " " + u.inputTokens() + " " + u.outputTokens() + " " + complete + " " +
            incomplete;
    }

    private static boolean hasRow(final String name)
    {
        for (final String[] row : ROWS)
        {
            if (row[0].equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static void check(final Path file, final String[] row)
    {
        final Aggregate a = fold(file, SharedFiles.read(file));
        final Verdict v = a.verdict();
        assertEquals(StopReason.valueOf(row[1]), v.reason(), "reason: " + v);
        assertEquals(Verdict.Truncation.valueOf(row[2]), v.truncation(), "truncation");
        assertEquals(row[3], v.providerReason().toString(), "provider word");
        final Usage u = a.usage();
        assertEquals(Usage.Source.valueOf(row[4]), u.source(), "usage source");
        assertEquals(row[5], u.estimateMethod(), "estimate method");
        assertEquals(Long.parseLong(row[6]), u.inputTokens(), "input tokens");
        assertEquals(Long.parseLong(row[7]), u.outputTokens(), "output tokens");
        if (u.source() == Usage.Source.ESTIMATED)
        {
            assertFalse(u.isPresent(), "an estimate only stands in for a usage the provider never sent");
        }
        int complete = 0;
        int incomplete = 0;
        for (final Choice c : a.choices())
        {
            for (final Part p : c.toolCalls())
            {
                if (p.isComplete())
                {
                    assertNull(p.incompleteReason());
                    complete++;
                }
                else
                {
                    assertNotNull(p.incompleteReason());
                    assertTrue(p.text().length() > 0, "an incomplete call keeps its raw text");
                    incomplete++;
                }
            }
        }
        assertEquals(Integer.parseInt(row[8]), complete, "complete tool calls");
        assertEquals(Integer.parseInt(row[9]), incomplete, "incomplete tool calls");
        final String normalized = a.toNormalizedJson();
        assertTrue(normalized.contains("\"reason\":\"" + row[1].toLowerCase() + "\""), normalized);
        assertTrue(normalized.contains("\"source\":\"" + row[4].toLowerCase() + "\""), normalized);
    }

    private static void checkHalf(final Path file)
    {
        final byte[] bytes = SharedFiles.read(file);
        final byte[] half = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        final Aggregate a = fold(file, half);
        final Verdict v = a.verdict();
        if (a.outcome() == Outcome.COMPLETE)
        {
            // Only Gemini, which has no terminal event, is whole once every candidate has its finish reason.
            assertEquals(Format.GEMINI, a.format(), a.toNormalizedJson());
            assertTrue(a.choices().stream().allMatch(Choice::isFinished));
            return;
        }
        assertEquals(Outcome.TRUNCATED, a.outcome(), a.toNormalizedJson());
        assertEquals(StopReason.TRUNCATED, v.reason());
        assertNotEquals(Verdict.Truncation.NONE, v.truncation());
        assertNotEquals(Usage.Source.MISSING, a.usage().source(), "a stream without usage gets an estimate");
        if (a.usage().source() == Usage.Source.REPORTED)
        {
            assertTrue(a.choices().stream().allMatch(Choice::isFinished), "usage is final only once every choice finished");
        }
        for (final Choice c : a.choices())
        {
            for (final Part p : c.toolCalls())
            {
                if (p.isComplete() && !p.freeformArguments() && !p.text().toString().isBlank())
                {
                    assertDoesNotThrow(() -> MAPPER.readTree(p.text().toString()), "a complete call holds one JSON value");
                }
            }
        }
    }

    private static Aggregate fold(final Path file, final byte[] bytes)
    {
        final StreamAggregator agg = StreamAggregator.builder().format(format(file)).build();
        agg.feed(bytes, 0, bytes.length);
        agg.end();
        return agg.result();
    }

    private static Format format(final Path file)
    {
        switch (file.getParent().getFileName().toString())
        {
            case "openai-chat":
                return Format.OPENAI_CHAT;
            case "openai-responses":
                return Format.OPENAI_RESPONSES;
            case "anthropic-messages":
                return Format.ANTHROPIC;
            case "gemini":
                return Format.GEMINI;
            default:
                return Format.OLLAMA;
        }
    }
}
