package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.internal.dialect.ollama.OllamaLines;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Ollama NDJSON streams from /api/chat (message.content, message.thinking, whole tool calls) or
 * /api/generate (response, thinking): text cut anywhere (a surrogate pair may be split between two lines),
 * thinking and text sometimes in the same line (either order), LF or CRLF line ends, then the done:true line with
 * done_reason and the counts, its line end optional. Each line has its own {@code created_at}, as Ollama writes
 * it: a timestamp whose fraction has 0 to 9 digits (so its width changes from line to line), now and then written
 * with an escape, or empty.
 */
final class OllamaStreams implements StreamGenerator
{
    private static final String[] REASONS = { "stop", "length" };

    /**
     * One segment: kind 0 content, 1 thinking, 2 a tool call (chat only; text is its argument value), 3 thinking and
     * content in the same lines (text cut for both alike).
     */
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
        final Arbitrary<Segment> segment = Combinators.combine(Arbitraries.integers().between(0, 3), OpenAiChatStreams.text(40),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Segment::new);
        return Combinators.combine(segment.list().ofMaxSize(5), Arbitraries.of(true, false), Arbitraries.longs()).as(this::build);
    }

    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        return Arbitraries.of("{]\n", "{\"model\":\"m\",,}\n", "not json\n", "[1,2,3]\n", "{\"done\":false}{}\n", "\"text\"\r\n")
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private static String head(final int line, final Random random)
    {
        return "{\"model\":\"llama-x\",\"created_at\":" + OllamaLines.createdAt(random, line) + ",";
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
            if (s.kind() == 2 && chat)
            {
                final String args = "{\"q\":" + OpenAiChatStreams.quote(s.text(), random) + "}";
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.name = s.name();
                call.arguments.append(args);
                log.add(head(line++, random) + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"" +
                    s.name() + "\",\"arguments\":" + args + "}}]},\"done\":false}" + end);
                continue;
            }
            final boolean thinking = s.kind() == 1;
            final boolean both = s.kind() == 3;
            final boolean thinkingFirst = random.nextBoolean();
            for (final String piece : EventLog.pieces(s.text(), random, false))
            {
                final String answer = (chat ? "\"content\":" : "\"response\":") + OpenAiChatStreams.quote(piece, random);
                final String thought = "\"thinking\":" + OpenAiChatStreams.quote(piece, random);
                final String field;
                if (both)
                {
                    choice.reasoning.append(piece);
                    choice.text.append(piece);
                    field = thinkingFirst ? thought + "," + answer : answer + "," + thought;
                }
                else
                {
                    (thinking ? choice.reasoning : choice.text).append(piece);
                    field = thinking ? thought : answer;
                }
                log.add(head(line++, random) + (chat ? "\"message\":{\"role\":\"assistant\"," + field + "}" : field) + ",\"done\":false}" + end);
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
