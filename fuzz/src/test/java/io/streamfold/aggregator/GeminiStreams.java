package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.streamfold.parser.ErrorKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Gemini streamGenerateContent responses, over SSE ({@code alt=sse}) or as a streamed JSON array: one or
 * two candidates, each a run of text, thought and functionCall parts spread over responses (a text may be cut
 * between two parts, even inside a surrogate pair), the finishReason on each candidate's last response (or, as
 * Vertex sends it, on its last few), and usageMetadata on every response (growing) or on the last one only. Spaced
 * as AI Studio spaces its JSON or not; safety ratings and prompt details or not (see {@link Style}).
 */
final class GeminiStreams implements StreamGenerator
{
    private static final String[] FINISH = { "STOP", "MAX_TOKENS", "SAFETY" };

    private final boolean array;

    /** One segment of a candidate: kind 0 text, 1 thought, 2 functionCall (text is then its argument value). */
    record Segment(int kind, String text, String name)
    {
    }

    GeminiStreams(final boolean array)
    {
        this.array = array;
    }

    @Override
    public Format format()
    {
        return Format.GEMINI;
    }

    @Override
    public String name()
    {
        return array ? "gemini-array" : "gemini-sse";
    }

    @Override
    public boolean deliversUnterminatedEvent()
    {
        return !array;
    }

    /**
     * The dialect applies each candidate as it reads it, so a payload cut after a candidate (the SSE end
     * hands on the cut last event) keeps what was read before the cut, finishReason included. Known gap.
     */
    @Override
    public boolean appliesCutEventsInPart()
    {
        return !array;
    }

    /** Over SSE the stream is complete once every candidate seen has finished, which a later candidate undoes. */
    @Override
    public boolean completeAfter(final Generated g, final int kept)
    {
        return array ? StreamGenerator.super.completeAfter(g, kept) : StreamGenerator.allFinished(g.prefixes().get(kept));
    }

    @Override
    public int firstGarbagePosition()
    {
        return array ? 1 : 0;
    }

    @Override
    public Set<ErrorKind> damageErrors()
    {
        return array ? Set.of(ErrorKind.MALFORMED_JSON, ErrorKind.TRUNCATED, ErrorKind.MALFORMED_FRAMING) : StreamGenerator.super.damageErrors();
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        final Arbitrary<Segment> segment = Combinators.combine(Arbitraries.integers().between(0, 2), OpenAiChatStreams.text(30),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Segment::new);
        return Combinators.combine(segment.list().ofMaxSize(4).list().ofMinSize(1).ofMaxSize(2), Arbitraries.longs()).as(this::build);
    }

