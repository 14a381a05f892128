package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.CompletionUsage;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test against the official openai-java SDK: every OpenAI-chat corpus stream is folded both by
 * streamfold and by the SDK's own {@link ChatCompletionAccumulator} (each {@code data:} payload parsed with
 * the SDK's object mapper). Wherever the SDK folds a stream at all, content, refusal, tool calls (id, name,
 * arguments), finish reasons and usage must agree. Where the SDK fails, the failure must be one of the
 * known gaps listed here, so a gap that closes (or a new one that opens) is noticed.
 */
class OpenAiSdkDifferentialTest
{
    /**
     * Streams the SDK cannot fold, with a fragment of the exception it throws. Each is a real stream shape
     * that streamfold handles; the reason says why the SDK does not.
     */
    private static final Map<String, String> SDK_FAILS = Map.ofEntries(
        // Usage on the same chunk as finish_reason (DeepSeek, Groq, Mistral, Z.ai, Together, Snowflake; Perplexity
        // sends it on every chunk): the SDK's final-chunk handling assumes a usage chunk has empty choices.
        Map.entry("deepseek-reasoner-reasoning-content.sse", "`choices` is required"),
        Map.entry("deepseek-reasoner-reasoning-then-tool-call.sse", "`choices` is required"),
        Map.entry("groq-llama33-tool-call-x-groq-usage.sse", "`choices` is required"),
        Map.entry("mistral-small-tool-call-no-index.sse", "`choices` is required"),
        Map.entry("snowflake-cortex-claude-reasoning-details.sse", "`choices` is required"),
        Map.entry("together-deepseek-r1-token-ids-think-tags.sse", "`choices` is required"),
        Map.entry("zai-glm-reasoning-content.sse", "`choices` is required"),
        Map.entry("perplexity-sonar-citations.sse", "`id` is required"),
        // Chunks after the one that finished (Azure's asynchronous content-filter results, a second
        // usage chunk with moderation, OpenRouter's trailing error chunk): the SDK refuses them.
        Map.entry("azure-gpt4o-async-content-filter.sse", "Already accumulated the final chunk"),
        Map.entry("openai-gpt5-moderation-include-usage.sse", "Already accumulated the final chunk"),
        Map.entry("openrouter-minimax-comments-then-error-chunk.sse", "Already accumulated the final chunk"),
        // A bare {"error": ...} event instead of a chunk.
        Map.entry("groq-gptoss-error-event-tool-use-failed.sse", "`id` is not set"),
        // Mistral's content as an array of typed parts (thinking / text).
        Map.entry("mistral-magistral-thinking-content-array.sse", "`content` is invalid"));

    /** The SDK's own mapper; built once, as building one per payload is what made this test slow. */
    private static final com.fasterxml.jackson.databind.json.JsonMapper SDK_MAPPER = ObjectMappers.jsonMapper();

    static Stream<Path> streams()
    {
        return SharedFiles.corpus("openai-chat", ".sse").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void agreesWithSdkAccumulator(final Path path) throws Exception
    {
        final byte[] bytes = SharedFiles.read(path);
        final String name = path.getFileName().toString();

        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        final Aggregate ours = aggregator.result();

        final ChatCompletion theirs;
        try
        {
            theirs = sdkFold(bytes);
        }
        catch (final RuntimeException e)
        {
            final String known = SDK_FAILS.get(name);
            if (known == null)
            {
                fail(name + ": the SDK failed on a stream not listed as a known gap: " + e, e);
            }
            assertTrue(String.valueOf(e.getMessage()).contains(known), name + ": the SDK now fails differently: " + e);
            // Where the SDK gives up, streamfold must still have folded the stream without a defect.
            for (final io.streamfold.parser.StreamError error : ours.errors())
            {
                assertFalse(error.message().startsWith(InternalErrors.PREFIX), name + ": " + error);
            }
            assertFalse(ours.choices().isEmpty(), name + ": streamfold folded no choice");
            return;
        }
        assertFalse(SDK_FAILS.containsKey(name), name + ": listed as an SDK gap but the SDK folds it now: update the list");
        compare(name, ours, theirs);
    }

    /** Known gap: the SDK keeps an unknown delta field (here xAI's reasoning_content) as its last fragment only. */
    @org.junit.jupiter.api.Test
    void sdkKeepsOnlyTheLastReasoningFragment() throws Exception
    {
        final Path path = SharedFiles.require().resolve("corpus/openai-chat/xai-grok3mini-reasoning-tool-call.sse");
        final byte[] bytes = SharedFiles.read(path);
        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        final String ours = aggregator.result().choice(0).joined(Part.Kind.REASONING);

        final ChatCompletion theirs = sdkFold(bytes);
        final String sdk = theirs.choices().get(0).message()._additionalProperties().get("reasoning_content")
            .convert(String.class);
        assertTrue(ours.length() > sdk.length() && ours.endsWith(sdk), "still a gap: SDK " + sdk + " vs " + ours);
    }

    /** Known gap: per-chunk token ids (vLLM {@code choices[].token_ids}) are last-wins in the SDK; streamfold joins them. */
    @org.junit.jupiter.api.Test
    void sdkKeepsOnlyTheLastTokenIds() throws Exception
    {
        final StringBuilder sse = new StringBuilder();
        final String[] pieces = {"Hel", "lo", " there"};
        for (int i = 0; i < pieces.length; i++)
        {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",")
                .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(pieces[i]).append("\"},")
                .append("\"finish_reason\":").append(i == pieces.length - 1 ? "\"stop\"" : "null")
                .append(",\"token_ids\":[").append(100 + 2 * i).append(',').append(101 + 2 * i).append("]}]}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);

        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        final Choice ours = aggregator.result().choice(0);
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L, 105L),
            java.util.Arrays.stream(ours.tokenIds()).boxed().collect(java.util.stream.Collectors.toList()));
        assertEquals("Hello there", ours.joined(Part.Kind.TEXT));

        final ChatCompletion theirs = sdkFold(bytes);
        assertEquals("Hello there", theirs.choices().get(0).message().content().orElseThrow());
        final List<?> sdkIds = theirs.choices().get(0)._additionalProperties().get("token_ids").convert(List.class);
        assertEquals(List.of(104, 105), sdkIds, "still a gap: the SDK keeps the last chunk's token_ids only");
    }

