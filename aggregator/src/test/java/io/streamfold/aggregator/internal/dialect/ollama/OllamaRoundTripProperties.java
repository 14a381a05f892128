package io.streamfold.aggregator.internal.dialect.ollama;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A random Ollama chat or generate message, cut into random lines, fed in random slices, folds back the same. */
class OllamaRoundTripProperties
{
    @Property(tries = 300)
    void randomMessageSurvivesAnyChunkingAndSlicing(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final boolean chat = r.nextBoolean();
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final List<String> calls = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        final int lines = 1 + r.nextInt(12);
        final String terminator = r.nextBoolean() ? "\n" : "\r\n";
        for (int i = 0; i < lines; i++)
        {
            final String piece = GeminiTesting.randomText(r);
            final boolean think = r.nextInt(4) == 0;
            (think ? thinking : text).append(piece);
            String toolCalls = "";
            if (chat && r.nextInt(5) == 0)
            {
                final String args = "{\"a\":" + GeminiTesting.quote(GeminiTesting.randomText(r)) + "}";
                calls.add("t" + i + " " + args);
                toolCalls = ",\"tool_calls\":[{\"function\":{\"name\":\"t" + i + "\",\"arguments\":" + args + "}}]";
            }
            final String q = GeminiTesting.quote(piece);
            final String field = think ? "\"thinking\":" + q : (chat ? "\"content\":" + q : "\"response\":" + q);
            body.append("{\"model\":\"m\",\"created_at\":\"t").append(i).append("\",");
            body.append(chat ? "\"message\":{\"role\":\"assistant\"," + field + toolCalls + "}" : field);
            body.append(",\"done\":false}").append(terminator);
        }
        body.append("{\"model\":\"m\",\"created_at\":\"end\",").append(chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"\"}" : "\"response\":\"\"")
            .append(",\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":").append(lines).append(",\"eval_count\":7}");
        if (r.nextBoolean())
        {
            body.append(terminator);
        }
        final byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        final StreamAggregator whole = GeminiTesting.whole(Format.AUTO, bytes);
        final Aggregate a = whole.result();
        assertEquals(Outcome.COMPLETE, a.outcome(), a.errors().toString());
        assertEquals(0, a.errors().size());
        assertEquals(text.toString(), a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(thinking.toString(), a.choice(0).joined(Part.Kind.REASONING));
        final List<String> folded = new ArrayList<>();
        for (final Part call : a.choice(0).toolCalls())
        {
            folded.add(call.name() + " " + call.text());
        }
        assertEquals(calls, folded);
        assertEquals(lines + 7, a.usage().totalTokens());
        assertEquals(GeminiTesting.render(whole), GeminiTesting.render(GeminiTesting.randomSlices(Format.OLLAMA, bytes, seed)));
        // The output is the non-streaming object: read as a one-line stream, it gives the same output.
        final String out = a.toJson();
        final byte[] again = (out + "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(out, GeminiTesting.whole(Format.OLLAMA, again).result().toJson());
    }
}
