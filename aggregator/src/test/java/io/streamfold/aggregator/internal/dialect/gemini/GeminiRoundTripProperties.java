package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A random Gemini message (text runs, thought runs, whole function calls), cut into random chunks, sent
 * as SSE or as a streamed JSON array, fed in random byte slices, folds back to the same message.
 */
class GeminiRoundTripProperties
{
    @Property(tries = 300)
    void randomMessageSurvivesAnyChunkingAndSlicing(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        // The message: segments of kind 0 text, 1 thought, 2 function call.
        final List<String> parts = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final StringBuilder thought = new StringBuilder();
        final List<String> calls = new ArrayList<>();
        final int segments = 1 + r.nextInt(6);
        for (int s = 0; s < segments; s++)
        {
            final int kind = r.nextInt(3);
            if (kind == 2)
            {
                final String args = "{\"k" + r.nextInt(5) + "\":" + GeminiTesting.quote(GeminiTesting.randomText(r)) + ",\"n\":" + r.nextInt(1000) + "}";
                final String name = "fn" + r.nextInt(100);
                calls.add(name + " " + args);
                parts.add("{\"functionCall\":{\"name\":\"" + name + "\",\"args\":" + args + "}}");
                continue;
            }
            final String run = GeminiTesting.randomText(r) + "x";
            (kind == 0 ? text : thought).append(run);
            // Cut the run into pieces, each its own part (possibly in separate events).
            int at = 0;
            while (at < run.length())
            {
                int end = Math.min(run.length(), at + 1 + r.nextInt(4));
                if (Character.isHighSurrogate(run.charAt(end - 1)) && end < run.length())
                {
                    end++;
                }
                final String piece = GeminiTesting.quote(run.substring(at, end));
                parts.add(kind == 0 ? "{\"text\":" + piece + "}" : "{\"text\":" + piece + ",\"thought\":true}");
                at = end;
            }
        }
        // Group the parts into events.
        final List<String> events = new ArrayList<>();
        int p = 0;
        while (p < parts.size())
        {
            final int n = 1 + r.nextInt(3);
            final List<String> group = parts.subList(p, Math.min(parts.size(), p + n));
            p += group.size();
            final boolean last = p >= parts.size();
            events.add("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + String.join(",", group) + "]}" +
                (last ? ",\"finishReason\":\"STOP\"" : "") + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":" +
                events.size() + "},\"modelVersion\":\"m\"}");
        }
        final boolean array = r.nextBoolean();
        final StringBuilder body = new StringBuilder(array ? "[" : "");
        for (int i = 0; i < events.size(); i++)
        {
            if (array)
            {
                body.append(i > 0 ? "\r\n,\r\n" : "").append(events.get(i));
            }
            else
            {
                body.append("data: ").append(events.get(i)).append("\r\n\r\n");
            }
        }
        if (array)
        {
            body.append("]");
        }
        final byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        final StreamAggregator whole = GeminiTesting.whole(Format.AUTO, bytes);
        final Aggregate a = whole.result();
        assertEquals(Outcome.COMPLETE, a.outcome(), a.errors().toString());
        assertEquals(0, a.errors().size(), a.errors().toString());
        final Choice c = a.choice(0);
        assertEquals(text.toString(), c.joined(Part.Kind.TEXT));
        assertEquals(thought.toString(), c.joined(Part.Kind.REASONING));
        final List<String> folded = new ArrayList<>();
        for (final Part call : c.toolCalls())
        {
            folded.add(call.name() + " " + call.text());
        }
        assertEquals(calls, folded);
        assertEquals(events.size() - 1, a.usage().outputTokens());
        // Consecutive parts of one kind join: no two neighbours share a text kind.
        for (int i = 1; i < c.parts().size(); i++)
        {
            final Part.Kind k = c.parts().get(i).kind();
            if (k == Part.Kind.TEXT || k == Part.Kind.REASONING)
            {
                assertEquals(true, c.parts().get(i - 1).kind() != k, c.parts().toString());
            }
        }
        assertEquals(GeminiTesting.render(whole), GeminiTesting.render(GeminiTesting.randomSlices(Format.GEMINI, bytes, seed)));
        // The output is itself a response that reads back to the same message.
        final String out = a.toJson();
        final byte[] again = ("data: " + out + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        final Aggregate reread = GeminiTesting.whole(Format.GEMINI, again).result();
        assertEquals(out, reread.toJson());
    }
}
