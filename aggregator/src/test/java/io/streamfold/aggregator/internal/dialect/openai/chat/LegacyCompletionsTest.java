package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A legacy {@code /v1/completions} stream (OpenAI's instruct models, vLLM and Together for base models): choices carry
 * {@code text}, no delta, and logprobs as token arrays. It folds into the {@code text_completion} the same request
 * returns without streaming: each choice's text, its logprobs arrays joined over the chunks, its finish reason.
 */
class LegacyCompletionsTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String chunk(final int index, final String text, final String token, final double logprob, final int offset,
        final String finish)
    {
        return "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1770934485,\"choices\":[{\"text\":\"" + text + "\",\"index\":" +
            index + ",\"logprobs\":{\"tokens\":[\"" + token + "\"],\"token_logprobs\":[" + logprob + "],\"top_logprobs\":[{\"" + token +
            "\":" + logprob + "}],\"text_offset\":[" + offset + "]},\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") +
            "}],\"model\":\"gpt-3.5-turbo-instruct\"}";
    }

    private static final String STREAM = ChatFeeding.sse(
        chunk(0, "The", "The", -0.5, 10, null),
        chunk(1, "A", "A", -1.25, 10, null),
        chunk(0, " day", " day", -0.125, 13, null),
        chunk(1, " cat", " cat", -2.0, 11, "length"),
        chunk(0, "", "", 0.0, 17, "stop"),
        "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1770934485,\"choices\":[],\"model\":\"gpt-3.5-turbo-instruct\"," +
            "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}",
        "[DONE]");

    @Test
    void foldsIntoTheTextCompletionWithItsTokenArraysJoined() throws Exception
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.AUTO).build();
        final byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        final Aggregate r = a.result();
        assertEquals(List.of(), r.errors());
        final JsonNode json = MAPPER.readTree(r.toJson());
        assertEquals("text_completion", json.get("object").asText());
        final JsonNode first = json.get("choices").get(0);
        assertEquals("The day", first.get("text").asText());
        assertEquals(MAPPER.readTree("{\"tokens\":[\"The\",\" day\",\"\"],\"token_logprobs\":[-0.5,-0.125,0.0]," +
            "\"top_logprobs\":[{\"The\":-0.5},{\" day\":-0.125},{\"\":0.0}],\"text_offset\":[10,13,17]}"), first.get("logprobs"));
        assertEquals("stop", first.get("finish_reason").asText());
        final JsonNode second = json.get("choices").get(1);
        assertEquals("A cat", second.get("text").asText());
        assertEquals(MAPPER.readTree("[-1.25,-2.0]"), second.get("logprobs").get("token_logprobs"));
        assertEquals("length", second.get("finish_reason").asText());
        assertEquals(9, json.get("usage").get("total_tokens").asInt());
        assertTrue(!json.get("choices").get(0).has("message"), "no chat message in a text completion");
        // The normalized view is the one shape for every provider: the text, as a chat's.
        assertEquals("The day", MAPPER.readTree(r.toNormalizedJson()).get("choices").get(0).get("text").asText());
    }

    @Test
    void theFastPathFoldsItAsTheTokenReaderDoes()
    {
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, STREAM.getBytes(StandardCharsets.UTF_8), new Random(13), "legacy");
    }

    @Test
    void aChatStreamStaysAChatCompletionAndKeepsOtherLogprobMembers() throws Exception
    {
        // TGI's chat stream says object text_completion, with deltas: a chat all the same.
        final String chat = ChatFeeding.sse(
            "{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":{\"content\":" +
                "[{\"token\":\"Hi\",\"logprob\":-0.1,\"bytes\":[72,105],\"top_logprobs\":[]}],\"refusal\":null,\"x_trace\":[1]}}]}",
            "{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":{\"content\":[],\"x_trace\":[2]}," +
                "\"finish_reason\":\"stop\"}]}", "[DONE]");
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        final byte[] bytes = chat.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        final JsonNode json = MAPPER.readTree(a.result().toJson());
        assertEquals("chat.completion", json.get("object").asText());
        assertEquals("Hi", json.get("choices").get(0).get("message").get("content").asText());
        assertEquals(MAPPER.readTree("[1,2]"), json.get("choices").get(0).get("logprobs").get("x_trace"));
        FastPathRun.assertSameFedEveryWay(Format.OPENAI_CHAT, bytes, new Random(14), "chat with other logprob members");
    }
}
