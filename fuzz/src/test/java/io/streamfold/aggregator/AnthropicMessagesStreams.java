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
 * deltas, each half a {@code \\u} escape), pings anywhere, message_delta with the stop reason and the output
 * usage, message_stop. The event line is sometimes left out, as the dialect keys on the payload's type.
 */
final class AnthropicMessagesStreams implements StreamGenerator
{
    private static final String[] STOP = { "end_turn", "max_tokens", "stop_sequence", "tool_use" };

    /** One content block: kind 0 text, 1 thinking, 2 tool_use (text is then the input's argument value). */
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
        final Arbitrary<Block> block = Combinators.combine(Arbitraries.integers().between(0, 2), OpenAiChatStreams.text(40),
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
        for (int index = 0; index < blocks.size(); index++)
        {
            final Block b = blocks.get(index);
            final String head = "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":";
            if (b.kind() == 2)
            {
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.id = "toolu_" + index + b.name();
                call.name = b.name();
                event(log, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index +
                    ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + call.id + "\",\"name\":\"" + call.name + "\",\"input\":{}}}", random);
                final String arguments = "{\"q\":" + OpenAiChatStreams.quote(b.text(), random) + "}";
                for (final String piece : EventLog.pieces(arguments, random, true))
                {
                    call.arguments.append(piece);
                    event(log, "content_block_delta", head + "\"input_json_delta\",\"partial_json\":" +
                        OpenAiChatStreams.quote(piece, random) + "}}", random);
                }
            }
            else
            {
                final boolean thinking = b.kind() == 1;
                event(log, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" +
                    (thinking ? "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}" : "{\"type\":\"text\",\"text\":\"\"}") + "}", random);
                for (final String piece : EventLog.pieces(b.text(), random, false))
                {
                    (thinking ? choice.reasoning : choice.text).append(piece);
                    event(log, "content_block_delta", head + (thinking ? "\"thinking_delta\",\"thinking\":" : "\"text_delta\",\"text\":") +
                        OpenAiChatStreams.quote(piece, random) + "}}", random);
                }
                if (thinking)
                {
                    event(log, "content_block_delta", head + "\"signature_delta\",\"signature\":\"c2ln" + index + "\"}}", random);
                }
            }
            event(log, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}", random);
        }
        choice.finishReason = stop;
        log.message.usage.put("output_tokens", Long.toString(output));
        event(log, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop +
            "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}", random);
        event(log, "message_stop", "{\"type\":\"message_stop\"}", random);
        log.terminal();
        return log.build(this);
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
