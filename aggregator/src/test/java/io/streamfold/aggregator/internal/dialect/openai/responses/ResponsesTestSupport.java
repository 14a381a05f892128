package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Feeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;

/** Feeding helpers and an event recorder shared by the Responses dialect tests. */
public final class ResponsesTestSupport
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A response.created event with an empty output (id resp_1, model m-1). */
    public static final String CREATED =
        "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":7," +
        "\"status\":\"in_progress\",\"model\":\"m-1\",\"output\":[],\"usage\":null}}";

    private ResponsesTestSupport()
    {
    }

    /** @return the response.completed event of {@link #CREATED}'s response, its output the items given (JSON, comma-separated). */
    public static String completed(final String output)
    {
        return "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":7," +
            "\"status\":\"completed\",\"model\":\"m-1\",\"output\":[" + output + "],\"usage\":null}}";
    }

    /** @return a response.output_item.added event at output index 0 for {@code item} (its JSON). */
    public static String added(final String item)
    {
        return "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" + item + "}";
    }

    /** @return a response.output_item.done event at output index 0 for {@code item} (its JSON). */
    public static String done(final String item)
    {
        return "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item + "}";
    }

    /** @return choice 0 of the normalized view. */
    public static JsonNode normalizedChoice(final Aggregate a) throws IOException
    {
        return MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0);
    }

    /** @return one complete call as the normalized view lists it. */
    public static JsonNode call(final String id, final String name, final String arguments)
    {
        return MAPPER.createObjectNode().put("id", id).put("name", name).put("arguments", arguments).put("complete", true);
    }

    /** @return the first output item of the provider JSON. */
    public static JsonNode firstOutput(final Aggregate a) throws IOException
    {
        return MAPPER.readTree(a.toJson()).get("output").get(0);
    }

    public static StreamAggregator aggregator(final RecordingListener recorder)
    {
        return StreamAggregator.builder().format(Format.OPENAI_RESPONSES).listener(recorder).build();
    }

    /** Feeds {@code bytes} whole, then ends. */
    public static Aggregate whole(final byte[] bytes, final RecordingListener recorder)
    {
        final StreamAggregator a = aggregator(recorder);
        feedScribbled(a, bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    public static Aggregate whole(final String sse, final RecordingListener recorder)
    {
        return whole(sse.getBytes(StandardCharsets.UTF_8), recorder);
    }

    /** Feeds {@code bytes} in random slices (1 = byte by byte when maxSlice is 1), then ends. */
    public static Aggregate sliced(final StreamAggregator a, final byte[] bytes, final Random random, final int maxSlice)
    {
        Feeding.feedAll(a, bytes, Feeding.randomSizes(random, maxSlice), Feeding.Via.SCRIBBLED);
        a.end();
        return a.result();
    }

    /** Feeds a copy of the slice and scribbles over it afterwards, so a kept view of fed bytes fails. */
    public static void feedScribbled(final StreamAggregator a, final byte[] bytes, final int offset, final int length)
    {
        Feeding.feed(a, bytes, offset, length, Feeding.Via.SCRIBBLED);
    }

    /** @return the data payloads of an SSE text (simple: one data line per event, as in the corpus). */
    public static List<String> dataPayloads(final String sse)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : sse.split("\r\n|\n|\r"))
        {
            if (line.startsWith("data:"))
            {
                final String payload = line.substring(line.startsWith("data: ") ? 6 : 5);
                out.add(payload);
            }
        }
        return out;
    }
}
