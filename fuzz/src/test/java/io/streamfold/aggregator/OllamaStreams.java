package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Ollama NDJSON streams from /api/chat (message.content, message.thinking, whole tool calls) or
 * /api/generate (response, thinking): text cut anywhere (a surrogate pair may be split between two lines),
 * LF or CRLF line ends, then the done:true line with done_reason and the counts, its line end optional.
 */
final class OllamaStreams implements StreamGenerator
{
    private static final String[] REASONS = { "stop", "length" };

    /** One segment: kind 0 content, 1 thinking, 2 a tool call (chat only; text is its argument value). */
    record Segment(int kind, String text, String name)
    {
    }

    @Override
    public Format format()
    {
        return Format.OLLAMA;
    }

    @Override
    public boolean deliversUnterminatedEvent()
    {
        return true;
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        final Arbitrary<Segment> segment = Combinators.combine(Arbitraries.integers().between(0, 2), OpenAiChatStreams.text(40),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Segment::new);
        return Combinators.combine(segment.list().ofMaxSize(5), Arbitraries.of(true, false), Arbitraries.longs()).as(this::build);
    }

    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        return Arbitraries.of("{]\n", "{\"model\":\"m\",,}\n", "not json\n", "[1,2,3]\n", "{\"done\":false}{}\n", "\"text\"\r\n")
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private Generated build(final List<Segment> segments, final boolean chat, final long seed)
    {
        final Random random = new Random(seed);
        final EventLog log = new EventLog();
        final String end = random.nextBoolean() ? "\n" : "\r\n";
        int calls = 0;
        int line = 0;
        for (final Segment s : segments)
        {
            final Message.Builder.ChoiceBuilder choice = log.message.choice(0);
            final String head = "{\"model\":\"llama-x\",\"created_at\":\"2025-01-01T00:00:0" + (line++ % 10) + "Z\",";
            if (s.kind() == 2 && chat)
            {
                final String args = "{\"q\":" + OpenAiChatStreams.quote(s.text(), random) + "}";
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.name = s.name();
                call.arguments.append(args);
                log.add(head + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"" +
                    s.name() + "\",\"arguments\":" + args + "}}]},\"done\":false}" + end);
                continue;
            }
            final boolean thinking = s.kind() == 1;
            for (final String piece : EventLog.pieces(s.text(), random, false))
            {
                (thinking ? choice.reasoning : choice.text).append(piece);
                final String field = (thinking ? "\"thinking\":" : chat ? "\"content\":" : "\"response\":") +
                    OpenAiChatStreams.quote(piece, random);
                log.add(head + (chat ? "\"message\":{\"role\":\"assistant\"," + field + "}" : field) + ",\"done\":false}" + end);
            }
        }
        final String reason = REASONS[random.nextInt(REASONS.length)];
        final long prompt = random.nextInt(5000);
        final long eval = random.nextInt(5000);
        final long duration = random.nextInt(1_000_000_000);
        log.message.choice(0).finishReason = reason;
        log.message.usage.put("prompt_eval_count", Long.toString(prompt));
        log.message.usage.put("eval_count", Long.toString(eval));
        log.message.usage.put("total_duration", Long.toString(duration));
        log.add("{\"model\":\"llama-x\",\"created_at\":\"2025-01-01T00:00:09Z\"," +
            (chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"\"}" : "\"response\":\"\"") +
            ",\"done\":true,\"done_reason\":\"" + reason + "\",\"total_duration\":" + duration + ",\"prompt_eval_count\":" + prompt +
            ",\"eval_count\":" + eval + "}" + (random.nextBoolean() ? end : ""));
        log.terminal();
        return log.build(this);
    }
}
