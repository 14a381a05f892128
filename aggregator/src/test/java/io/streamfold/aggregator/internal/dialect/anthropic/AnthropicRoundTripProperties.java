package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Round trip: a random message (text, thinking and tool_use blocks; unicode, escapes, control
 * characters) is encoded as an Anthropic event stream with its text and input JSON cut into random
 * fragments, fed in random byte slices, and must fold back into the same message.
 */
class AnthropicRoundTripProperties
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void generatedMessagesSurviveTheStream(@ForAll("messages") final List<ObjectNode> blocks, @ForAll final long seed)
        throws Exception
    {
        final Random random = new Random(seed);
        final ObjectNode expected = NODES.objectNode();
        expected.put("id", "msg_" + Long.toHexString(seed));
        expected.put("type", "message");
        expected.put("role", "assistant");
        expected.put("model", "claude-test");
        final ArrayNode content = expected.putArray("content");
        blocks.forEach(content::add);
        final boolean tools = blocks.stream().anyMatch(b -> "tool_use".equals(b.get("type").asText()));
        expected.put("stop_reason", tools ? "tool_use" : "end_turn");
        expected.putNull("stop_sequence");
        final ObjectNode usage = expected.putObject("usage");
        usage.put("input_tokens", 7);
        usage.put("output_tokens", 1 + random.nextInt(1000));

        final byte[] bytes = encode(expected, random);
        final int[] sizes = slices(bytes.length, random);
        final AnthropicStreams.Run run = AnthropicStreams.sliced(bytes, sizes, AggregationLimits.DEFAULT, true);
        assertEquals(Outcome.COMPLETE, run.result().outcome(), run.result().errors().toString());
        assertEquals(expected, MAPPER.readTree(run.json()));
        final StringBuilder text = new StringBuilder();
        for (final ObjectNode b : blocks)
        {
            if ("text".equals(b.get("type").asText()))
            {
                text.append(b.get("text").asText());
            }
        }
        assertEquals(text.toString(), run.events.text());
    }

    private static byte[] encode(final ObjectNode message, final Random random) throws Exception
    {
        final StringBuilder sse = new StringBuilder();
        final ObjectNode startMessage = message.deepCopy();
        startMessage.putArray("content");
        startMessage.putNull("stop_reason");
        ((ObjectNode)startMessage.get("usage")).put("output_tokens", 1);
        final ObjectNode start = NODES.objectNode();
        start.put("type", "message_start");
        start.set("message", startMessage);
        event(sse, start, random);
        int index = 0;
        for (final JsonNode block : message.get("content"))
        {
            final String type = block.get("type").asText();
            final ObjectNode blockStart = NODES.objectNode();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            final ObjectNode initial = blockStart.putObject("content_block");
            initial.put("type", type);
            String streamed;
            String field;
            String deltaType;
            switch (type)
            {
                case "text":
                    initial.put("text", "");
                    streamed = block.get("text").asText();
                    field = "text";
                    deltaType = "text_delta";
                    break;
                case "thinking":
                    initial.put("thinking", "");
                    initial.put("signature", "");
                    streamed = block.get("thinking").asText();
                    field = "thinking";
                    deltaType = "thinking_delta";
                    break;
                default:
                    initial.set("id", block.get("id"));
                    initial.set("name", block.get("name"));
                    initial.putObject("input");
                    streamed = random.nextInt(4) == 0 && block.get("input").size() == 0 ? "" : MAPPER.writeValueAsString(block.get("input"));
                    field = "partial_json";
                    deltaType = "input_json_delta";
            }
            event(sse, blockStart, random);
            if (random.nextBoolean())
            {
                event(sse, (ObjectNode)MAPPER.readTree("{\"type\":\"ping\"}"), random);
            }
            for (final String fragment : fragments(streamed, random))
            {
                final ObjectNode delta = NODES.objectNode();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                final ObjectNode d = delta.putObject("delta");
                d.put("type", deltaType);
                d.put(field, fragment);
                event(sse, delta, random);
            }
            if ("thinking".equals(type))
            {
                final ObjectNode delta = NODES.objectNode();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                delta.putObject("delta").put("type", "signature_delta").put("signature", block.get("signature").asText());
                event(sse, delta, random);
            }
            final ObjectNode stop = NODES.objectNode();
            stop.put("type", "content_block_stop");
            stop.put("index", index);
            event(sse, stop, random);
            index++;
        }
        final ObjectNode delta = NODES.objectNode();
        delta.put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", message.get("stop_reason").asText()).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", message.at("/usage/output_tokens").asInt());
        event(sse, delta, random);
        event(sse, (ObjectNode)MAPPER.readTree("{\"type\":\"message_stop\"}"), random);
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One SSE event; sometimes with the event line, sometimes padded before the closing brace as the API does. */
    private static void event(final StringBuilder sse, final ObjectNode payload, final Random random) throws Exception
    {
        if (random.nextInt(5) != 0)
        {
            sse.append("event: ").append(payload.get("type").asText()).append('\n');
        }
        String json = MAPPER.writeValueAsString(payload);
        if (random.nextBoolean())
        {
            json = json.substring(0, json.length() - 1) + " ".repeat(random.nextInt(12)) + "}";
        }
        sse.append("data: ").append(json).append(random.nextInt(4) == 0 ? "\r\n\r\n" : "\n\n");
    }

    /** Cuts text at random code-point boundaries (the API never splits a character). */
    private static List<String> fragments(final String text, final Random random)
    {
        final List<String> out = new ArrayList<>();
        if (random.nextBoolean())
        {
            out.add("");
        }
        int i = 0;
        while (i < text.length())
        {
            int end = Math.min(text.length(), i + 1 + random.nextInt(6));
            if (end < text.length() && Character.isLowSurrogate(text.charAt(end)))
            {
                end++;
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }

    private static int[] slices(final int length, final Random random)
    {
        final List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0)
        {
            final int n = Math.min(left, 1 + random.nextInt(random.nextBoolean() ? 3 : 64));
            sizes.add(n);
            left -= n;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Provide
    Arbitrary<List<ObjectNode>> messages()
    {
        return Arbitraries.oneOf(textBlock(), thinkingBlock(), toolBlock()).list().ofMinSize(0).ofMaxSize(6);
    }

    private static Arbitrary<String> text()
    {
        return Arbitraries.of("a", "b", " ", "Hello", "\"", "\\", "\n", "\t", "\u0001", "\u001f", "é", "ß", "中文",
                "😀", "👍🏽", "\u2028", "}", "{", "[\"", "\\u0041", "/", "\r\n", "\u00a0")
            .list().ofMaxSize(25).map(parts -> String.join("", parts));
    }

    private static Arbitrary<ObjectNode> textBlock()
    {
        return text().map(t ->
        {
            final ObjectNode b = NODES.objectNode();
            b.put("type", "text");
            b.put("text", t);
            return b;
        });
    }

    private static Arbitrary<ObjectNode> thinkingBlock()
    {
        return Combinators.combine(text(), Arbitraries.strings().alpha().numeric().withChars('+', '/', '=').ofMinLength(1).ofMaxLength(80))
            .as((t, sig) ->
            {
                final ObjectNode b = NODES.objectNode();
                b.put("type", "thinking");
                b.put("thinking", t);
                b.put("signature", sig);
                return b;
            });
    }

    private static Arbitrary<ObjectNode> toolBlock()
    {
        final Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
            text().map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.of(NODES.booleanNode(true), NODES.nullNode()));
        final Arbitrary<JsonNode> value = Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(list ->
        {
            final ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        }));
        final Arbitrary<ObjectNode> input = Combinators.combine(text().list().ofMaxSize(4), value.list().ofSize(4)).as((names, values) ->
        {
            final ObjectNode o = NODES.objectNode();
            for (int i = 0; i < names.size(); i++)
            {
                o.set(names.get(i), values.get(i));
            }
            return o;
        });
        return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), text(), input).as((id, name, in) ->
        {
            final ObjectNode b = NODES.objectNode();
            b.put("type", "tool_use");
            b.put("id", "toolu_" + id);
            b.put("name", name);
            b.set("input", in);
            return b;
        });
    }
}
