package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams the format detector takes for OpenAI chat (no marker of any supported provider) that are not: Cohere v2's
 * typed events, TGI's native {@code generate_stream}, Gemini Interactions. They fold to nothing, each event reported,
 * never to an empty answer called complete. And a server that sends each chunk's content twice, as {@code delta} and
 * as {@code message} (Writer), is read once.
 */
class ChatForeignShapesTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Aggregate fold(final String sse)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        final byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    private static List<ErrorKind> kinds(final Aggregate a)
    {
        return a.errors().stream().map(StreamError::kind).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void cohereEventsEndedByDoneAreNoAnswer()
    {
        final Aggregate a = fold(ChatFeeding.sse(
            "{\"id\":\"e6d7\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[]}}}",
            "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hi\"}}}}",
            "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"tokens\":{\"input_tokens\":3}}}}",
            "[DONE]"));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON),
            kinds(a), a.errors().toString());
        assertEquals("[DONE] before any chat completion chunk", a.errors().get(3).message());
        assertEquals(0, a.meta().size(), "no event's members are the response's");
        assertEquals(0, a.choices().size());
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals(StopReason.MALFORMED_STREAM, a.verdict().reason());
    }

    @Test
    void tgiNativeEventsWithoutDoneAreTruncatedNotComplete()
    {
        final Aggregate a = fold(ChatFeeding.sse(
            "{\"token\":{\"id\":3,\"text\":\" \",\"logprob\":-2.0,\"special\":false},\"generated_text\":\" \"," +
                "\"details\":{\"finish_reason\":\"length\",\"generated_tokens\":1,\"seed\":null}}"));
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
        assertTrue(a.errors().get(a.errors().size() - 1).message().contains("before any chat completion chunk"), a.errors().toString());
        assertEquals(0, a.meta().size());
    }

    @Test
    void aForeignEventBeforeTheFirstChunkIsReportedAndTheChunksFold()
    {
        final Aggregate a = fold(ChatFeeding.sse(
            "{\"id\":\"other\",\"status\":\"queued\"}",
            "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}",
            "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "[DONE]"));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON), kinds(a));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("c1", a.meta().get("id").text().toString());
        assertEquals(null, a.meta().get("status"));
        assertEquals("Hi", a.choice(0).parts().get(0).text().toString());
    }

    @Test
    void anErrorOrUsageAloneIsAChunk()
    {
        final Aggregate error = fold(ChatFeeding.sse("{\"error\":{\"message\":\"overloaded\",\"code\":529}}"));
        assertEquals(Outcome.ERROR, error.outcome());
        assertEquals(List.of(), kinds(error).stream().filter(k -> k == ErrorKind.MALFORMED_JSON).collect(java.util.stream.Collectors.toList()));
        final Aggregate usage = fold(ChatFeeding.sse("{\"id\":\"c1\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0,\"total_tokens\":3}}",
            "[DONE]"));
        assertEquals(List.of(), usage.errors());
        assertEquals(Outcome.COMPLETE, usage.outcome());
    }

    @Test
    void anObjectAloneMakesAChunkOnEveryPath()
    {
        final byte[] stream = ChatFeeding.sse("{\"object\":\"chat.completion.chunk\",\"id\":\"c1\",\"model\":\"m\"}", "[DONE]")
            .getBytes(StandardCharsets.UTF_8);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        assertEquals(List.of(), fast.errors);
        assertEquals(Outcome.COMPLETE, fast.outcome);
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, stream, new Random(3), "object first");
    }

    @Test
    void aMessageAloneIsReadInTheSameOrderOnEveryPath()
    {
        final byte[] stream = ChatFeeding.sse(
            "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"}," +
                "\"logprobs\":{\"content\":[{\"token\":\"hi\",\"logprob\":-0.5,\"bytes\":[104,105],\"top_logprobs\":[]}]},\"token_ids\":[7]," +
                "\"finish_reason\":null}]}",
            "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "[DONE]").getBytes(StandardCharsets.UTF_8);
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, stream, new Random(4), "lone message with logprobs and token ids");
    }

    @Test
    void logprobListsThatAreNoListsArePassedOverOnEveryPath() throws Exception
    {
        final String chunk = "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0," +
            "\"delta\":{\"content\":\"hi\"},\"logprobs\":{\"content\":\"x\"},\"finish_reason\":null}]}";
        final byte[] stream = ChatFeeding.sse(chunk, chunk,
            "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "[DONE]").getBytes(StandardCharsets.UTF_8);
        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 0, false);
        // Written once, as no list: valid JSON (no second "content").
        assertEquals(MAPPER.readTree("{\"content\":null,\"refusal\":null}"),
            MAPPER.readTree(full.json).get("choices").get(0).get("logprobs"));
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, stream, new Random(5), "logprobs content not a list");
    }

    @Test
    void anEmptyTextBesideAChatsToolCallsLeavesItAChatCompletion() throws Exception
    {
        final Aggregate a = fold(ChatFeeding.sse(
            "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"," +
                "\"reasoning_content\":\"think\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\"," +
                "\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
            "{\"id\":\"a\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"tool_calls\"}]}",
            "[DONE]"));
        final JsonNode json = MAPPER.readTree(a.toJson());
        assertEquals("chat.completion", json.get("object").asText());
        assertEquals("call_1", json.get("choices").get(0).get("message").get("tool_calls").get(0).get("id").asText());
        assertEquals("think", json.get("choices").get(0).get("message").get("reasoning_content").asText());
    }

    @Test
    void anObjectStreamedInPiecesIsMergedFieldByField() throws Exception
    {
        // OpenAI's audio output: the audio's data and transcript arrive chunk by chunk, its id and expiry once.
        final String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-audio-preview\",\"choices\":[{\"index\":0,\"delta\":";
        final byte[] stream = ChatFeeding.sse(
            head + "{\"role\":\"assistant\",\"content\":null,\"audio\":{\"id\":\"audio_1\",\"data\":\"UklG\",\"expires_at\":1729018505," +
                "\"transcript\":\"Hel\"}},\"finish_reason\":null}]}",
            head + "{\"audio\":{\"data\":\"RiQA\",\"transcript\":\"lo\"}},\"finish_reason\":null}]}",
            head + "{\"audio\":{\"transcript\":\"!\"}},\"finish_reason\":null}]}",
            head + "{},\"finish_reason\":\"stop\"}]}", "[DONE]").getBytes(StandardCharsets.UTF_8);
        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        assertEquals(List.of(), full.errors);
        assertEquals(MAPPER.readTree("{\"id\":\"audio_1\",\"data\":\"UklGRiQA\",\"expires_at\":1729018505,\"transcript\":\"Hello!\"}"),
            MAPPER.readTree(full.json).get("choices").get(0).get("message").get("audio"));
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, stream, new Random(6), "audio");
    }

    private static String writer(final String content, final boolean messageFirst)
    {
        final String message = "\"message\":{\"content\":" + content + ",\"role\":\"assistant\",\"tool_calls\":null,\"refusal\":null}";
        final String delta = "\"delta\":{\"content\":" + content + ",\"role\":\"assistant\",\"tool_calls\":null,\"refusal\":null}";
        return "{\"id\":\"d6\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"finish_reason\":null," +
            (messageFirst ? message + "," + delta : delta + "," + message) + ",\"logprobs\":null}],\"created\":1756129888," +
            "\"model\":\"palmyra-x4\",\"usage\":null}";
    }

    @Test
    void aMessageBesideTheDeltaIsNotFoldedAgainWhicheverComesFirst() throws Exception
    {
        for (final boolean messageFirst : new boolean[] {true, false})
        {
            final String finish = "{\"id\":\"d6\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"," +
                "\"message\":{\"content\":null},\"delta\":{\"content\":null}}],\"model\":\"palmyra-x4\"}";
            final byte[] stream = ChatFeeding.sse(writer("null", messageFirst), writer("\"Sure\"", messageFirst), writer("\",\"", messageFirst),
                writer("\" here\"", messageFirst), finish, "[DONE]").getBytes(StandardCharsets.UTF_8);
            final JsonNode normalized = MAPPER.readTree(FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false,
                false, 0, true).normalized);
            assertEquals("Sure, here", normalized.get("choices").get(0).get("text").asText(), "message first: " + messageFirst);
            FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, stream, new Random(7), "message first: " + messageFirst);
        }
    }

    @Test
    void aToolCallSentAsDeltaAndMessageHasItsArgumentsOnce() throws Exception
    {
        final String call = "{\"index\":0,\"id\":\"tool_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":%s}}";
        final String chunk = "{\"id\":\"d6\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"message\":{\"tool_calls\":[" + call +
            "]},\"delta\":{\"tool_calls\":[" + call + "]}}],\"model\":\"palmyra-x4\"}";
        final Aggregate a = fold(ChatFeeding.sse(String.format(chunk, "\"{\\\"location\\\":\"", "\"{\\\"location\\\":\""),
            String.format(chunk, "\" \\\"Zakopane\\\"}\"", "\" \\\"Zakopane\\\"}\""),
            "{\"id\":\"d6\",\"choices\":[{\"index\":0,\"delta\":{},\"message\":{},\"finish_reason\":\"tool_calls\"}]}", "[DONE]"));
        assertEquals(List.of(), a.errors());
        assertEquals("{\"location\": \"Zakopane\"}", a.choice(0).toolCalls().get(0).text().toString());
        assertTrue(a.choice(0).toolCalls().get(0).isComplete());
    }

    @Test
    void aMessageAloneIsTheChunksDelta()
    {
        final Aggregate a = fold(ChatFeeding.sse(
            "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}",
            "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"lo\"},\"index\":0,\"finish_reason\":\"stop\"}]}", "[DONE]"));
        assertEquals(List.of(), a.errors());
        assertEquals("Hello", a.choice(0).parts().get(0).text().toString());
    }
}
