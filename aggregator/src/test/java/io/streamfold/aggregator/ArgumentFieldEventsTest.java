package io.streamfold.aggregator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest;
import io.streamfold.aggregator.internal.json.ArgumentFieldOracle;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool-call argument fields reach the listener the same way for every dialect, and only when asked for. */
class ArgumentFieldEventsTest
{
    /** Field events and final arguments per tool call, keyed {@code choice/toolIndex}. */
    static final class FieldRecorder implements StreamListener
    {
        final boolean wants;
        final Map<String, List<String>> fields = new LinkedHashMap<>();
        final Map<String, String> finalArguments = new LinkedHashMap<>();
        final Map<String, Integer> fieldsBeforeEnd = new LinkedHashMap<>();

        FieldRecorder(final boolean wants)
        {
            this.wants = wants;
        }

        @Override
        public boolean wantsToolArgumentFields()
        {
            return wants;
        }

        @Override
        public void onToolArgumentField(
            final int choice, final int toolIndex, final CharSequence pointer, final CharSequence rawValue)
        {
            final String key = choice + "/" + toolIndex;
            assertTrue(!finalArguments.containsKey(key), "field after the call ended: " + key + " " + pointer);
            fields.computeIfAbsent(key, k -> new ArrayList<>()).add(ArgumentFieldOracle.canonical(pointer, rawValue));
        }

        @Override
        public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
        {
            final String key = choice + "/" + toolIndex;
            finalArguments.put(key, call.text().toString());
            fieldsBeforeEnd.put(key, fields.getOrDefault(key, List.of()).size());
        }
    }

    static FieldRecorder run(final Format format, final byte[] bytes, final int slice, final boolean wants)
    {
        final FieldRecorder recorder = new FieldRecorder(wants);
        final StreamAggregator aggregator = StreamAggregator.builder().format(format).listener(recorder).build();
        for (int i = 0; i < bytes.length; i += slice)
        {
            aggregator.feed(bytes, i, Math.min(slice, bytes.length - i));
        }
        aggregator.end();
        return recorder;
    }

    /** @return how many calls reported at least one field; every call with complete arguments matched the oracle. */
    static int checkAgainstOracle(final FieldRecorder recorder)
    {
        int withFields = 0;
        for (final Map.Entry<String, String> call : recorder.finalArguments.entrySet())
        {
            final List<String> seen = recorder.fields.getOrDefault(call.getKey(), List.of());
            final List<String> expected = ArgumentFieldOracle.expected(call.getValue());
            if (expected != null)
            {
                assertEquals(expected, seen, "call " + call.getKey() + " " + call.getValue());
            }
            withFields += seen.isEmpty() ? 0 : 1;
        }
        return withFields;
    }

