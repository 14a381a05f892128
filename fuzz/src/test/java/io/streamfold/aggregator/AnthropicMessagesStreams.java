package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.streamfold.parser.ErrorKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Anthropic Messages streams: message_start with usage, then text, thinking (with its signature) and
 * tool_use blocks whose text and input JSON come in pieces (a surrogate pair may be split between two
 * deltas, each half a {@code \\u} escape), web searches (a server_tool_use call, then a web_search_tool_result
 * block of search results with long opaque encrypted content, titles with escapes, nested and unknown fields) and
 * cited text (citations_delta events between the text deltas, with long opaque indexes), pings anywhere,
 * message_delta with the stop reason and the output usage, message_stop. The event line is sometimes left out, as
 * the dialect keys on the payload's type. Search results and citations are kept raw, so the message model is
 * unchanged by them; the raw values reach the written JSON, which the properties compare whole and sliced, fast
 * path on and off.
 */
final class AnthropicMessagesStreams implements StreamGenerator
{
    private static final String[] STOP = { "end_turn", "max_tokens", "stop_sequence", "tool_use" };

    /**
     * One content block: kind 0 text, 1 thinking, 2 tool_use (text is then the input's argument value), 3 a web search
     * (a server_tool_use block whose query is the text, and its result block), 4 text with citations between its pieces.
     */
    record Block(int kind, String text, String name)
    {
    }

    @Override
    public Format format()
    {
        return Format.ANTHROPIC;
    }

