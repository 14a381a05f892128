package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeminiDialectTest
{
    private static String sse(final String... events)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String e : events)
        {
            sb.append("data: ").append(e).append("\r\n\r\n");
        }
        return sb.toString();
    }

    private static StreamAggregator run(final String body, final boolean strict)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.GEMINI).strict(strict).build();
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        GeminiTesting.assertNoInternalError(a.result());
        return a;
    }

    private static Aggregate run(final String body)
    {
        return run(body, false).result();
    }

    /**
     * The truncation property's shrunk stream: candidate 1 finishes before candidate 0 starts. Cut after candidate
     * 0's first response the stream is truncated again (a candidate seen has no finishReason), though a shorter
     * prefix was complete; whole, it is complete.
     */
    @Test
    void aCandidateThatStartsAfterTheOthersFinishedMakesACutStreamTruncatedAgain()
    {
        final String first = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},\"finishReason\":\"SAFETY\",\"index\":1}]," +
            "\"usageMetadata\":{\"promptTokenCount\":345,\"candidatesTokenCount\":4,\"totalTokenCount\":349}}";
        final String second = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":345,\"candidatesTokenCount\":19,\"totalTokenCount\":364}}";
        final String third = "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[]},\"finishReason\":\"MAX_TOKENS\",\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":345,\"candidatesTokenCount\":20,\"totalTokenCount\":365}}";
        assertEquals(Outcome.COMPLETE, run(sse(first)).outcome());

        final Aggregate cut = run(sse(first, second));
        assertEquals(Outcome.TRUNCATED, cut.outcome());
        assertEquals(List.of(ErrorKind.TRUNCATED), cut.errors().stream().map(StreamError::kind).toList());
        assertEquals("SAFETY", cut.choice(1).finishReason().toString());
        assertEquals("", cut.choice(0).finishReason().toString());

        final Aggregate whole = run(sse(first, second, third));
        assertEquals(Outcome.COMPLETE, whole.outcome());
        assertEquals(List.of(), whole.errors());
        assertEquals("MAX_TOKENS", whole.choice(0).finishReason().toString());
    }

    @Test
    void severalFunctionCallsInOneResponseEachTheirOwnPart()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Checking.\"}," +
                "{\"functionCall\":{\"name\":\"a\",\"args\":{\"x\":1}}},{\"functionCall\":{\"id\":\"c2\",\"name\":\"b\",\"args\":{\"y\":[true]}}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"c\"}}]},\"finishReason\":\"STOP\"}]}"));
        final List<Part> calls = a.choice(0).toolCalls();
        assertEquals(3, calls.size());
        assertEquals("{\"x\":1}", calls.get(0).text().toString());
        assertEquals("c2", calls.get(1).id().toString());
        assertEquals("{\"y\":[true]}", calls.get(1).text().toString());
        assertEquals("c", calls.get(2).name().toString());
        assertEquals("", calls.get(2).text().toString());
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Checking.\"}," +
            "{\"functionCall\":{\"name\":\"a\",\"args\":{\"x\":1}}},{\"functionCall\":{\"id\":\"c2\",\"name\":\"b\",\"args\":{\"y\":[true]}}}," +
            "{\"functionCall\":{\"name\":\"c\"}}]},\"finishReason\":\"STOP\",\"index\":0}]}", a.toJson());
    }

    @Test
    void textAndThoughtRunsJoinAndAlternate()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"th\",\"thought\":true}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"thought\":true,\"text\":\"ink\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"},{\"text\":\"lo\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\",\"thoughtSignature\":\"sig\"}]},\"finishReason\":\"MAX_TOKENS\"}]}"));
        final List<Part> parts = a.choice(0).parts();
        assertEquals(2, parts.size());
        assertEquals("think", parts.get(0).text().toString());
        assertEquals(Part.Kind.REASONING, parts.get(0).kind());
        assertEquals("Hello", parts.get(1).text().toString());
        assertEquals("sig", parts.get(1).signature().toString());
        assertTrue(a.toNormalizedJson().contains("\"finish_reason\":\"length\""));
        assertTrue(a.toJson().contains("\"parts\":[{\"text\":\"think\",\"thought\":true},{\"text\":\"Hello\",\"thoughtSignature\":\"sig\"}]"));
    }

    @Test
    void candidatesByIndexInAnyFieldOrder()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":1},{\"index\":0,\"content\":{\"parts\":[{\"text\":\"B\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"finishReason\":\"STOP\",\"index\":1}," +
                "{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"STOP\",\"index\":0}]}"));
        assertEquals("Aa", a.choice(1).joined(Part.Kind.TEXT));
        assertEquals("Bb", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, a.outcome());
    }

    @Test
    void usageSnapshotReplacesTheLastWhole()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}],\"usageMetadata\":{\"promptTokenCount\":5,\"cachedContentTokenCount\":2}}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"y\"}]},\"finishReason\":\"STOP\"}]," +
                "\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":7,\"thoughtsTokenCount\":3}}"));
        assertEquals(4, a.usage().inputTokens());
        // Candidates and thoughts, both billed as output.
        assertEquals(7 + 3, a.usage().outputTokens());
        // Each usageMetadata is complete and leaves zero counts out: the first one's cache count is gone.
        assertEquals(-1, a.usage().cachedTokens());
        assertEquals(3, a.usage().reasoningTokens());
        // No totalTokenCount sent: input + output, as Gemini counts its total.
        assertEquals(4 + 7 + 3, a.usage().totalTokens());
    }

    @Test
    void endWithoutFinishReasonIsTruncated()
    {
        final Aggregate a = run(sse("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"partial\"}]}}]}"));
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals("partial", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(ErrorKind.TRUNCATED, a.errors().get(a.errors().size() - 1).kind());
    }

    @Test
    void cutInsideTheLastEventKeepsWhatCameBefore()
    {
        final String body = sse("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"kept\"}]}}]}") +
            "data: {\"candidates\":[{\"content\":{\"par";
        final Aggregate a = run(body);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals("kept", a.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void errorEventEndsWithError()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"so far\"}]}}]}",
            "{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" ignored\"}]}}]}"));
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("so far", a.choice(0).joined(Part.Kind.TEXT));
        assertTrue(a.providerError().json().contains("UNAVAILABLE"));
        assertTrue(a.toJson().endsWith("\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}"), a.toJson());
        assertEquals(ErrorKind.PROVIDER_ERROR, a.errors().get(0).kind());
    }

    @Test
    void errorAsArrayElement()
    {
        final Aggregate a = run("[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}\r\n,\r\n" +
            "{\"error\":{\"code\":500,\"status\":\"INTERNAL\"}}\r\n]");
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("x", a.choice(0).joined(Part.Kind.TEXT));
        assertTrue(a.providerError().json().contains("INTERNAL"));
    }

    @Test
    void absurdCandidateIndexIsALimitNotAnAllocation()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"index\":2147483647,\"content\":{\"parts\":[{\"text\":\"huge\"}]},\"finishReason\":\"STOP\"}]}",
            "{\"candidates\":[{\"index\":0,\"content\":{\"parts\":[{\"text\":\"fine\"}]},\"finishReason\":\"STOP\"}]}"));
        assertEquals(ErrorKind.LIMIT_EXCEEDED, a.errors().get(0).kind());
        assertNull(a.choice(2147483647L));
        assertEquals(1, a.choices().size());
        assertEquals("fine", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, a.outcome());
    }

    @Test
    void malformedEventSkippedWhenLenientFatalWhenStrict()
    {
        final String body = sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"c\"}]},\"finishReason\":\"STOP\"}]}");
        final Aggregate lenient = run(body);
        assertEquals(Outcome.COMPLETE, lenient.outcome());
        assertEquals("ac", lenient.choice(0).joined(Part.Kind.TEXT));
        final List<StreamError> errors = lenient.errors();
        assertEquals(1, errors.size());
        assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind());
        assertEquals(1, errors.get(0).eventNumber());

        final Aggregate strict = run(body, true).result();
        assertEquals(Outcome.ERROR, strict.outcome());
        assertEquals("a", strict.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void nestedStreamedArgumentsAndScalars()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"willContinue\":true}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"partialArgs\":[" +
                "{\"jsonPath\":\"$.a.b\",\"stringValue\":\"he\\\"l\",\"willContinue\":true}," +
                "{\"jsonPath\":\"$.a.b\",\"stringValue\":\"lo\"}," +
                "{\"jsonPath\":\"$.a.n\",\"numberValue\":2.5}," +
                "{\"jsonPath\":\"$.list[0]\",\"boolValue\":true}," +
                "{\"jsonPath\":\"$.list[1]\",\"nullValue\":\"NULL_VALUE\"}," +
                "{\"jsonPath\":\"$.z\",\"stringValue\":\"end\"}],\"willContinue\":true}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{}}]},\"finishReason\":\"STOP\"}]}"));
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("{\"a\":{\"b\":\"he\\\"llo\",\"n\":2.5},\"list\":[true,null],\"z\":\"end\"}", call.text().toString());
        assertTrue(call.isEnded());
    }

    @Test
    void unknownTopLevelAndCandidateFieldsKept()
    {
        final Aggregate a = run(sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"avgLogprobs\":-0.5,\"finishReason\":\"STOP\"}],\"createTime\":\"t\",\"newField\":[1]}"));
        assertEquals("-0.5", a.choice(0).extra().get("avgLogprobs").json());
        assertEquals("[1]", a.meta().get("newField").json());
        assertEquals("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\"," +
            "\"avgLogprobs\":-0.5,\"index\":0}],\"createTime\":\"t\",\"newField\":[1]}", a.toJson());
    }

    @Test
    void resetReadsASecondStreamTheSame()
    {
        final StreamAggregator agg = StreamAggregator.create(Format.AUTO);
        final byte[] first = ("[{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"one\"}]},\"finishReason\":\"STOP\"}]}]")
            .getBytes(StandardCharsets.UTF_8);
        agg.feed(first, 0, first.length);
        agg.end();
        final String once = agg.result().toJson();
        agg.reset();
        agg.feed(first, 0, first.length);
        agg.end();
        assertEquals(once, agg.result().toJson());
        assertEquals(Outcome.COMPLETE, agg.result().outcome());
    }
}
