package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded Gemini stream, both transports: outcome, slicing invariance, detection, quoted values. */
class GeminiCorpusTest
{
    static final String ERROR_MID_STREAM = "vertex-gemini-error-mid-stream.sse";

    static Stream<Path> files()
    {
        return Stream.concat(SharedFiles.corpus("gemini", ".sse").stream(), SharedFiles.corpus("gemini", ".json").stream());
    }

    @ParameterizedTest
    @MethodSource("files")
    void sameResultWhateverTheSlicingAndDetected(final Path file)
    {
        final byte[] bytes = SharedFiles.read(file);
        final StreamAggregator whole = GeminiTesting.whole(Format.GEMINI, bytes);
        final String expected = GeminiTesting.render(whole);
        GeminiTesting.assertNoInternalError(whole.result());
        if (file.getFileName().toString().equals(ERROR_MID_STREAM))
        {
            // This body ends with a bare JSON error object outside SSE framing (Vertex's mid-stream failure):
            // it used to be skipped as unknown SSE fields and read COMPLETE; the error must now end it.
            assertEquals(Outcome.ERROR, whole.result().outcome());
            assertEquals(1, whole.result().errors().size(), whole.result().errors().toString());
            assertEquals(ErrorKind.PROVIDER_ERROR, whole.result().errors().get(0).kind());
        }
        else
        {
            assertTrue(whole.result().errors().isEmpty(), whole.result().errors().toString());
            assertEquals(Outcome.COMPLETE, whole.result().outcome());
        }
        assertEquals(expected, GeminiTesting.render(GeminiTesting.byteByByte(Format.GEMINI, bytes)));
        for (long seed = 0; seed < 20; seed++)
        {
            assertEquals(expected, GeminiTesting.render(GeminiTesting.randomSlices(Format.GEMINI, bytes, seed)), "seed " + seed);
        }
        final StreamAggregator auto = GeminiTesting.whole(Format.AUTO, bytes);
        assertEquals(Format.GEMINI, auto.format());
        assertEquals(expected, GeminiTesting.render(auto));
        final StreamAggregator autoBytes = GeminiTesting.byteByByte(Format.AUTO, bytes);
        assertEquals(Format.GEMINI, autoBytes.format());
        assertEquals(expected, GeminiTesting.render(autoBytes));
    }

    private static Aggregate read(final String name)
    {
        final Path file = SharedFiles.require().resolve("corpus/gemini").resolve(name);
        return GeminiTesting.whole(Format.AUTO, SharedFiles.read(file)).result();
    }

    @Test
    void textJoinedWithFinishAndUsage()
    {
        final Aggregate a = read("gemini-2.0-flash-text.sse");
        final Choice c = a.choice(0);
        assertEquals("The capital of France is Paris.\n", c.joined(Part.Kind.TEXT));
        assertEquals(1, c.parts().size());
        assertEquals("STOP", c.finishReason().toString());
        assertEquals("model", c.role().toString());
        // usageMetadata: the last chunk's values win field by field.
        assertEquals(13, a.usage().inputTokens());
        assertEquals(8, a.usage().outputTokens());
        assertEquals(21, a.usage().totalTokens());
        assertEquals("w1peaMz6INOvnvgPgYfPiQY", a.meta().get("responseId").text().toString());
        assertEquals("gemini-2.0-flash-exp", a.meta().get("modelVersion").text().toString());
    }

    @Test
    void thoughtSummaryThenFunctionCallWithSignature()
    {
        final Aggregate a = read("gemini-2.5-flash-thought-summary-function-call.sse");
        final Choice c = a.choice(0);
        assertEquals(Part.Kind.REASONING, c.parts().get(0).kind());
        assertTrue(c.joined(Part.Kind.REASONING).startsWith("**Calculating the Days**"));
        assertTrue(c.joined(Part.Kind.REASONING).contains("**Determining the Approach**"));
        final List<Part> calls = c.toolCalls();
        assertEquals(1, calls.size());
        assertEquals("now", calls.get(0).name().toString());
        assertEquals("{}", calls.get(0).text().toString());
        assertTrue(calls.get(0).signature().toString().startsWith("CiIBVKhc7vB+vaaq6rA/"));
        assertTrue(a.toNormalizedJson().contains("\"finish_reason\":\"tool_calls\""));
        assertTrue(a.toJson().contains("\"thought\":true"));
    }

    @Test
    void functionCallWithArgsAndIdInJsonArray()
    {
        final Aggregate a = read("gemini-3-flash-function-call-json-array.json");
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("pelican_name_generator", call.name().toString());
        assertEquals("c9bjmkfz", call.id().toString());
        assertEquals("{\"type\":\"funny\"}", call.text().toString().replaceAll("\\s", ""));
        assertEquals(248, a.usage().reasoningTokens());
    }

    @Test
    void vertexFunctionCall()
    {
        final Aggregate a = read("vertex-gemini-function-call.sse");
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("getTemperature", call.name().toString());
        assertEquals("{\"city\":\"San Jose\"}", call.text().toString().replaceAll("\\s(?=[{}\"])|(?<=[:{])\\s", ""));
        assertTrue(a.choice(0).extra().has("safetyRatings"));
        assertTrue(a.meta().has("promptFeedback"));
    }

