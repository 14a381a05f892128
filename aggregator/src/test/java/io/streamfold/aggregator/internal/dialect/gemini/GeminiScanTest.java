package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Feeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GeminiScan} reads a chunk as the token reader does, or leaves it to it: streams of chunks the scan reads, and of
 * chunks it must leave (escaped names, values the token reader reads otherwise than the bytes say, calls, citations,
 * errors, values over a limit), fold the same with the fast path on and off, under the default limits and small ones.
 */
class GeminiScanTest
{
    private static final String USAGE = "\"usageMetadata\": {\"promptTokenCount\": 5,\"totalTokenCount\": 5}";
    private static final String META = "\"modelVersion\": \"gemini-2.0-flash\",\"responseId\": \"abc\"";

    private static String chunk(final String candidate, final String rest)
    {
        return "data: {\"candidates\": [" + candidate + "]" + (rest.isEmpty() ? "" : "," + rest) + "}\n\n";
    }

    private static String text(final String text)
    {
        return "{\"content\": {\"parts\": [{\"text\": \"" + text + "\"}],\"role\": \"model\"}}";
    }

    /** A first chunk, {@code middle} chunks, and a last one with its finish reason and usage. */
    private static String stream(final String middle)
    {
        return chunk(text("Hello"), USAGE + "," + META) + middle +
            chunk("{\"content\": {\"parts\": [{\"text\": \" world\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}",
                "\"usageMetadata\": {\"promptTokenCount\": 5,\"candidatesTokenCount\": 2,\"totalTokenCount\": 7}," + META);
    }

    /** A text chunk whose candidate carries {@code citations} as its citationMetadata, after its content. */
    private static String cited(final String text, final String citations)
    {
        return chunk(text(text).substring(0, text(text).length() - 1) + ",\"citationMetadata\": " + citations + "}", META);
    }

    private static String part(final String part)
    {
        return chunk("{\"content\": {\"parts\": [" + part + "],\"role\": \"model\"}}", META);
    }

