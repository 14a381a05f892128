package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.testkit.JsonTree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Round trip: a random final response (messages with unicode and escapes, reasoning summaries, function
 * calls) is encoded as the Responses event stream that would produce it, with random delta fragments and
 * random byte slicing; folding it back must give the same response. (Named *Test so Surefire's default
 * includes run it.)
 */
class ResponsesRoundTripTest
{
    /** Text pieces never split a code point, as a server's deltas never split a JSON string's characters. */
    private static final String[] PIECES = {
        "a", "Z", " ", "\"", "\\", "\n", "\t", "\r", "\u0001", "\u007f", "\u00e9", "\u4e2d", "\ud83d\ude00", "\u2028", "{", "}", "/", "\\u",
    };

    @Provide
    Arbitrary<List<String>> text()
    {
        return Arbitraries.of(PIECES).list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<Map<String, Object>> item()
    {
        final Arbitrary<Map<String, Object>> message = text().list().ofMinSize(1).ofMaxSize(2).map(parts ->
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "message");
            m.put("status", "completed");
            m.put("role", "assistant");
            final List<Object> content = new ArrayList<>();
            for (final List<String> p : parts)
            {
                final Map<String, Object> c = new LinkedHashMap<>();
                c.put("type", "output_text");
                c.put("annotations", new ArrayList<>());
                c.put("text", p);
                content.add(c);
            }
            m.put("content", content);
            return m;
        });
        final Arbitrary<Map<String, Object>> reasoning = text().list().ofMaxSize(3).map(parts ->
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "reasoning");
            final List<Object> summary = new ArrayList<>();
            for (final List<String> p : parts)
            {
                final Map<String, Object> c = new LinkedHashMap<>();
                c.put("type", "summary_text");
                c.put("text", p);
                summary.add(c);
            }
            m.put("summary", summary);
            return m;
        });
        final Arbitrary<Map<String, Object>> call = Combinators.combine(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), text()).as((name, value) ->
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "function_call");
            m.put("status", "completed");
            final List<String> args = new ArrayList<>();
            args.add("{\"q\":");
            args.add(JsonTree.write(String.join("", value)));
            args.add("}");
            m.put("arguments", args);
            m.put("call_id", "call_" + name);
            m.put("name", name);
            return m;
        });
        return Arbitraries.oneOf(message, reasoning, call);
    }

    @Property(tries = 300)
    void foldsBackToTheSameResponse(
        @ForAll("responses") final List<Map<String, Object>> items,
        @ForAll final long seed,
        @ForAll final boolean finalOutputInTheStream,
        @ForAll final boolean eventLines)
    {
        final Random random = new Random(seed);
        final Map<String, Object> expected = response(items, "completed");
        final List<Map<String, Object>> events = encode(items, finalOutputInTheStream, random);
        final StringBuilder sse = new StringBuilder();
        for (final Map<String, Object> event : events)
        {
            if (eventLines)
            {
                sse.append("event: ").append(event.get("type")).append('\n');
            }
            sse.append("data: ").append(JsonTree.write(event)).append("\n\n");
        }
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        final RecordingListener recorder = new RecordingListener();
        final Aggregate result = ResponsesTestSupport.sliced(
            ResponsesTestSupport.aggregator(recorder), bytes, random, 1 + random.nextInt(64));
        assertEquals(List.of(), result.errors());
        assertEquals(Outcome.COMPLETE, result.outcome());
        assertEquals(JsonTree.parseByValue(JsonTree.write(expected)), JsonTree.objectByValue(result.toJson()));
    }

    @Provide
    Arbitrary<List<Map<String, Object>>> responses()
    {
        return item().list().ofMaxSize(5);
    }

    /** The final response object, with each item's pieces joined and ids given by position. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> response(final List<Map<String, Object>> items, final String status)
    {
        final Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "resp_rt");
        r.put("object", "response");
        r.put("created_at", BigDecimal.valueOf(1700000000L));
        r.put("status", status);
        r.put("model", "model-\u00e9");
        r.put("error", null);
        final List<Object> output = new ArrayList<>();
        for (int i = 0; i < items.size(); i++)
        {
            output.add(finalItem(items.get(i), i));
        }
        r.put("output", output);
        if ("completed".equals(status))
        {
            final Map<String, Object> usage = new LinkedHashMap<>();
            usage.put("input_tokens", BigDecimal.valueOf(3));
            usage.put("output_tokens", BigDecimal.valueOf(4));
            usage.put("total_tokens", BigDecimal.valueOf(7));
            r.put("usage", usage);
        }
        else
        {
            r.put("usage", null);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> finalItem(final Map<String, Object> item, final int index)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "item_" + index);
        for (final Map.Entry<String, Object> e : item.entrySet())
        {
            final Object v = e.getValue();
            if (v instanceof List && ("content".equals(e.getKey()) || "summary".equals(e.getKey())))
            {
                final List<Object> parts = new ArrayList<>();
                for (final Object p : (List<Object>)v)
                {
                    final Map<String, Object> part = new LinkedHashMap<>((Map<String, Object>)p);
                    part.put("text", String.join("", (List<String>)part.get("text")));
                    parts.add(part);
                }
                m.put(e.getKey(), parts);
            }
            else if ("arguments".equals(e.getKey()))
            {
                m.put("arguments", String.join("", (List<String>)v));
            }
            else
            {
                m.put(e.getKey(), v);
            }
        }
        return m;
    }

    /** The events a server would send for {@code items}, each text cut into random fragments. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> encode(
        final List<Map<String, Object>> items, final boolean finalOutput, final Random random)
    {
        final List<Map<String, Object>> events = new ArrayList<>();
        final Map<String, Object> created = response(List.of(), "in_progress");
        events.add(event("response.created", "response", created));
        events.add(event("response.in_progress", "response", created));
        for (int i = 0; i < items.size(); i++)
        {
            final Map<String, Object> item = items.get(i);
            final Map<String, Object> done = finalItem(item, i);
            final String type = (String)item.get("type");
            final Map<String, Object> added = new LinkedHashMap<>(done);
            if (added.containsKey("status"))
            {
                added.put("status", "in_progress");
            }
            if ("message".equals(type))
            {
                added.put("content", new ArrayList<>());
            }
            else if ("reasoning".equals(type))
            {
                added.put("summary", new ArrayList<>());
            }
            else
            {
                added.put("arguments", "");
            }
            events.add(indexed(event("response.output_item.added", "item", added), i));
            if ("function_call".equals(type))
            {
                final String args = (String)done.get("arguments");
                for (final String fragment : fragments((List<String>)item.get("arguments"), random))
                {
                    events.add(indexed(event("response.function_call_arguments.delta", "delta", fragment), i));
                }
                events.add(indexed(event("response.function_call_arguments.done", "arguments", args), i));
            }
            else
            {
                final boolean summary = "reasoning".equals(type);
                final List<Object> parts = (List<Object>)item.get(summary ? "summary" : "content");
                final String prefix = summary ? "response.reasoning_summary_" : "response.";
                for (int p = 0; p < parts.size(); p++)
                {
                    final Map<String, Object> part = (Map<String, Object>)parts.get(p);
                    final Map<String, Object> empty = new LinkedHashMap<>(part);
                    empty.put("text", "");
                    final Map<String, Object> full = ((List<Map<String, Object>>)done.get(summary ? "summary" : "content")).get(p);
                    final String partIndex = summary ? "summary_index" : "content_index";
                    events.add(indexed(event(prefix + (summary ? "part" : "content_part") + ".added", "part", empty), i, partIndex, p));
                    for (final String fragment : fragments((List<String>)part.get("text"), random))
                    {
                        events.add(indexed(event(prefix + (summary ? "text" : "output_text") + ".delta", "delta", fragment), i, partIndex, p));
                    }
                    events.add(indexed(event(prefix + (summary ? "text" : "output_text") + ".done", "text", full.get("text")), i, partIndex, p));
                    events.add(indexed(event(prefix + (summary ? "part" : "content_part") + ".done", "part", full), i, partIndex, p));
                }
            }
            events.add(indexed(event("response.output_item.done", "item", done), i));
        }
        final Map<String, Object> completed = response(items, "completed");
        if (!finalOutput)
        {
            completed.put("output", new ArrayList<>());
        }
        events.add(event("response.completed", "response", completed));
        for (int i = 0; i < events.size(); i++)
        {
            events.get(i).put("sequence_number", BigDecimal.valueOf(i));
        }
        return events;
    }

    /** Joins neighbouring pieces at random: the fragments a server could have sent. */
    private static List<String> fragments(final List<String> pieces, final Random random)
    {
        final List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (final String piece : pieces)
        {
            current.append(piece);
            if (random.nextInt(3) == 0)
            {
                out.add(current.toString());
                current = new StringBuilder();
            }
        }
        if (current.length() > 0 || out.isEmpty())
        {
            out.add(current.toString());
        }
        return out;
    }

    private static Map<String, Object> event(final String type, final String field, final Object value)
    {
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put(field, value);
        return e;
    }

    private static Map<String, Object> indexed(final Map<String, Object> event, final int outputIndex)
    {
        event.put("output_index", BigDecimal.valueOf(outputIndex));
        return event;
    }

    private static Map<String, Object> indexed(
        final Map<String, Object> event, final int outputIndex, final String partField, final int partIndex)
    {
        indexed(event, outputIndex);
        event.put(partField, BigDecimal.valueOf(partIndex));
        return event;
    }
}