    static Stream<Arguments> corpus()
    {
        final List<Arguments> all = new ArrayList<>();
        final Object[][] dialects = {
            {"openai-chat", ".sse", Format.OPENAI_CHAT},
            {"openai-responses", ".sse", Format.OPENAI_RESPONSES},
            {"anthropic-messages", ".sse", Format.ANTHROPIC},
            {"gemini", ".sse", Format.GEMINI},
            {"gemini", ".json", Format.GEMINI},
            {"ollama", ".ndjson", Format.OLLAMA},
        };
        for (final Object[] d : dialects)
        {
            for (final Path file : SharedFiles.corpus((String)d[0], (String)d[1]))
            {
                all.add(Arguments.of(d[2], file.getFileName().toString(), file));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("corpus")
    void corpusToolCallsReportTheFieldsOfTheirFinalArgumentsForEverySlicing(
        final Format format, final String name, final Path file)
    {
        final byte[] bytes = SharedFiles.read(file);
        final FieldRecorder whole = run(format, bytes, bytes.length + 1, true);
        checkAgainstOracle(whole);
        for (final int slice : new int[] {1, 7, 61})
        {
            final FieldRecorder sliced = run(format, bytes, slice, true);
            assertEquals(whole.fields, sliced.fields, "slice " + slice);
            assertEquals(whole.finalArguments, sliced.finalArguments, "slice " + slice);
        }
        assertEquals(Map.of(), run(format, bytes, bytes.length + 1, false).fields, "off unless asked for");
    }

    private static FieldRecorder corpusRun(final String folder, final String file, final Format format)
    {
        final Path path = SharedFiles.require().resolve("corpus").resolve(folder).resolve(file);
        org.junit.jupiter.api.Assumptions.assumeTrue(path.toFile().isFile(), file + " not found; skipping");
        final byte[] bytes = SharedFiles.read(path);
        return run(format, bytes, bytes.length + 1, true);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "openai-chat, openai-gpt4o-tool-calls-parallel.sse, OPENAI_CHAT, 2",
        "openai-chat, openai-gpt4o-tool-args-many-chunks.sse, OPENAI_CHAT, 1",
        "openai-responses, openai-gpt4o-function-call.sse, OPENAI_RESPONSES, 1",
        "anthropic-messages, anthropic-sonnet4-text-then-tool-use.sse, ANTHROPIC, 1",
        "gemini, vertex-gemini-3.1-pro-streamed-function-call-partial-args.sse, GEMINI, 1",
    })
    void toolCallsOfEachDialectReportFields(final String folder, final String file, final Format format, final int calls)
    {
        final FieldRecorder r = corpusRun(folder, file, format);
        assertTrue(checkAgainstOracle(r) >= calls, r.fields.toString());
    }

    @Test
    void anthropicCutToolJsonReportsOnlyWhatCompleted()
    {
        final FieldRecorder r = corpusRun(
            "anthropic-messages", "anthropic-sonnet37-max-tokens-partial-tool-json.sse", Format.ANTHROPIC);
        assertTrue(!r.finalArguments.isEmpty());
        for (final Map.Entry<String, String> call : r.finalArguments.entrySet())
        {
            for (final String field : r.fields.getOrDefault(call.getKey(), List.of()))
            {
                assertTrue(!field.contains("<not JSON"), field);
            }
        }
    }

    @Test
    void bedrockToolUseInput()
    {
        final FieldRecorder r = run(Format.BEDROCK, BedrockDialectTest.TOOL_USE, BedrockDialectTest.TOOL_USE.length, true);
        assertEquals(Map.of("0/0", List.of("/city=\"Paris\"", "/days/0=1", "/days/1=2", "/days=[1,2]")), r.fields);
        assertEquals(1, checkAgainstOracle(r));
        final FieldRecorder bytewise = run(Format.BEDROCK, BedrockDialectTest.TOOL_USE, 1, true);
        assertEquals(r.fields, bytewise.fields);
    }

    @Test
    void aCallWhoseStartWasNotReadGetsNoFields()
    {
        final List<String> seen = new ArrayList<>();
        final boolean[] wants = {false};
        final int[] deltas = {0};
        final StreamListener listener = new StreamListener()
        {
            @Override
            public boolean wantsToolArgumentFields()
            {
                return wants[0];
            }

            @Override
            public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
            {
                // Asked right after this callback: no for the first fragment, yes from the second on.
                wants[0] = ++deltas[0] >= 2;
            }

            @Override
            public void onToolArgumentField(final int choice, final int toolIndex, final CharSequence p, final CharSequence v)
            {
                seen.add(p + "=" + v);
            }
        };
        // Read from its second fragment on, the call would look like {"b":1} and report a field it does not have.
        final String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":" +
            "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\"," +
            "\"function\":{\"name\":\"f\",\"arguments\":\"%s\"}}]}}]}\n\n";
        final byte[] bytes = (String.format(chunk, "{\\\"a\\\":") + String.format(chunk, "{\\\"b\\\":1}}"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(listener).build();
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        assertEquals("{\"a\":{\"b\":1}}", aggregator.result().choice(0).toolCalls().get(0).text().toString());
        assertTrue(wants[0]);
        assertEquals(List.of(), seen, "the first fragment was not read, so no field of the call can be trusted");
    }

    @Test
    void aFieldArrivesBeforeTheCallEnds()
    {
        final String sse =
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"read\"," +
            "\"arguments\":\"{\\\"path\\\": \\\"/etc/\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"passwd\\\", \\\"n\\\": \"}}]}}]}\n\n";
        final FieldRecorder recorder = new FieldRecorder(true);
        final StreamAggregator aggregator = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(recorder).build();
        final byte[] bytes = sse.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        aggregator.feed(bytes, 0, bytes.length);
        assertEquals(Map.of("0/0", List.of("/path=\"/etc/passwd\"")), recorder.fields, "while the call is still streaming");
        final Part call = aggregator.snapshot().choice(0).toolCalls().get(0);
        assertNotNull(call);
        assertTrue(!call.isEnded());
    }
}