    private static ChatCompletion sdkFold(final byte[] bytes) throws Exception
    {
        final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        for (final String data : dataPayloads(new String(bytes, StandardCharsets.UTF_8)))
        {
            if (data.equals("[DONE]"))
            {
                break;
            }
            final ChatCompletionChunk chunk = SDK_MAPPER.readValue(data, ChatCompletionChunk.class);
            accumulator.accumulate(chunk);
        }
        return accumulator.chatCompletion();
    }

    /** A minimal SSE reader of its own (not streamfold's tokenizer), so both sides do not share a framing bug. */
    static List<String> dataPayloads(final String body)
    {
        final List<String> events = new ArrayList<>();
        StringBuilder data = null;
        for (final String rawLine : body.split("\r\n|\r|\n", -1))
        {
            if (rawLine.isEmpty())
            {
                if (data != null)
                {
                    events.add(data.toString());
                    data = null;
                }
                continue;
            }
            if (rawLine.startsWith("data:"))
            {
                final String value = rawLine.startsWith("data: ") ? rawLine.substring(6) : rawLine.substring(5);
                if (data == null)
                {
                    data = new StringBuilder(value);
                }
                else
                {
                    data.append('\n').append(value);
                }
            }
        }
        if (data != null)
        {
            events.add(data.toString());
        }
        return events;
    }

    private static void compare(final String name, final Aggregate ours, final ChatCompletion theirs)
    {
        assertEquals(theirs.id(), ours.meta().get("id").text().toString(), name + ": id");
        assertEquals(theirs.model(), ours.meta().get("model").text().toString(), name + ": model");
        final List<ChatCompletion.Choice> sdkChoices = new ArrayList<>(theirs.choices());
        sdkChoices.sort(Comparator.comparingLong(ChatCompletion.Choice::index));
        final List<Choice> choices = ours.choices();
        assertEquals(sdkChoices.size(), choices.size(), name + ": choice count");
        for (int i = 0; i < choices.size(); i++)
        {
            final Choice c = choices.get(i);
            final ChatCompletion.Choice s = sdkChoices.get(i);
            final String where = name + " choice " + c.index();
            assertEquals(s.index(), c.index(), where + ": index");
            assertEquals(s.message().content().orElse(null), joinedOrNull(c, Part.Kind.TEXT), where + ": content");
            assertEquals(s.message().refusal().orElse(null), joinedOrNull(c, Part.Kind.REFUSAL), where + ": refusal");
            assertEquals(s.finishReason().toString(), c.finishReason().toString(), where + ": finish_reason");

            final List<String> sdkCalls = new ArrayList<>();
            for (final ChatCompletionMessageToolCall call : s.message().toolCalls().orElse(List.of()))
            {
                final ChatCompletionMessageFunctionToolCall f = call.asFunction();
                sdkCalls.add(f.id() + " | " + f.function().name() + " | " + f.function().arguments());
            }
            final List<String> ourCalls = new ArrayList<>();
            for (final Part p : c.toolCalls())
            {
                if (!"function_call".contentEquals(p.type()))
                {
                    ourCalls.add(p.id() + " | " + p.name() + " | " + p.text());
                }
            }
            assertEquals(sdkCalls, ourCalls, where + ": tool calls");
        }
        final Optional<CompletionUsage> usage = theirs.usage();
        assertEquals(usage.isPresent(), ours.usage().isPresent(), name + ": usage present");
        if (usage.isPresent())
        {
            assertEquals(usage.get().promptTokens(), ours.usage().inputTokens(), name + ": prompt_tokens");
            // The provider's own count: the normalized output adds xAI's reasoning, which it counts beside this one.
            assertEquals(usage.get().completionTokens(), ours.usage().fields().get("completion_tokens").longValue(-1),
                name + ": completion_tokens");
            assertEquals(usage.get().totalTokens(), ours.usage().totalTokens(), name + ": total_tokens");
        }
    }

    private static String joinedOrNull(final Choice c, final Part.Kind kind)
    {
        return c.has(kind) ? c.joined(kind) : null;
    }
}