    /** A stream cut inside a tool_use block also reports its input as incomplete JSON (written as {}). */
    @Override
    public Set<ErrorKind> truncationErrors()
    {
        return Set.of(ErrorKind.TRUNCATED, ErrorKind.MALFORMED_JSON);
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        final Arbitrary<Block> block = Combinators.combine(Arbitraries.integers().between(0, 4), OpenAiChatStreams.text(40),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Block::new);
        return Combinators.combine(block.list().ofMaxSize(5), Arbitraries.of(STOP), Arbitraries.longs()).as(this::build);
    }

    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        return Arbitraries.of(
            "event: content_block_delta\ndata: {]\n\n",
            "data: {\"type\":\"content_block_delta\",,}\n\n",
            "data: not json\n\n",
            "event: ping\ndata: [1,2,3]\n\n",
            "data: {\"type\":\"ping\"}{}\n\n",
            "data: \"text\"\n\n").map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private Generated build(final List<Block> blocks, final String stop, final long seed)
    {
        final Random random = new Random(seed);
        final EventLog log = new EventLog();
        final long input = random.nextInt(5000);
        final long output = 1 + random.nextInt(5000);
        final Message.Builder.ChoiceBuilder choice = log.message.choice(0);
        log.message.usage.put("input_tokens", Long.toString(input));
        log.message.usage.put("output_tokens", "1");
        event(log, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + Long.toHexString(seed) +
            "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null," +
            "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":1}}}", random);
        int calls = 0;
        int index = 0;
        for (final Block b : blocks)
        {
            final String head = "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":";
            if (b.kind() == 2 || b.kind() == 3)
            {
                final boolean search = b.kind() == 3;
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.id = (search ? "srvtoolu_" : "toolu_") + index + b.name();
                call.name = search ? "web_search" : b.name();
                event(log, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index +
                    ",\"content_block\":{\"type\":\"" + (search ? "server_" : "") + "tool_use\",\"id\":\"" + call.id +
                    "\",\"name\":\"" + call.name + "\",\"input\":{}}}", random);
                final String arguments = "{\"" + (search ? "query" : "q") + "\":" + OpenAiChatStreams.quote(b.text(), random) + "}";
                for (final String piece : EventLog.pieces(arguments, random, true))
                {
                    call.arguments.append(piece);
                    event(log, "content_block_delta", head + "\"input_json_delta\",\"partial_json\":" +
                        OpenAiChatStreams.quote(piece, random) + "}}", random);
                }
                event(log, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}", random);
                if (search)
                {
                    index++;
                    event(log, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index +
                        ",\"content_block\":{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"" + call.id +
                        "\",\"content\":" + searchResults(b.text(), random) + "}}", random);
                    event(log, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}", random);
                }
                index++;
                continue;
            }
            final boolean thinking = b.kind() == 1;
            final boolean cited = b.kind() == 4;
            event(log, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" +
                (thinking ? "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}" :
                    cited ? "{\"citations\":[],\"type\":\"text\",\"text\":\"\"}" : "{\"type\":\"text\",\"text\":\"\"}") + "}", random);
            for (final String piece : EventLog.pieces(b.text(), random, false))
            {
                if (cited && random.nextInt(3) == 0)
                {
                    event(log, "content_block_delta", head + "\"citations_delta\",\"citation\":" + citation(piece, random) + "}}", random);
                }
                (thinking ? choice.reasoning : choice.text).append(piece);
                event(log, "content_block_delta", head + (thinking ? "\"thinking_delta\",\"thinking\":" : "\"text_delta\",\"text\":") +
                    OpenAiChatStreams.quote(piece, random) + "}}", random);
            }
            if (thinking)
            {
                event(log, "content_block_delta", head + "\"signature_delta\",\"signature\":\"" +
                    (random.nextBoolean() ? "c2ln" + index : opaque(random)) + "\"}}", random);
            }
            event(log, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}", random);
            index++;
        }
        choice.finishReason = stop;
        log.message.usage.put("output_tokens", Long.toString(output));
        event(log, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop +
            "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}", random);
        event(log, "message_stop", "{\"type\":\"message_stop\"}", random);
        log.terminal();
        return log.build(this);
    }

    /** A page of search results: opaque encrypted content (short, or long enough to be kept as bytes), odd fields. */
    private static String searchResults(final String text, final Random random)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int k = random.nextInt(4); k > 0; k--)
        {
            sb.append(sb.length() > 1 ? "," : "").append("{\"type\":\"web_search_result\",\"title\":")
                .append(OpenAiChatStreams.quote(text, random)).append(",\"url\":\"https://example.com/").append(k)
                .append("\",\"encrypted_content\":\"").append(opaque(random)).append("\",\"page_age\":")
                .append(random.nextBoolean() ? "null" : "\"2 days ago\"");
            if (random.nextInt(4) == 0)
            {
                // Fields no version knows, nested, with numbers as written.
                sb.append(",\"extra\":{\"deep\":[[[").append(random.nextInt(1000)).append(",-0.5e+3,true]]],\"s\":")
                    .append(OpenAiChatStreams.quote(text, random)).append('}');
            }
            sb.append('}');
        }
        return sb.append(']').toString();
    }

    /** A citation of a cited piece of text, with a long opaque index. */
    private static String citation(final String cited, final Random random)
    {
        return "{\"type\":\"web_search_result_location\",\"cited_text\":" + OpenAiChatStreams.quote(cited, random) +
            ",\"url\":\"https://example.com/1\",\"title\":\"Result \\u00e9\",\"encrypted_index\":\"" + opaque(random) + "\"}";
    }

    /** Base64-like opaque content, from a few bytes to past the length from which a kept string stays undecoded. */
    private static String opaque(final Random random)
    {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        final StringBuilder sb = new StringBuilder();
        for (int n = random.nextBoolean() ? random.nextInt(40) : 200 + random.nextInt(400); n > 0; n--)
        {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.append(random.nextBoolean() ? "==" : "").toString();
    }

    private static void event(final EventLog log, final String type, final String data, final Random random)
    {
        if (random.nextInt(10) == 0)
        {
            log.addNeutral("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        }
        log.add((random.nextInt(5) == 0 ? "" : "event: " + type + "\n") + "data: " + data + "\n\n");
    }
}
