package io.streamfold.aggregator;

import java.util.List;
import java.util.Random;
import java.util.Set;

import io.streamfold.parser.ErrorKind;
import io.streamfold.testkit.EventStreamEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Bedrock ConverseStream as AWS eventstream messages with correct CRCs: messageStart, text, reasoning and
 * toolUse blocks (start for tools, deltas cut anywhere, a surrogate pair possibly split between two deltas,
 * stop), messageStop with the stop reason, then metadata with the usage. Complete after messageStop. Most payloads
 * carry the {@code p} padding Bedrock adds over HTTP (random letters of random length, first or last, now and then
 * not a string), and a text delta now and then names its block after its body.
 */
final class BedrockConverseStreams implements StreamGenerator
{
    private static final String[] STOP = { "end_turn", "max_tokens", "tool_use", "stop_sequence" };

    /** One block: kind 0 text, 1 reasoning, 2 toolUse (text is then its argument value). */
    record Block(int kind, String text, String name)
    {
    }

    @Override
    public Format format()
    {
        return Format.BEDROCK;
    }

    @Override
    public Set<ErrorKind> garbageErrors()
    {
        return Set.of(ErrorKind.MALFORMED_JSON, ErrorKind.CHECKSUM_MISMATCH);
    }

    @Override
    public Set<ErrorKind> damageErrors()
    {
        return Set.of(ErrorKind.MALFORMED_JSON, ErrorKind.TRUNCATED, ErrorKind.CHECKSUM_MISMATCH, ErrorKind.MALFORMED_FRAMING,
            ErrorKind.FRAME_TOO_LARGE);
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        return streams(40);
    }

    /** @param maxCodePoints the longest text of one block (longer text: longer runs of alike deltas). */
    Arbitrary<Generated> streams(final int maxCodePoints)
    {
        final Arbitrary<Block> block = Combinators.combine(Arbitraries.integers().between(0, 2), OpenAiChatStreams.text(maxCodePoints),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Block::new);
        return Combinators.combine(block.list().ofMaxSize(5), Arbitraries.of(STOP), Arbitraries.longs()).as(this::build);
    }

    /**
     * A whole message whose payload the dialect rejects (valid CRCs), or a valid-looking message whose
     * message CRC is wrong (the framer drops it: its prelude, hence its length, is intact).
     */
    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        final Arbitrary<byte[]> badJson = Arbitraries.of("{]", "{\"contentBlockIndex\":0,,}", "not json", "[1,2,3]", "{}{}", "\"text\"")
            .map(p -> EventStreamEncoder.event("contentBlockDelta", p));
        final Arbitrary<byte[]> badCrc = Arbitraries.integers().between(0, 3).map(i ->
        {
            final byte[] frame = EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"lost\"}}");
            frame[frame.length - 1 - i] ^= 0x5A;
            return frame;
        });
        return Arbitraries.oneOf(badJson, badCrc);
    }

    /**
     * The message, its payload (an object) padded as the stream's {@code style} says (0: no padding, 1: a {@code p}
     * string first, else last), one message in ten padded otherwise (a number, first, last or none).
     */
    private static byte[] event(final String type, final String json, final int style, final Random random)
    {
        final int kind = random.nextInt(10) == 0 ? random.nextInt(4) : style == 0 ? 0 : style == 1 ? 2 : 3;
        if (kind == 0)
        {
            return EventStreamEncoder.event(type, json);
        }
        final String padding;
        if (kind == 1)
        {
            padding = "\"p\":" + random.nextInt(1000);
        }
        else
        {
            final StringBuilder p = new StringBuilder("\"p\":\"");
            for (int k = 1 + random.nextInt(40); k > 0; k--)
            {
                p.append((char)((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
            }
            padding = p.append('"').toString();
        }
        return EventStreamEncoder.event(type, kind == 2 ? "{" + padding + "," + json.substring(1) :
            json.substring(0, json.length() - 1) + "," + padding + "}");
    }

    private Generated build(final List<Block> blocks, final String stop, final long seed)
    {
        final Random random = new Random(seed);
        final EventLog log = new EventLog();
        final Message.Builder.ChoiceBuilder choice = log.message.choice(0);
        final int style = random.nextInt(8);
        log.add(event("messageStart", "{\"role\":\"assistant\"}", style, random));
        int calls = 0;
        for (int i = 0; i < blocks.size(); i++)
        {
            final Block b = blocks.get(i);
            final String index = "\"contentBlockIndex\":" + i;
            if (b.kind() == 2)
            {
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.id = "tooluse_" + i;
                call.name = b.name();
                log.add(event("contentBlockStart", "{\"start\":{\"toolUse\":{\"toolUseId\":\"" + call.id +
                    "\",\"name\":\"" + call.name + "\"}}," + index + "}", style, random));
                final String args = "{\"q\":" + OpenAiChatStreams.quote(b.text(), random) + "}";
                for (final String piece : EventLog.pieces(args, random, true))
                {
                    call.arguments.append(piece);
                    log.add(event("contentBlockDelta", "{" + index + ",\"delta\":{\"toolUse\":{\"input\":" +
                        OpenAiChatStreams.quote(piece, random) + "}}}", style, random));
                }
            }
            else
            {
                final boolean reasoning = b.kind() == 1;
                for (final String piece : EventLog.pieces(b.text(), random, reasoning))
                {
                    (reasoning ? choice.reasoning : choice.text).append(piece);
                    final String q = OpenAiChatStreams.quote(piece, random);
                    final String delta = "\"delta\":" + (reasoning ? "{\"reasoningContent\":{\"text\":" + q + "}}" : "{\"text\":" + q + "}");
                    log.add(event("contentBlockDelta", random.nextInt(10) == 0 ? "{" + delta + "," + index + "}" :
                        "{" + index + "," + delta + "}", style, random));
                }
            }
            log.add(event("contentBlockStop", "{" + index + "}", style, random));
        }
        choice.finishReason = stop;
        log.add(event("messageStop", "{\"stopReason\":\"" + stop + "\"}", style, random));
        log.terminal();
        final long input = random.nextInt(5000);
        final long output = random.nextInt(5000);
        log.message.usage.put("inputTokens", Long.toString(input));
        log.message.usage.put("outputTokens", Long.toString(output));
        log.message.usage.put("totalTokens", Long.toString(input + output));
        log.add(event("metadata", "{\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output +
            ",\"totalTokens\":" + (input + output) + "},\"metrics\":{\"latencyMs\":17}}", style, random));
        return log.build(this);
    }
}