    @Test
    void streamedPartialArgsFoldIntoTwoCalls()
    {
        final GeminiTesting.Recorder recorder = new GeminiTesting.Recorder();
        final StreamAggregator agg = StreamAggregator.builder().format(Format.GEMINI).listener(recorder).build();
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/gemini/vertex-gemini-3.1-pro-streamed-function-call-partial-args.sse"));
        agg.feed(bytes, 0, bytes.length);
        agg.end();
        final List<Part> calls = agg.result().choice(0).toolCalls();
        assertEquals(2, calls.size());
        assertEquals("getWeather", calls.get(0).name().toString());
        assertEquals("{\"location\":\"Boston\"}", calls.get(0).text().toString());
        assertEquals("{\"location\":\"San Francisco\"}", calls.get(1).text().toString());
        assertEquals("{\"location\":\"Boston\"}{\"location\":\"San Francisco\"}", recorder.arguments.toString());
        assertEquals(List.of(
            "toolStart 0 0  getWeather", "toolEnd 0 0 {\"location\":\"Boston\"}",
            "toolStart 0 1  getWeather", "toolEnd 0 1 {\"location\":\"San Francisco\"}",
            "finish 0 STOP", "end COMPLETE"), recorder.events);
        assertTrue(agg.result().toJson().contains("\"args\":{\"location\":\"Boston\"}"));
    }

    @Test
    void codeExecutionIsAServerCallAndItsPartsAreKeptWhole()
    {
        final Aggregate a = read("gemini-3-flash-code-execution.sse");
        final List<Part> parts = a.choice(0).parts();
        assertEquals(Part.Kind.TOOL_CALL, parts.get(0).kind());
        assertTrue(parts.get(0).serverExecuted() && parts.get(0).freeformArguments());
        assertEquals("code_execution", parts.get(0).name().toString());
        assertTrue(parts.get(0).text().toString().contains("print(result)"), parts.get(0).text().toString());
        assertEquals("executableCode", parts.get(0).type().toString());
        assertTrue(parts.get(0).extra().get("executableCode").json().contains("print(result)"));
        assertTrue(parts.get(0).signature().length() > 0);
        assertEquals("codeExecutionResult", parts.get(1).type().toString());
        assertTrue(parts.get(1).extra().get("codeExecutionResult").json().contains("OUTCOME_OK"));
        assertEquals(Part.Kind.TEXT, parts.get(2).kind());
        assertEquals("The result of $65465 - 6544 \\times 65464 - 6 + 1.02255$ is **-428,330,955.97745**.", parts.get(2).text().toString());
    }

    @Test
    void recitationWithAccumulatedCitations()
    {
        final Aggregate a = read("gemini-2.0-flash-recitation.sse");
        final Choice c = a.choice(0);
        assertEquals("RECITATION", c.finishReason().toString());
        assertEquals("text1text2text3text4text5text6text7text8", c.joined(Part.Kind.TEXT));
        final String sources = c.messageExtra().json("citationSources");
        assertTrue(sources.contains("https://uc-r.github.io/tidy_text"));
        assertEquals(10, sources.split("startIndex").length - 1);
        assertTrue(a.toNormalizedJson().contains("\"finish_reason\":\"content_filter\""));
    }

    @Test
    void blockedPromptIsCompleteWithContentFilter()
    {
        final Aggregate a = read("gemini-prompt-blocked-safety.sse");
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("SAFETY", a.choice(0).finishReason().toString());
        assertTrue(a.meta().get("promptFeedback").json().contains("\"blockReason\": \"SAFETY\""));
        assertTrue(a.toNormalizedJson().contains("\"finish_reason\":\"content_filter\""));
        assertTrue(a.toJson().startsWith("{\"promptFeedback\":"), a.toJson());
    }

    @Test
    void imageAndCandidateWithoutParts()
    {
        final Aggregate a = read("gemini-2.5-flash-image-candidate-without-parts.sse");
        final List<Part> parts = a.choice(0).parts();
        assertEquals(2, parts.size());
        assertEquals("Here's a cute cartoon kitten playing with a ball of yarn for you! ", parts.get(0).text().toString());
        assertEquals("inlineData", parts.get(1).type().toString());
        assertTrue(parts.get(1).extra().get("inlineData").json().contains("image/png"));
    }

    @Test
    void cjkTextAcrossChunksAndRepeatedFinish()
    {
        final Aggregate a = read("vertex-gemini-utf8-cjk.sse");
        final String text = a.choice(0).joined(Part.Kind.TEXT);
        assertTrue(text.startsWith("秋风瑟瑟，叶落纷纷，\n西风残照，寒霜渐浓。"), text);
        assertTrue(text.endsWith("领悟秋天的哲理。"), text);
        assertEquals(1, a.choice(0).parts().size());
    }

    @Test
    void safetyFinishAndGroundingKept()
    {
        assertTrue(read("vertex-gemini-finish-reason-safety.sse").toNormalizedJson().contains("\"finish_reason\":\"content_filter\""));
        final Aggregate grounding = read("gemini-2.5-pro-search-grounding.sse");
        assertTrue(grounding.choice(0).extra().get("groundingMetadata").json().contains("weather in San Francisco today"));
        assertEquals(412, grounding.usage().reasoningTokens());
    }

    @Test
    void signatureOnTextPartAndThoughtsJoined()
    {
        final Aggregate a = read("gemini-2.5-pro-thought-parts.sse");
        final Choice c = a.choice(0);
        assertEquals(Part.Kind.REASONING, c.parts().get(0).kind());
        assertTrue(c.has(Part.Kind.TEXT));
        boolean signed = false;
        for (final Part p : c.parts())
        {
            signed |= p.signature().length() > 0;
        }
        assertTrue(signed);
        assertTrue(a.usage().reasoningTokens() > 0);
    }
}