    /** An element the dialect rejects; for the array, framed as the next element (its comma first). */
    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        if (array)
        {
            // Anything after a whole element but a comma or ']' breaks the framing itself: see the array property.
            return Arbitraries.of(",{]", ",{\"candidates\":[}]", ",[1,2,3]", ",\"text\"", ",42")
                .map(p -> p.getBytes(StandardCharsets.UTF_8));
        }
        return Arbitraries.of("{]", "{\"candidates\":[}]", "[1,2,3]", "{\"candidates\":[]}{}", "\"text\"", "42")
            .map(p -> ("data: " + p + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What a stream's responses look like, drawn once: AI Studio's spacing ({@code ": "} after every name) or none;
     * one part per response (the usual stream) or up to three; the usage's prompt details; safety ratings on every
     * candidate; Vertex's finishReason on every response of a candidate once its last part is near.
     */
    private record Style(String colon, boolean onePart, boolean details, boolean safety, boolean vertexFinish)
    {
        static Style random(final Random random)
        {
            return new Style(random.nextBoolean() ? "\": " : "\":", random.nextBoolean(), random.nextBoolean(),
                random.nextInt(3) == 0, random.nextInt(4) == 0);
        }

        /** A member name and its colon. */
        String name(final String name)
        {
            return "\"" + name + colon;
        }
    }

    private Generated build(final List<List<Segment>> candidates, final long seed)
    {
        final Random random = new Random(seed);
        final Style style = Style.random(random);
        final EventLog log = new EventLog();
        // Each candidate's parts, cut into responses; the responses of all candidates interleaved.
        final List<List<String>> perCandidate = new ArrayList<>();
        final List<List<Runnable>> effects = new ArrayList<>();
        final String[] finishes = new String[candidates.size()];
        for (int c = 0; c < candidates.size(); c++)
        {
            final List<String> parts = new ArrayList<>();
            final List<Runnable> meaning = new ArrayList<>();
            final int idx = c;
            int calls = 0;
            finishes[c] = FINISH[random.nextInt(FINISH.length)];
            for (final Segment s : candidates.get(c))
            {
                if (s.kind() == 2)
                {
                    final String args = "{\"q\":" + OpenAiChatStreams.quote(s.text(), random) + "}";
                    final int call = calls++;
                    parts.add("{" + style.name("functionCall") + "{\"name\":\"" + s.name() + "\",\"args\":" + args + "}}");
                    meaning.add(() ->
                    {
                        final Message.Builder.CallBuilder cb = log.message.choice(idx).call(call);
                        cb.name = s.name();
                        cb.arguments.append(args);
                    });
                    continue;
                }
                for (final String piece : EventLog.pieces(s.text(), random, false))
                {
                    parts.add("{" + style.name("text") + OpenAiChatStreams.quote(piece, random) +
                        (s.kind() == 1 ? "," + style.name("thought") + "true}" : "}"));
                    meaning.add(() -> (s.kind() == 1 ? log.message.choice(idx).reasoning : log.message.choice(idx).text).append(piece));
                }
            }
            perCandidate.add(parts);
            effects.add(meaning);
        }
        final List<String> responses = new ArrayList<>();
        final List<List<Runnable>> responseEffects = new ArrayList<>();
        final int[] next = new int[candidates.size()];
        final boolean[] finished = new boolean[candidates.size()];
        final boolean[] finishSent = new boolean[candidates.size()];
        int open = candidates.size();
        while (open > 0)
        {
            final int c = random.nextInt(candidates.size());
            if (finished[c])
            {
                continue;
            }
            final int n = Math.min(perCandidate.get(c).size() - next[c], style.onePart() ? 1 : random.nextInt(4));
            final List<String> group = perCandidate.get(c).subList(next[c], next[c] + n);
            final List<Runnable> meaning = new ArrayList<>(effects.get(c).subList(next[c], next[c] + n));
            next[c] += n;
            final StringBuilder candidate = new StringBuilder("{").append(style.name("content")).append("{")
                .append(style.name("role")).append("\"model\",").append(style.name("parts")).append("[")
                .append(String.join(",", group)).append("]}");
            final int index = c;
            meaning.add(0, () -> log.message.choice(index));
            // A candidate finishes with its last part or in an empty response after it.
            final boolean finishing = next[c] == perCandidate.get(c).size() && random.nextInt(3) != 0;
            // Vertex sends the finishReason on every response from near the end on, text still coming.
            finishSent[c] |= style.vertexFinish() && perCandidate.get(c).size() - next[c] < 4;
            if (finishing || finishSent[c])
            {
                final String finish = finishes[c];
                candidate.append(',').append(style.name("finishReason")).append('"').append(finish).append('"');
                meaning.add(() -> log.message.choice(index).finishReason = finish);
            }
            if (finishing)
            {
                finished[c] = true;
                open--;
            }
            candidate.append(',').append(style.name("index")).append(c);
            if (style.safety())
            {
                candidate.append(',').append(style.name("safetyRatings")).append("[{").append(style.name("category"))
                    .append("\"HARM_CATEGORY_HATE_SPEECH\",").append(style.name("probability")).append("\"NEGLIGIBLE\"}]");
            }
            candidate.append('}');
            responses.add("{" + style.name("candidates") + "[" + candidate + "]");
            responseEffects.add(meaning);
        }
        final boolean usageEverywhere = random.nextBoolean();
        final long prompt = 1 + random.nextInt(500);
        final String details = "[{" + style.name("modality") + "\"TEXT\"," + style.name("tokenCount") + prompt + "}]";
        long total = 0;
        for (int i = 0; i < responses.size(); i++)
        {
            final boolean last = i == responses.size() - 1;
            total += random.nextInt(20);
            String response = responses.get(i);
            if (usageEverywhere || last)
            {
                response += "," + style.name("usageMetadata") + "{" + style.name("promptTokenCount") + prompt + "," +
                    style.name("candidatesTokenCount") + total + "," + style.name("totalTokenCount") + (prompt + total) +
                    (style.details() ? "," + style.name("promptTokensDetails") + details : "") + "}";
                log.message.usage.put("promptTokenCount", Long.toString(prompt));
                log.message.usage.put("candidatesTokenCount", Long.toString(total));
                log.message.usage.put("totalTokenCount", Long.toString(prompt + total));
                if (style.details())
                {
                    log.message.usage.put("promptTokensDetails", details);
                }
            }
            response += "," + style.name("modelVersion") + "\"gemini-x\"," + style.name("responseId") + "\"r1\"}";
            responseEffects.get(i).forEach(Runnable::run);
            log.add(array ? (i == 0 ? "[" : "\r\n,") + response : "data: " + response + "\r\n\r\n");
        }
        if (array)
        {
            // The array's closing ']' is its end: a body cut before it is TRUNCATED even when every
            // candidate had finished (the framer saw the cut).
            log.addNeutral("]");
            log.terminal();
        }
        else
        {
            log.terminalWhenAllFinished();
        }
        return log.build(this);
    }
}
