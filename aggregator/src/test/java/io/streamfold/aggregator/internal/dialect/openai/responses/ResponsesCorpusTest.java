package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.testkit.JsonTree;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded Responses stream of the shared corpus. */
class ResponsesCorpusTest
{
    static Stream<Path> files()
    {
        return SharedFiles.corpus("openai-responses", ".sse").stream();
    }

    private static boolean isErrorRecording(final Path file)
    {
        return file.getFileName().toString().contains("error");
    }

    @ParameterizedTest
    @MethodSource("files")
    void aggregatesWithTheRightOutcome(final Path file)
    {
        final RecordingListener recorder = new RecordingListener();
        final Aggregate result = ResponsesTestSupport.whole(SharedFiles.read(file), recorder);
        assertEquals(1, recorder.ends);
        if (isErrorRecording(file))
        {
            assertEquals(Outcome.ERROR, result.outcome());
            assertEquals(1, result.errors().size(), result.errors().toString());
            assertEquals(ErrorKind.PROVIDER_ERROR, result.errors().get(0).kind());
            assertTrue(result.providerError().json().contains("insufficient_quota"), result.providerError().json());
            final Map<String, Object> json = JsonTree.objectByValue(result.toJson());
            assertEquals("failed", json.get("status"));
            assertEquals("failed", result.choice(0).finishReason().toString());
            return;
        }
        assertEquals(Outcome.COMPLETE, result.outcome(), recorder.log());
        assertEquals(List.of(), result.errors());
        assertEquals("completed", result.choice(0).finishReason().toString());
        assertTrue(result.usage().outputTokens() > 0);
        final Map<String, Object> normalized = JsonTree.objectByValue(result.toNormalizedJson());
        assertEquals("openai-responses", normalized.get("format"));
    }

    @ParameterizedTest
    @MethodSource("files")
    void autoDetectsTheFormat(final Path file)
    {
        final StreamAggregator a = StreamAggregator.create(Format.AUTO);
        final byte[] bytes = SharedFiles.read(file);
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertEquals(Format.OPENAI_RESPONSES, a.format());
    }

    @ParameterizedTest
    @MethodSource("files")
    void wholeByteByByteAndRandomSlicesAgree(final Path file)
    {
        final byte[] bytes = SharedFiles.read(file);
        final RecordingListener wholeEvents = new RecordingListener();
        final String expected = ResponsesTestSupport.whole(bytes, wholeEvents).toJson();

        final RecordingListener byteEvents = new RecordingListener();
        final String byByte = ResponsesTestSupport.sliced(ResponsesTestSupport.aggregator(byteEvents), bytes, new Random(1), 1).toJson();
        assertEquals(expected, byByte);
        assertEquals(wholeEvents.log(), byteEvents.log());

        final Random random = new Random(file.getFileName().toString().hashCode());
        for (int round = 0; round < 10; round++)
        {
            final RecordingListener sliceEvents = new RecordingListener();
            final String sliced = ResponsesTestSupport.sliced(
                ResponsesTestSupport.aggregator(sliceEvents), bytes, random, 1 + random.nextInt(400)).toJson();
            assertEquals(expected, sliced);
            assertEquals(wholeEvents.log(), sliceEvents.log());
        }
    }

    /** The rebuilt response equals the stream's own final response, field for field. */
    @ParameterizedTest
    @MethodSource("files")
    void rebuiltResponseEqualsTheCompletedOne(final Path file)
    {
        final String sse = new String(SharedFiles.read(file), StandardCharsets.UTF_8);
        final Map<String, Object> completed = terminalResponse(sse);
        assertNotNull(completed);
        final Aggregate result = ResponsesTestSupport.whole(sse, new RecordingListener());
        assertEquals(comparable(completed), comparable(JsonTree.objectByValue(result.toJson())));
    }

    /**
     * The strong check: with the terminal response's {@code output} emptied, the items are rebuilt from
     * the deltas and item events alone, and must still equal the provider's own final output.
     */
    @ParameterizedTest
    @MethodSource("files")
    void outputRebuiltFromTheEventsAloneEqualsTheCompletedOne(final Path file)
    {
        final String sse = new String(SharedFiles.read(file), StandardCharsets.UTF_8);
        final Map<String, Object> completed = terminalResponse(sse);
        final String stripped = stripTerminalOutput(sse);
        final Aggregate result = ResponsesTestSupport.whole(stripped, new RecordingListener());
        final Map<String, Object> rebuilt = JsonTree.objectByValue(result.toJson());
        assertEquals(comparable(completed.get("output")), comparable(rebuilt.get("output")));
        assertEquals(completed.get("usage"), rebuilt.get("usage"));
        if (!isErrorRecording(file))
        {
            assertEquals(List.of(), result.errors());
        }
        assertFalse(((List<?>)rebuilt.get("output")).isEmpty() && !((List<?>)completed.get("output")).isEmpty());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> terminalResponse(final String sse)
    {
        Map<String, Object> last = null;
        for (final String payload : ResponsesTestSupport.dataPayloads(sse))
        {
            if (!payload.startsWith("{"))
            {
                continue;
            }
            final Map<String, Object> event = JsonTree.objectByValue(payload);
            final Object type = event.get("type");
            if ("response.completed".equals(type) || "response.incomplete".equals(type) || "response.failed".equals(type))
            {
                last = (Map<String, Object>)event.get("response");
            }
        }
        return last;
    }

    @SuppressWarnings("unchecked")
    static String stripTerminalOutput(final String sse)
    {
        final StringBuilder out = new StringBuilder();
        for (final String payload : ResponsesTestSupport.dataPayloads(sse))
        {
            String data = payload;
            if (payload.startsWith("{"))
            {
                final Map<String, Object> event = JsonTree.objectByValue(payload);
                final Object type = event.get("type");
                if ("response.completed".equals(type) || "response.incomplete".equals(type) || "response.failed".equals(type))
                {
                    ((Map<String, Object>)event.get("response")).put("output", new ArrayList<>());
                    data = JsonTree.write(event);
                }
            }
            out.append("data: ").append(data).append("\n\n");
        }
        return out.toString();
    }

    /**
     * What the stream and its final response must agree on. Three things legitimately differ and are
     * masked: OpenAI re-encrypts reasoning for every event that carries it (only presence compared);
     * OpenAI's final response rounds logprob values that the deltas give in full (tokens and bytes still
     * compared); OpenRouter's temporary item ids ({@code *_tmp_*}) change on the final response.
     */
    @SuppressWarnings("unchecked")
    static Object comparable(final Object value)
    {
        if (value instanceof Map)
        {
            final Map<String, Object> copy = new java.util.LinkedHashMap<>();
            for (final Map.Entry<String, Object> e : ((Map<String, Object>)value).entrySet())
            {
                final String key = e.getKey();
                final Object v = e.getValue();
                if ("encrypted_content".equals(key))
                {
                    copy.put(key, "<present>");
                }
                else if ("logprob".equals(key))
                {
                    copy.put(key, "<number>");
                }
                else if ("id".equals(key) && v instanceof String && ((String)v).contains("_tmp_"))
                {
                    copy.put(key, "<temporary id>");
                }
                else
                {
                    copy.put(key, comparable(v));
                }
            }
            return copy;
        }
        if (value instanceof List)
        {
            final List<Object> copy = new ArrayList<>();
            for (final Object o : (List<Object>)value)
            {
                copy.add(comparable(o));
            }
            return copy;
        }
        return value;
    }
}