    static Stream<Arguments> variants()
    {
        return Stream.of(
            Arguments.of("as sent", stream("")),
            Arguments.of("thoughts then text", stream(part("{\"text\": \"hmm\",\"thought\": true}") +
                part("{\"thought\": true,\"text\": \" more\"}") + part("{\"text\": \"so\"}"))),
            Arguments.of("a signature, and a kept part", stream(part("{\"text\": \"a\",\"thoughtSignature\": \"c2ln\"}") +
                part("{\"executableCode\": {\"language\": \"PYTHON\",\"code\": \"print(1)\"}}") +
                part("{\"thoughtSignature\": \"b3RoZXI=\"}"))),
            Arguments.of("two candidates, index after content", stream(chunk(text("zero") + "," +
                "{\"content\": {\"parts\": [{\"text\": \"one\"},{\"text\": \" two\",\"thought\": false}],\"role\": \"model\"},\"index\": 1," +
                "\"safetyRatings\": [{\"category\": \"HARM\",\"probability\": \"LOW\"}]}", META))),
            Arguments.of("two parts in the first candidate", stream(part("{\"text\": \"a\"},{\"text\": \"b\"},{\"text\": \"c\",\"thought\": true}"))),
            Arguments.of("escaped names", stream(part("{\"te\\u0078t\": \"x\"}") +
                chunk("{\"content\": {\"r\\u006fle\": \"model\",\"parts\": [{\"text\": \"y\"}]},\"fin\\u0069shReason\": \"STOP\"}", META) +
                chunk(text("z"), "\"usageMetadata\": {\"promptTok\\u0065nCount\": 3}"))),
            Arguments.of("a lone surrogate escape in a name", stream(part("{\"text\": \"x\",\"\\ud800\": 1}") +
                part("{\"text\": \"y\"},{\"text\": \"z\",\"\\udc00\": 2}") +
                chunk(text("w"), "\"usageMetadata\": {\"\\ud800\": 3}") +
                chunk(text("v") + "," + "{\"index\": 1,\"\\ud800\": 4}", META))),
            Arguments.of("minus zero", stream(chunk(text("a"), "\"usageMetadata\": {\"promptTokenCount\": -0}") +
                chunk("{\"content\": {\"parts\": [{\"text\": \"b\"}]},\"avgLogprobs\": -0}", META) +
                chunk(text("c"), "\"createTime\": -0") + part("{\"text\": \"d\",\"n\": -0}") +
                chunk("{\"index\": -0," + text("e").substring(1), META))),
            Arguments.of("odd thought flags", stream(part("{\"text\": \"a\",\"thought\": \"yes\"}") + part("{\"text\": \"b\",\"thought\": null}") +
                part("{\"text\": \"c\",\"thought\": {\"a\": 1}}") + part("{\"text\": \"d\",\"thought\": [true]}"))),
            Arguments.of("odd indexes", stream(chunk("{\"index\": 1.5," + text("a").substring(1), META) +
                chunk("{\"index\": \"1\"," + text("b").substring(1), META) +
                chunk("{\"index\": 99999999999999999999," + text("c").substring(1), META) +
                chunk("{\"index\": 2," + text("d").substring(1), META))),
            Arguments.of("odd finish reasons", stream(chunk("{\"finishReason\": 7," + text("a").substring(1), META) +
                chunk("{\"finishReason\": \"MAX_TOKENS\",\"finishReason\": null," + text("b").substring(1), META) +
                chunk("{\"finishReason\": \"A_REASON_LONGER_THAN_TWENTY_CHARACTERS\"," + text("c").substring(1), META))),
            Arguments.of("long values", stream(part("{\"text\": \"a text part longer than twenty characters\"}") +
                chunk("{\"content\": {\"parts\": [{\"text\": \"x\"}],\"role\": \"model\",\"pad\": \"" + "p".repeat(80) + "\"}}", META) +
                part("{\"thoughtSignature\": \"" + "s".repeat(30) + "\"}"))),
            Arguments.of("a function call", stream(part("{\"functionCall\": {\"name\": \"weather\",\"args\": {\"city\": \"Paris\"}}}"))),
            Arguments.of("function calls of every kind", stream(
                part("{\"functionCall\": {\"id\": \"c1\",\"name\": \"a\",\"args\": [1, {\"x\": -0}]},\"thoughtSignature\": \"c2ln\"}") +
                part("{\"functionCall\": {\"name\": \"b\",\"args\": 7}}") + part("{\"functionCall\": {\"name\": \"c\",\"args\": null}}") +
                part("{\"functionCall\": {\"name\": 5,\"id\": null,\"extra\": {\"y\": 1}}}") +
                part("{\"functionCall\": {\"name\": \"d\"},\"functionCall\": {\"args\": {}},\"text\": \"t\"}") +
                part("{\"functionCall\": 3}") + part("{\"functionCall\": {\"name\": \"a-name-longer-than-twenty-chars\"}}") +
                part("{\"functionCall\": {\"name\": \"e\",\"args\": {\"k\": \"" + "v".repeat(70) + "\"}}}") +
                part("{\"functionCall\": {\"name\": \"f\",\"willContinue\": true,\"partialArgs\": [{\"jsonPath\": \"$.a\"," +
                    "\"stringValue\": \"x\"}]}}") + part("{\"functionCall\": {\"willContinue\": false}}") +
                part("{\"functionCall\": {\"name\": \"g\",\"willContinue\": true}}") + part("{\"functionCall\": {}}") +
                part("{\"functionCall\": {\"name\": \"h\",\"willContinue\": {\"a\": 1}}}") +
                part("{\"functionCall\": {\"n\\u0061me\": \"i\"}}"))),
            Arguments.of("streamed call arguments", stream(
                part("{\"functionCall\": {\"name\": \"w\",\"willContinue\": true},\"thoughtSignature\": \"c2ln\"}") +
                part("{\"functionCall\": {\"partialArgs\": [{\"jsonPath\": \"$.a.b\",\"stringValue\": \"he\\\"l\"," +
                    "\"willContinue\": true},{\"jsonPath\": \"$.a.b\",\"stringValue\": \"lo\"}],\"willContinue\": true}}") +
                part("{\"functionCall\": {\"partialArgs\": [{\"jsonPath\": \"$.n\",\"numberValue\": -0}," +
                    "{\"jsonPath\": \"$.l[0]\",\"boolValue\": true},{\"jsonPath\": \"$.l[1]\",\"nullValue\": \"NULL_VALUE\"}]," +
                    "\"partialArgs\": [{\"jsonPath\": \"$.m\",\"numberValue\": 1e3}],\"willContinue\": true}}") +
                part("{\"functionCall\": {\"partialArgs\": null,\"willContinue\": true}}") +
                part("{\"functionCall\": {\"partialArgs\": [{\"jsonPath\": \"$.s\",\"stringValue\": \"" + "p".repeat(70) + "\"}]," +
                    "\"willContinue\": true}}") +
                part("{\"functionCall\": {\"partialArgs\": [],\"willContinue\": true}}") + part("{\"functionCall\": {}}") +
                part("{\"functionCall\": {\"name\": \"v\",\"partialArgs\": [{\"jsonPath\": \"$.x\",\"stringValue\": \"y\"}]}}"))),
            Arguments.of("citations", stream(chunk("{\"citationMetadata\": {\"citationSources\": [{\"uri\": \"u\"}]}," +
                text("a").substring(1), META))),
            Arguments.of("citations after the content, accumulating", stream(
                cited("a", "{\"citationSources\": [{\"startIndex\": 1,\"endIndex\": 9,\"uri\": \"https://a.example/\"}]}") +
                cited("b", "{\"citationSources\": [{\"startIndex\": 2,\"uri\": \"u\"},{\"endIndex\": -0,\"license\": \"\"}]}") +
                cited("c", "{\"citationSources\": []}") + cited("d", "{\"citationSources\": [[1], {}]}"))),
            Arguments.of("odd citations", stream(cited("a", "null") + cited("b", "7") + cited("c", "{}") +
                cited("d", "{\"citationSources\": null,\"other\": [1]}") +
                cited("e", "{\"citationSources\": [{\"uri\": \"x\"}],\"citationSources\": [{\"uri\": \"y\"}]}") +
                cited("f", "{\"citationSources\": [1, -0]}") + cited("g", "{\"citationSources\": [\"s\"]}") +
                cited("h", "{\"citati\\u006fnSources\": [{\"uri\": \"z\"}]}") +
                cited("i", "{\"citationSources\": [{\"uri\": \"a long uri that is over the small raw limit of sixty bytes\"}]}"))),
            Arguments.of("citations twice in a candidate", stream(
                chunk("{\"citationMetadata\": {\"citationSources\": [{\"uri\": \"first\"}]}," + text("a").substring(1, text("a").length() - 1) +
                    ",\"citationMetadata\": {\"citationSources\": [{\"uri\": \"second\"}]}}", META) +
                chunk("{\"citationMetadata\": {\"citationSources\": [{\"uri\": \"kept\"}]}," + text("b").substring(1, text("b").length() - 1) +
                    ",\"citationMetadata\": null}", META))),
            Arguments.of("errors and feedback", stream(chunk(text("a"), "\"error\": null") +
                chunk(text("b"), "\"promptFeedback\": {\"blockReason\": \"OTHER\"}") +
                "data: {\"error\": {\"code\": 500,\"message\": \"boom\"}}\n\n")),
            Arguments.of("a blocked prompt", "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\"}," + USAGE + "}\n\n"),
            Arguments.of("feedback beside candidates, and alone after them", stream(
                chunk(text("a"), "\"promptFeedback\": {\"safetyRatings\": []}") +
                "data: {\"promptFeedback\": {\"blockReason\": \"OTHER\"}}\n\n" + "data: {\"promptFeedback\": 7}\n\n")),
            Arguments.of("candidates and usage of other kinds", stream(
                "data: {\"candidates\": {\"a\": 1}," + META + "}\n\n" + "data: {\"candidates\": [1]," + META + "}\n\n" +
                chunk(text("a"), "\"usageMetadata\": null") + chunk(text("b"), "\"usageMetadata\": 5") +
                chunk(text("c"), "\"usageMetadata\": {\"promptTokenCount\": 9},\"usageMetadata\": {\"totalTokenCount\": 9}"))),
            Arguments.of("repeated members", stream(
                chunk("{\"content\": {\"parts\": [{\"text\": \"a\"}]},\"content\": {\"parts\": [{\"text\": \"b\"}]}}", META) +
                chunk("{\"content\": {\"parts\": [{\"text\": \"c\"}]},\"content\": 7}", META) +
                "data: {\"candidates\": [" + text("d") + "],\"candidates\": [" + text("e") + "]}\n\n" +
                part("{\"text\": \"f\",\"text\": 7,\"text\": \"g\"}"))),
            Arguments.of("parts and roles of other kinds", stream(
                chunk("{\"content\": {\"parts\": {\"text\": \"a\"},\"role\": 7}}", META) +
                chunk("{\"content\": {\"parts\": [\"b\"],\"role\": \"\"}}", META) +
                chunk("{\"content\": {\"role\": \"user\",\"parts\": [{\"text\": \"c\"}]}}", META) +
                chunk("{\"content\": [1]}", META))),
            Arguments.of("whitespace everywhere", stream("data:  { \"candidates\" : [ { \"content\" : { \"parts\" : [ { \"text\" : \"a\" } ," +
                " { \"text\" : \"b\" , \"thought\" : true } ] , \"role\" : \"model\" } , \"index\" : 0 } ] , " +
                "\"usageMetadata\" : { \"promptTokenCount\" : 5 } } \n\n")),
            Arguments.of("text after the object", stream("data: {\"candidates\": [" + text("a") + "]} x\n\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theScanShowsWhatTheTokenReaderShows(final String name, final String sse)
    {
        final AggregationLimits small = AggregationLimits.builder().maxTextChars(20).maxRawBytes(60).maxNestingDepth(8).build();
        final AggregationLimits shortNumbers = AggregationLimits.builder().maxNumberLength(10).build();
        FastPathRun.assertInvisible(Format.GEMINI, FastPathRun.rawBytes(sse), name, AggregationLimits.DEFAULT, small, shortNumbers);
        // The scan is not tried again in a stream once it refused a chunk: each chunk alone too, so that every odd one
        // meets it.
        for (final String event : sse.split("\n\n"))
        {
            FastPathRun.assertInvisible(Format.GEMINI, FastPathRun.rawBytes(event + "\n\n"), name + ": " + event,
                AggregationLimits.DEFAULT, small, shortNumbers);
        }
    }

    @Test
    void aStreamsFirstAndLastChunksAreScanned()
    {
        final String sse = stream(part("{\"text\": \"a\",\"thought\": true}") + part("{\"text\": \"b\",\"thought\": true}") +
            part("{\"functionCall\": {\"name\": \"f\",\"args\": {}}}") + part("{\"text\": \"c\",\"thought\": true}"));
        final StreamAggregator aggregator = StreamAggregator.create(Format.GEMINI);
        Feeding.feedWhole(aggregator, sse.getBytes(StandardCharsets.UTF_8), Feeding.Via.SCRIBBLED);
        aggregator.end();
        final Aggregate result = aggregator.result();
        assertTrue(result.errors().isEmpty(), result.errors().toString());
        final GeminiDialect dialect = (GeminiDialect)AggregatorInternals.dialect(aggregator);
        // Every chunk but the second thought, which repeats the first (the template folds it).
        assertEquals(5, dialect.scannedChunks());
        assertEquals("Hello world", result.choice(0).joined(Part.Kind.TEXT).toString());
        assertEquals("abc", result.choice(0).joined(Part.Kind.REASONING).toString());
        assertEquals(1, result.choice(0).parts().stream().filter(p -> p.kind() == Part.Kind.TOOL_CALL).count());
    }

    @Test
    void chunksWithCitationsAreScanned()
    {
        final String sse = stream(cited("a", "{\"citationSources\": [{\"startIndex\": 1,\"uri\": \"u\"}]}") +
            cited("b", "{\"citationSources\": [{\"endIndex\": 2,\"uri\": \"v\"}]}"));
        final StreamAggregator aggregator = StreamAggregator.create(Format.GEMINI);
        Feeding.feedWhole(aggregator, sse.getBytes(StandardCharsets.UTF_8), Feeding.Via.SCRIBBLED);
        aggregator.end();
        final Aggregate result = aggregator.result();
        assertTrue(result.errors().isEmpty(), result.errors().toString());
        assertEquals(4, ((GeminiDialect)AggregatorInternals.dialect(aggregator)).scannedChunks());
        assertEquals("Helloab world", result.choice(0).joined(Part.Kind.TEXT).toString());
    }
}
