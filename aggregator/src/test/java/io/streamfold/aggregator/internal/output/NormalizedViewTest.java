package io.streamfold.aggregator.internal.output;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.dialect.Dialects;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The normalized view of every recorded stream of every format this build has a dialect for: it is JSON,
 * names the detected format and the outcome, and per choice carries exactly the text, reasoning and tool
 * calls of the folded parts, a finish reason in the shared vocabulary (never {@code other} for a reason
 * the corpus holds), and usage numbers equal to the provider's own fields, which this test reads from the
 * raw stream without the parser or the dialects. Folders whose dialect is missing are left out, and are
 * picked up once {@link Dialects} knows them.
 */
class NormalizedViewTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> VOCABULARY = Set.of("stop", "length", "tool_calls", "content_filter", "error", "other");
    /** Provider words for calls the provider runs itself (a tool search on the server, Gemini's answered function calls: not in the corpus). */
    private static final Set<String> SERVER_CALL_TYPES = Set.of("server_tool_use", "mcp_tool_use", "web_search_call",
        "file_search_call", "code_interpreter_call", "image_generation_call", "mcp_call", "executableCode");
    private static final Map<String, Format> FOLDERS = new LinkedHashMap<>();

    static
    {
        FOLDERS.put("openai-chat", Format.OPENAI_CHAT);
        FOLDERS.put("openai-responses", Format.OPENAI_RESPONSES);
        FOLDERS.put("anthropic-messages", Format.ANTHROPIC);
        FOLDERS.put("gemini", Format.GEMINI);
        FOLDERS.put("ollama", Format.OLLAMA);
    }

    static Stream<Arguments> streams()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final Map.Entry<String, Format> folder : FOLDERS.entrySet())
        {
            if (!available(folder.getValue()))
            {
                continue;
            }
            for (final String suffix : new String[] { ".sse", ".json", ".ndjson" })
            {
                for (final Path file : SharedFiles.corpus(folder.getKey(), suffix))
                {
                    all.add(Arguments.of(folder.getValue(), file.getFileName().toString(), file));
                }
            }
        }
        return all.stream();
    }

    private static boolean available(final Format format)
    {
        try
        {
            StreamAggregator.create(format);
            return true;
        }
        catch (final IllegalArgumentException e)
        {
            return false;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streams")
    void normalizedViewAgreesWithFoldedPartsAndRawUsage(final Format format, final String name, final Path file) throws Exception
    {
        final byte[] bytes = SharedFiles.read(file);
        final StreamAggregator aggregator = StreamAggregator.create(Format.AUTO);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        final Aggregate a = aggregator.result();
        assertEquals(format, a.format(), "detected format");
        for (final io.streamfold.parser.StreamError e : a.errors())
        {
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.message());
        }

        final JsonNode view = MAPPER.readTree(a.toNormalizedJson());
        assertEquals(format.cliName(), view.get("format").asText());
        assertEquals(a.outcome().name().toLowerCase(java.util.Locale.ROOT), view.get("outcome").asText());

        final JsonNode choices = view.get("choices");
        assertEquals(a.choices().size(), choices.size());
        for (int i = 0; i < choices.size(); i++)
        {
            checkChoice(a.choices().get(i), choices.get(i));
        }

        final RawUsage expected = RawUsage.read(format, payloads(name, bytes));
        if (expected != null)
        {
            final JsonNode usage = view.get("usage");
            assertEquals(expected.input, count(usage, "input_tokens"), "input_tokens");
            if ("estimated".equals(usage.get("source").asText()))
            {
                // The stream reported no output count: the view holds an estimate, never a silent -1.
                assertEquals(-1, expected.output, "output_tokens");
                assertTrue(count(usage, "output_tokens") >= 0, "estimated output_tokens");
                assertTrue(usage.hasNonNull("estimate_method"));
            }
            else
            {
                assertEquals(expected.output, count(usage, "output_tokens"), "output_tokens");
            }
            assertEquals(expected.total, count(usage, "total_tokens"), "total_tokens");
            assertEquals(expected.cached, count(usage, "cached_tokens"), "cached_tokens");
            assertEquals(expected.reasoning, count(usage, "reasoning_tokens"), "reasoning_tokens");
        }
    }

    private static void checkChoice(final Choice choice, final JsonNode view)
    {
        assertEquals(choice.index(), view.get("index").asLong());
        final StringBuilder text = new StringBuilder();
        final StringBuilder reasoning = new StringBuilder();
        final List<Part> calls = new ArrayList<>();
        final List<Part> serverCalls = new ArrayList<>();
        for (final Part p : choice.parts())
        {
            if (p.kind() == Part.Kind.TEXT)
            {
                text.append(p.text());
            }
            else if (p.kind() == Part.Kind.REASONING)
            {
                reasoning.append(p.text());
            }
            else if (p.kind() == Part.Kind.TOOL_CALL)
            {
                // The provider's word for a call it runs itself (Anthropic's blocks, Bedrock's toolUse type, the
                // Responses API's hosted tool items).
                (SERVER_CALL_TYPES.contains(p.type().toString()) ? serverCalls : calls).add(p);
            }
        }
        assertEquals(text.toString(), view.get("text").asText());
        if (view.has("reasoning"))
        {
            assertEquals(reasoning.toString(), view.get("reasoning").asText());
        }
        else
        {
            assertEquals("", reasoning.toString(), "reasoning parts but no reasoning in the view");
        }

        checkCalls(calls, view.get("tool_calls"));
        if (serverCalls.isEmpty())
        {
            assertFalse(view.has("server_tool_calls"), "no server calls, no list");
        }
        else
        {
            checkCalls(serverCalls, view.get("server_tool_calls"));
        }

        final JsonNode finish = view.get("finish_reason");
        if (choice.finishReason().length() == 0)
        {
            assertTrue(finish.isNull());
        }
        else
        {
            assertTrue(VOCABULARY.contains(finish.asText()), finish.asText());
            assertNotEquals("other", finish.asText(), "no mapping for provider reason " + choice.finishReason());
            assertEquals(choice.finishReason().toString(), view.get("provider_finish_reason").asText());
        }
    }

    /** The view's list of calls in the folded calls' order, each with their id, name and arguments. */
    private static void checkCalls(final List<Part> calls, final JsonNode viewed)
    {
        assertEquals(calls.size(), viewed.size());
        for (int i = 0; i < calls.size(); i++)
        {
            final Part call = calls.get(i);
            assertEquals(call.id().toString(), viewed.get(i).get("id").asText());
            assertEquals(call.name().toString(), viewed.get(i).get("name").asText());
            assertEquals(call.text().toString(), viewed.get(i).get("arguments").asText());
        }
    }

    private static long count(final JsonNode usage, final String field)
    {
        final JsonNode v = usage.get(field);
        return v == null || v.isNull() ? -1 : v.asLong();
    }

    /** The JSON payloads of a recording, split by transport here, not by the parser under test. */
    static List<JsonNode> payloads(final String name, final byte[] bytes)
    {
        final String body = new String(bytes, StandardCharsets.UTF_8);
        final List<String> texts = new ArrayList<>();
        if (name.endsWith(".json"))
        {
            final JsonNode array = parse(body);
            if (array != null)
            {
                array.forEach(e -> texts.add(e.toString()));
            }
        }
        else if (name.endsWith(".ndjson"))
        {
            for (final String line : body.split("\r\n|\r|\n"))
            {
                if (!line.isBlank())
                {
                    texts.add(line);
                }
            }
        }
        else
        {
            // SSE: data lines joined by LF, dispatched at a blank line or at the end of the recording.
            final StringBuilder data = new StringBuilder();
            boolean hasData = false;
            for (final String line : (body + "\n\n").split("\r\n|\r|\n", -1))
            {
                if (line.isEmpty())
                {
                    if (hasData)
                    {
                        texts.add(data.toString());
                    }
                    data.setLength(0);
                    hasData = false;
                }
                else if (line.startsWith("data:"))
                {
                    final String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
                    if (hasData)
                    {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
            }
        }
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String t : texts)
        {
            if ("[DONE]".equals(t.trim()))
            {
                break;
            }
            final JsonNode node = parse(t);
            if (node != null && node.isObject())
            {
                nodes.add(node);
            }
        }
        return nodes;
    }

    private static JsonNode parse(final String json)
    {
        try
        {
            return MAPPER.readTree(json);
        }
        catch (final Exception e)
        {
            return null;
        }
    }

    /** Usage as the provider's own fields give it, each the last non-null value reported; -1 when never. */
    static final class RawUsage
    {
        long input = -1;
        long output = -1;
        long total = -1;
        long cached = -1;
        long reasoning = -1;

        /** @return the expected usage, or null for a format this test has no independent reading of. */
        static RawUsage read(final Format format, final List<JsonNode> payloads)
        {
            final List<JsonNode> reports = new ArrayList<>();
            switch (format)
            {
                case OPENAI_CHAT:
                    for (final JsonNode p : payloads)
                    {
                        addObject(reports, p.get("usage"));
                        final JsonNode groq = p.get("x_groq");
                        if (groq != null)
                        {
                            addObject(reports, groq.get("usage"));
                        }
                    }
                    // Together puts cached_tokens and reasoning_tokens at the top; DeepSeek says prompt_cache_hit_tokens.
                    final RawUsage chat = merge(reports, "prompt_tokens", "completion_tokens", "total_tokens",
                        "prompt_tokens_details.cached_tokens|cached_tokens|prompt_cache_hit_tokens",
                        "completion_tokens_details.reasoning_tokens|reasoning_tokens", false);
                    if (chat != null && chat.reasoning > 0 && chat.input >= 0 && chat.output >= 0 &&
                        chat.input + chat.output != chat.total && chat.input + chat.output + chat.reasoning == chat.total)
                    {
                        // xAI counts reasoning beside the completion, inside the total, and bills it as output.
                        chat.output += chat.reasoning;
                    }
                    return chat;
                case GEMINI:
                    for (final JsonNode p : payloads)
                    {
                        addObject(reports, p.get("usageMetadata"));
                    }
                    // Billed input: prompt + tool-use prompt; billed output: candidates + thoughts.
                    return merge(reports, "promptTokenCount+toolUsePromptTokenCount", "candidatesTokenCount+thoughtsTokenCount",
                        "totalTokenCount", "cachedContentTokenCount", "thoughtsTokenCount", false);
                case OLLAMA:
                    for (final JsonNode p : payloads)
                    {
                        reports.add(p);
                    }
                    return merge(reports, "prompt_eval_count", "eval_count", null, null, null, false);
                case OPENAI_RESPONSES:
                    for (final JsonNode p : payloads)
                    {
                        final JsonNode response = p.get("response");
                        if (response != null)
                        {
                            addObject(reports, response.get("usage"));
                        }
                    }
                    return merge(reports, "input_tokens", "output_tokens", "total_tokens",
                        "input_tokens_details.cached_tokens", "output_tokens_details.reasoning_tokens", false);
                case ANTHROPIC:
                    for (final JsonNode p : payloads)
                    {
                        final JsonNode message = p.get("message");
                        if (message != null)
                        {
                            addObject(reports, message.get("usage"));
                        }
                        addObject(reports, p.get("usage"));
                    }
                    return merge(reports, "input_tokens", "output_tokens", null, "cache_read_input_tokens",
                        "output_tokens_details.thinking_tokens", true);
                default:
                    return null;
            }
        }

        private static void addObject(final List<JsonNode> reports, final JsonNode usage)
        {
            if (usage != null && usage.isObject())
            {
                reports.add(usage);
            }
        }

        private static RawUsage merge(
            final List<JsonNode> reports, final String input, final String output, final String total,
            final String cached, final String reasoning, final boolean anthropicInput)
        {
            final RawUsage u = new RawUsage();
            u.input = anthropicInput ?
                sum(last(reports, "input_tokens"), last(reports, "cache_creation_input_tokens"),
                    last(reports, "cache_read_input_tokens")) :
                last(reports, input);
            u.output = last(reports, output);
            u.total = last(reports, total);
            if (u.total < 0 && u.input >= 0 && u.output >= 0)
            {
                u.total = u.input + u.output;
            }
            u.cached = last(reports, cached);
            u.reasoning = last(reports, reasoning);
            return u;
        }

        private static long sum(final long... values)
        {
            long s = -1;
            for (final long v : values)
            {
                if (v >= 0)
                {
                    s = s < 0 ? v : s + v;
                }
            }
            return s;
        }

        /**
         * The last integer at a field path (one dot for one level of nesting) over all reports, or -1;
         * alternatives separated by {@code |}, the first one reported wins; parts separated by {@code +} are summed
         * (-1 when none is reported).
         */
        private static long last(final List<JsonNode> reports, final String paths)
        {
            if (paths == null)
            {
                return -1;
            }
            if (paths.contains("+"))
            {
                final String[] parts = paths.split("\\+");
                final long[] values = new long[parts.length];
                for (int i = 0; i < parts.length; i++)
                {
                    values[i] = last(reports, parts[i]);
                }
                return sum(values);
            }
            for (final String path : paths.split("\\|"))
            {
                final long value = lastOne(reports, path);
                if (value >= 0)
                {
                    return value;
                }
            }
            return -1;
        }

        private static long lastOne(final List<JsonNode> reports, final String path)
        {
            long value = -1;
            for (final JsonNode r : reports)
            {
                JsonNode v = r;
                final Iterator<String> steps = List.of(path.split("\\.")).iterator();
                while (v != null && steps.hasNext())
                {
                    v = v.get(steps.next());
                }
                if (v != null && v.isIntegralNumber())
                {
                    value = v.asLong();
                }
            }
            return value;
        }
    }
}
