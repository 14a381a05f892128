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
 * stop), messageStop with the stop reason, then metadata with the usage. Complete after messageStop.
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
        final Arbitrary<Block> block = Combinators.combine(Arbitraries.integers().between(0, 2), OpenAiChatStreams.text(40),
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

    private Generated build(final List<Block> blocks, final String stop, final long seed)
    {
        final Random random = new Random(seed);
        final EventLog log = new EventLog();
        final Message.Builder.ChoiceBuilder choice = log.message.choice(0);
        log.add(EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"));
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
                log.add(EventStreamEncoder.event("contentBlockStart", "{\"start\":{\"toolUse\":{\"toolUseId\":\"" + call.id +
                    "\",\"name\":\"" + call.name + "\"}}," + index + "}"));
                final String args = "{\"q\":" + OpenAiChatStreams.quote(b.text(), random) + "}";
                for (final String piece : EventLog.pieces(args, random, true))
                {
                    call.arguments.append(piece);
                    log.add(EventStreamEncoder.event("contentBlockDelta", "{" + index + ",\"delta\":{\"toolUse\":{\"input\":" +
                        OpenAiChatStreams.quote(piece, random) + "}}}"));
                }
            }
            else
            {
                final boolean reasoning = b.kind() == 1;
                for (final String piece : EventLog.pieces(b.text(), random, reasoning))
                {
                    (reasoning ? choice.reasoning : choice.text).append(piece);
                    final String q = OpenAiChatStreams.quote(piece, random);
                    log.add(EventStreamEncoder.event("contentBlockDelta", "{" + index + ",\"delta\":" +
                        (reasoning ? "{\"reasoningContent\":{\"text\":" + q + "}}" : "{\"text\":" + q + "}") + "}"));
                }
            }
            log.add(EventStreamEncoder.event("contentBlockStop", "{" + index + "}"));
        }
        choice.finishReason = stop;
        log.add(EventStreamEncoder.event("messageStop", "{\"stopReason\":\"" + stop + "\"}"));
        log.terminal();
        final long input = random.nextInt(5000);
        final long output = random.nextInt(5000);
        log.message.usage.put("inputTokens", Long.toString(input));
        log.message.usage.put("outputTokens", Long.toString(output));
        log.message.usage.put("totalTokens", Long.toString(input + output));
        log.add(EventStreamEncoder.event("metadata", "{\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output +
            ",\"totalTokens\":" + (input + output) + "},\"metrics\":{\"latencyMs\":17}}"));
        return log.build(this);
    }
}
