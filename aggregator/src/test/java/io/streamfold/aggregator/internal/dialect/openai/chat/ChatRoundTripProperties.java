package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trip: a random completion (several interleaved choices, unicode text with surrogate pairs and
 * escapes, optional reasoning, parallel tool calls, token ids, usage on a final empty-choices chunk or on
 * the last content chunk) is encoded here as a {@code chat.completion.chunk} SSE stream, with strings split
 * between chunks at random points, then fed to the aggregator in random byte slices. What comes out must be
 * the completion that went in, read through the Aggregate API and through the written JSON.
 */
class ChatRoundTripProperties
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] FINISH = {"stop", "length", "content_filter"};

    @Property(tries = 200)
    void streamFoldsBackToTheCompletion(@ForAll final Random random) throws Exception
    {
        final Completion completion = Completion.random(random);
        final byte[] sse = encode(completion, random);

        final StreamAggregator aggregator = StreamAggregator.create(random.nextBoolean() ? Format.OPENAI_CHAT : Format.AUTO);
        feedInRandomSlices(aggregator, sse, random);
        aggregator.end();
        final Aggregate result = aggregator.result();

        assertEquals(List.of(), result.errors(), "no errors");
        assertEquals(Outcome.COMPLETE, result.outcome());
        assertReadApi(completion, result);
        final JsonNode expected = expectedJson(completion);
        final JsonNode written = MAPPER.readTree(result.toJson());
        assertEquals(List.of(), differences("", expected, written), "written JSON");
    }

    private static void assertReadApi(final Completion completion, final Aggregate result)
    {
        assertEquals(completion.id, result.meta().get("id").text().toString());
        assertEquals(completion.model, result.meta().get("model").text().toString());
        final List<Choice> choices = result.choices();
        assertEquals(completion.choices.size(), choices.size(), "choices");
        for (int i = 0; i < choices.size(); i++)
        {
            final GenChoice expected = completion.choices.get(i);
            final Choice actual = choices.get(i);
            assertEquals(expected.index, actual.index());
            assertEquals("assistant", actual.role().toString());
            assertEquals(expected.content, actual.has(Part.Kind.TEXT) ? actual.joined(Part.Kind.TEXT) : null, "content");
            assertEquals(expected.reasoning, actual.has(Part.Kind.REASONING) ? actual.joined(Part.Kind.REASONING) : null,
                "reasoning");
            final List<Part> calls = actual.toolCalls();
            assertEquals(expected.calls.size(), calls.size(), "tool calls");
            for (int k = 0; k < calls.size(); k++)
            {
                final GenCall call = expected.calls.get(k);
                assertEquals(call.id, calls.get(k).id().toString());
                assertEquals(call.name, calls.get(k).name().toString());
                assertEquals(call.arguments, calls.get(k).text().toString());
                assertTrue(calls.get(k).isEnded());
            }
            assertEquals(expected.finishReason, actual.finishReason().toString());
            assertEquals(expected.tokenIds.size(), actual.tokenIdCount(), "token ids");
            for (int k = 0; k < actual.tokenIdCount(); k++)
            {
                assertEquals((long)expected.tokenIds.get(k), actual.tokenId(k));
            }
        }
        if (completion.usage == UsageMode.NONE)
        {
            assertTrue(!result.usage().isPresent());
        }
        else
        {
            assertEquals(completion.promptTokens, result.usage().inputTokens());
            assertEquals(completion.completionTokens, result.usage().outputTokens());
            assertEquals(completion.promptTokens + completion.completionTokens, result.usage().totalTokens());
        }
    }

    /** The non-streaming chat.completion the stream stands for. */
    private static JsonNode expectedJson(final Completion completion)
    {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        final ObjectNode root = f.objectNode();
        root.put("id", completion.id);
        root.put("object", "chat.completion");
        root.put("created", completion.created);
        root.put("model", completion.model);
        root.put("system_fingerprint", "fp_test");
        final ArrayNode choices = root.putArray("choices");
        for (final GenChoice c : completion.choices)
        {
            final ObjectNode choice = choices.addObject();
            choice.put("index", c.index);
            final ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", c.content);
            message.putNull("refusal");
            if (c.reasoning != null)
            {
                message.put("reasoning_content", c.reasoning);
            }
            if (!c.calls.isEmpty())
            {
                final ArrayNode calls = message.putArray("tool_calls");
                for (final GenCall call : c.calls)
                {
                    final ObjectNode node = calls.addObject();
                    node.put("id", call.id);
                    node.put("type", "function");
                    node.putObject("function").put("name", call.name).put("arguments", call.arguments);
                }
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason);
            if (!c.tokenIds.isEmpty())
            {
                final ArrayNode ids = choice.putArray("token_ids");
                c.tokenIds.forEach(ids::add);
            }
        }
        if (completion.usage != UsageMode.NONE)
        {
            root.putObject("usage")
                .put("prompt_tokens", completion.promptTokens)
                .put("completion_tokens", completion.completionTokens)
                .put("total_tokens", completion.promptTokens + completion.completionTokens);
        }
        return root;
    }

    /** Paths where two trees differ, so a failure names the field instead of printing two whole documents. */
    private static List<String> differences(final String path, final JsonNode expected, final JsonNode actual)
    {
        final List<String> out = new ArrayList<>();
        if (expected.isObject() && actual.isObject())
        {
            final java.util.Set<String> names = new java.util.TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (final String name : names)
            {
                final JsonNode e = expected.get(name);
                final JsonNode a = actual.get(name);
                if (e == null || a == null)
                {
                    out.add(path + "/" + name + ": expected " + e + " but was " + a);
                }
                else
                {
                    out.addAll(differences(path + "/" + name, e, a));
                }
            }
        }
        else if (expected.isArray() && actual.isArray() && expected.size() == actual.size())
        {
            for (int i = 0; i < expected.size(); i++)
            {
                out.addAll(differences(path + "/" + i, expected.get(i), actual.get(i)));
            }
        }
        else if (expected.isNumber() && actual.isNumber())
        {
            // Int and long nodes of the same value are the same JSON number.
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0)
            {
                out.add(path + ": expected " + expected + " but was " + actual);
            }
        }
        else if (!expected.equals(actual))
        {
            out.add(path + ": expected " + expected + " but was " + actual);
        }
        return out;
    }

    private static void feedInRandomSlices(final StreamAggregator aggregator, final byte[] bytes, final Random random)
    {
        int offset = 0;
        while (offset < bytes.length)
        {
            final int max = random.nextInt(4) == 0 ? 4 : random.nextInt(3) == 0 ? 4096 : 200;
            final int length = Math.min(bytes.length - offset, 1 + random.nextInt(max));
            // Copy into a fresh array padded on both sides so offsets are exercised and views cannot outlive a feed.
            final byte[] slice = new byte[length + 7];
            System.arraycopy(bytes, offset, slice, 3, length);
            aggregator.feed(slice, 3, length);
            java.util.Arrays.fill(slice, (byte)'#');
            offset += length;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The encoder: chat.completion.chunk SSE, written by hand so it shares nothing with the code under test.

    static byte[] encode(final Completion completion, final Random random)
    {
        final List<List<String>> perChoice = new ArrayList<>();
        for (final GenChoice c : completion.choices)
        {
            perChoice.add(choiceChunks(completion, c, random));
        }
        // Interleave the choices' chunks at random, each choice keeping its own order.
        final List<String> chunks = new ArrayList<>();
        final int[] next = new int[perChoice.size()];
        int remaining = 0;
        for (final List<String> list : perChoice)
        {
            remaining += list.size();
        }
        while (remaining > 0)
        {
            final int which = random.nextInt(perChoice.size());
            if (next[which] < perChoice.get(which).size())
            {
                chunks.add(perChoice.get(which).get(next[which]++));
                remaining--;
            }
        }
        final String usage = "\"usage\":{\"prompt_tokens\":" + completion.promptTokens + ",\"completion_tokens\":" +
            completion.completionTokens + ",\"total_tokens\":" + (completion.promptTokens + completion.completionTokens) + "}";
        final StringBuilder sse = new StringBuilder();
        for (int i = 0; i < chunks.size(); i++)
        {
            final String choiceJson = chunks.get(i);
            sse.append("data: ").append(header(completion)).append("\"choices\":[").append(choiceJson).append(']');
            if (completion.usage == UsageMode.LAST_CONTENT_CHUNK && i == chunks.size() - 1)
            {
                sse.append(',').append(usage);
            }
            else if (completion.usage != UsageMode.NONE && random.nextInt(3) == 0)
            {
                sse.append(",\"usage\":null");
            }
            sse.append("}\n\n");
        }
        if (completion.usage == UsageMode.FINAL_CHUNK)
        {
            sse.append("data: ").append(header(completion)).append("\"choices\":[],").append(usage).append("}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String header(final Completion completion)
    {
        return "{\"id\":\"" + completion.id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + completion.created +
            ",\"model\":\"" + completion.model + "\",\"system_fingerprint\":\"fp_test\",";
    }

    private static List<String> choiceChunks(final Completion completion, final GenChoice c, final Random random)
    {
        final List<String> deltas = new ArrayList<>();
        deltas.add("\"role\":\"assistant\"" + (c.content != null && random.nextBoolean() ? ",\"content\":\"\"" : ""));
        if (c.reasoning != null)
        {
            for (final String piece : split(c.reasoning, random))
            {
                deltas.add("\"reasoning_content\":" + quote(piece, random));
            }
        }
        if (c.content != null)
        {
            for (final String piece : split(c.content, random))
            {
                deltas.add("\"content\":" + quote(piece, random));
            }
        }
        for (int k = 0; k < c.calls.size(); k++)
        {
            final GenCall call = c.calls.get(k);
            final List<String> pieces = split(call.arguments, random);
            for (int p = 0; p < pieces.size(); p++)
            {
                final String function = p == 0 ?
                    "{\"name\":" + quote(call.name, random) + ",\"arguments\":" + quote(pieces.get(p), random) + "}" :
                    "{\"arguments\":" + quote(pieces.get(p), random) + "}";
                final String head = p == 0 ? "\"id\":\"" + call.id + "\",\"type\":\"function\"," : "";
                deltas.add("\"tool_calls\":[{\"index\":" + k + "," + head + "\"function\":" + function + "}]");
            }
        }
        final boolean separateFinish = random.nextBoolean();
        if (separateFinish)
        {
            deltas.add("");
        }
        // Token ids ride on the choice beside the delta, spread over the choice's chunks.
        final List<List<Long>> ids = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++)
        {
            ids.add(new ArrayList<>());
        }
        for (final long id : c.tokenIds)
        {
            ids.get(random.nextInt(deltas.size())).add(id);
        }
        // Keep the list in order: each chunk's ids come after the previous chunk's.
        int t = 0;
        for (final List<Long> list : ids)
        {
            for (int i = 0; i < list.size(); i++)
            {
                list.set(i, c.tokenIds.get(t++));
            }
        }
        final List<String> chunks = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++)
        {
            final boolean last = i == deltas.size() - 1;
            final StringBuilder json = new StringBuilder();
            final String finish = last ? "\"" + c.finishReason + "\"" : "null";
            final String tokenIds = ids.get(i).isEmpty() ? "" : ",\"token_ids\":" + ids.get(i).toString().replace(" ", "");
            if (random.nextBoolean())
            {
                json.append("{\"index\":").append(c.index).append(",\"delta\":{").append(deltas.get(i))
                    .append("},\"logprobs\":null,\"finish_reason\":").append(finish).append(tokenIds).append('}');
            }
            else
            {
                // Azure and Qwen put the delta before the index.
                json.append("{\"delta\":{").append(deltas.get(i)).append("},\"finish_reason\":").append(finish)
                    .append(tokenIds).append(",\"index\":").append(c.index).append('}');
            }
            chunks.add(json.toString());
        }
        return chunks;
    }

    /** Splits at random points, never between the two halves of a surrogate pair; pieces may be empty. */
    private static List<String> split(final String text, final Random random)
    {
        final List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length())
        {
            int end = Math.min(text.length(), start + random.nextInt(8));
            if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1)))
            {
                end++;
            }
            pieces.add(text.substring(start, end));
            start = end;
        }
        if (pieces.isEmpty())
        {
            pieces.add("");
        }
        return pieces;
    }

    /** A JSON string literal; characters that may stay raw are sometimes written as backslash-u escapes. */
    private static String quote(final String text, final Random random)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char ch = text.charAt(i);
            if (ch == '"' || ch == '\\')
            {
                out.append('\\').append(ch);
            }
            else if (ch == '\n' && random.nextBoolean())
            {
                out.append("\\n");
            }
            else if (Character.isHighSurrogate(ch) && i + 1 < text.length() && random.nextInt(10) == 0)
            {
                // Both halves or neither: a lone escaped half would leave the other half unencodable.
                out.append(String.format("\\u%04x\\u%04X", (int)ch, (int)text.charAt(++i)));
            }
            else if (ch < 0x20 || (!Character.isSurrogate(ch) && random.nextInt(10) == 0))
            {
                out.append(String.format("\\u%04x", (int)ch));
            }
            else if (ch == '/' && random.nextBoolean())
            {
                out.append("\\/");
            }
            else
            {
                out.append(ch);
            }
        }
        return out.append('"').toString();
    }

    // ---------------------------------------------------------------------------------------------
    // The random completion.

    enum UsageMode
    {
        NONE, FINAL_CHUNK, LAST_CONTENT_CHUNK
    }

    static final class Completion
    {
        String id;
        String model;
        long created;
        final List<GenChoice> choices = new ArrayList<>();
        UsageMode usage;
        long promptTokens;
        long completionTokens;

        static Completion random(final Random random)
        {
            final Completion c = new Completion();
            c.id = "chatcmpl-" + Long.toHexString(random.nextLong());
            c.model = random.nextBoolean() ? "gpt-4o-2024-08-06" : "deepseek-reasoner";
            c.created = 1_700_000_000L + random.nextInt(100_000_000);
            final int n = random.nextInt(4) == 0 ? 2 + random.nextInt(3) : 1;
            for (int i = 0; i < n; i++)
            {
                c.choices.add(GenChoice.random(i, random));
            }
            c.usage = UsageMode.values()[random.nextInt(3)];
            c.promptTokens = random.nextInt(100_000);
            c.completionTokens = random.nextInt(100_000);
            return c;
        }
    }

    static final class GenChoice
    {
        int index;
        String content;
        String reasoning;
        final List<GenCall> calls = new ArrayList<>();
        final List<Long> tokenIds = new ArrayList<>();
        String finishReason;

        static GenChoice random(final int index, final Random random)
        {
            final GenChoice c = new GenChoice();
            c.index = index;
            c.reasoning = random.nextInt(3) == 0 ? text(random, 1 + random.nextInt(60)) : null;
            final int calls = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 0;
            c.content = calls == 0 || random.nextInt(3) == 0 ? text(random, 1 + random.nextInt(120)) : null;
            for (int k = 0; k < calls; k++)
            {
                final GenCall call = new GenCall();
                call.id = "call_" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36) + k;
                call.name = "tool_" + Integer.toString(random.nextInt(1000), 36);
                call.arguments = "{\"q\":\"" + text(random, random.nextInt(40)).replace("\\", "\\\\").replace("\"", "\\\"") +
                    "\",\"n\":" + random.nextInt(1000) + "}";
                c.calls.add(call);
            }
            if (random.nextInt(3) == 0)
            {
                final int count = random.nextInt(30);
                for (int i = 0; i < count; i++)
                {
                    c.tokenIds.add((long)random.nextInt(200_000));
                }
            }
            c.finishReason = calls > 0 ? "tool_calls" : FINISH[random.nextInt(FINISH.length)];
            return c;
        }
    }

    static final class GenCall
    {
        String id;
        String name;
        String arguments;
    }

    private static final String[] ALPHABET = {
        "a", "b", "z", " ", " ", "\n", "\t", "\"", "\\", "/", "{", "}", "é", "ß", "中", "文", "€", "\u0000", "\u001f",
        "\u007f", "\u2028", "\ufeff", "\ud83d\ude00", "\ud83e\udd16", "\udbff\udfff", "\ud800\udc00", "ok", "</s>"};

    private static String text(final Random random, final int length)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
