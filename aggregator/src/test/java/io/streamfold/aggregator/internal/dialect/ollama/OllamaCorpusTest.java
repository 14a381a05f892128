package io.streamfold.aggregator.internal.dialect.ollama;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded Ollama stream: outcome, slicing invariance, detection, quoted values. */
class OllamaCorpusTest
{
    static Stream<Path> files()
    {
        return SharedFiles.corpus("ollama", ".ndjson").stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void sameResultWhateverTheSlicingAndDetected(final Path file)
    {
        final byte[] bytes = SharedFiles.read(file);
        final StreamAggregator whole = GeminiTesting.whole(Format.OLLAMA, bytes);
        final String expected = GeminiTesting.render(whole);
        assertTrue(whole.result().errors().isEmpty(), whole.result().errors().toString());
        assertEquals(Outcome.COMPLETE, whole.result().outcome());
        assertEquals(expected, GeminiTesting.render(GeminiTesting.byteByByte(Format.OLLAMA, bytes)));
        for (long seed = 0; seed < 20; seed++)
        {
            assertEquals(expected, GeminiTesting.render(GeminiTesting.randomSlices(Format.OLLAMA, bytes, seed)), "seed " + seed);
        }
        final StreamAggregator auto = GeminiTesting.byteByByte(Format.AUTO, bytes);
        assertEquals(Format.OLLAMA, auto.format());
        assertEquals(expected, GeminiTesting.render(auto));
    }

    private static Aggregate read(final String name)
    {
        return GeminiTesting.whole(Format.AUTO, SharedFiles.read(SharedFiles.require().resolve("corpus/ollama").resolve(name))).result();
    }

    @Test
    void chatStreamWithCounters()
    {
        final Aggregate a = read("ollama-phi3-chat-stream.ndjson");
        assertEquals("This is test completion response", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals("stop", a.choice(0).finishReason().toString());
        assertEquals("assistant", a.choice(0).role().toString());
        assertEquals(10, a.usage().inputTokens());
        assertEquals(239, a.usage().outputTokens());
        assertEquals(249, a.usage().totalTokens());
        final String json = a.toJson();
        assertTrue(json.startsWith("{\"model\":\"phi3\",\"created_at\":\"2024-07-02T11:45:16.265598822Z\"," +
            "\"message\":{\"role\":\"assistant\",\"content\":\"This is test completion response\"},\"done\":true,\"done_reason\":\"stop\""), json);
        assertTrue(json.contains("\"total_duration\":58123571935"), json);
        assertTrue(json.contains("\"eval_duration\":2381751000"), json);
    }

    @Test
    void generateStreamKeepsContext()
    {
        final Aggregate a = read("ollama-phi3-generate-stream-context.ndjson");
        final String json = a.toJson();
        assertTrue(json.contains("\"response\":\"This is test completion response\""), json);
        assertFalse(json.contains("\"message\""), json);
        assertTrue(a.meta().get("context").json().startsWith("[32010,3750,338,"));
        assertTrue(json.contains("\"context\":[32010,3750,338,"), json);
    }

    @Test
    void generateDocsExampleWithSpacedDoneReason()
    {
        final Aggregate a = read("ollama-gemma4-generate-docs-example.ndjson");
        assertEquals("That's a fantastic question!", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals("stop", a.choice(0).finishReason().toString());
        assertEquals("gemma4", a.meta().get("model").text().toString());
    }

    @Test
    void fiveWholeToolCallsWithObjectArguments()
    {
        final GeminiTesting.Recorder recorder = new GeminiTesting.Recorder();
        final StreamAggregator agg = StreamAggregator.builder().format(Format.OLLAMA).listener(recorder).build();
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/ollama/ollama-llama3.2-chat-tool-calls.ndjson"));
        agg.feed(bytes, 0, bytes.length);
        agg.end();
        final List<Part> calls = agg.result().choice(0).toolCalls();
        assertEquals(5, calls.size());
        assertEquals("MyPlugin_GetCurrentWeather", calls.get(0).name().toString());
        assertEquals("{\"location\": \"Boston, MA\"}", calls.get(0).text().toString());
        assertEquals("MyPlugin_InvalidArguments", calls.get(3).name().toString());
        assertEquals("", calls.get(3).text().toString());
        assertEquals("{\"age\":\"36\"}", calls.get(4).text().toString());
        assertEquals("toolStart 0 0  MyPlugin_GetCurrentWeather", recorder.events.get(0));
        assertEquals("end COMPLETE", recorder.events.get(recorder.events.size() - 1));
        final String json = agg.result().toJson();
        assertTrue(json.contains("{\"function\":{\"name\":\"MyPlugin_InvalidArguments\"}}"), json);
        assertTrue(json.contains("{\"function\":{\"name\":\"MyPlugin_IntArguments\",\"arguments\":{\"age\":\"36\"}}}"), json);
        assertTrue(agg.result().toNormalizedJson().contains("\"finish_reason\":\"tool_calls\""));
        assertEquals(152, agg.result().usage().inputTokens());
    }
}
