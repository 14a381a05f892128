package io.streamfold.aggregator.internal.output;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text holding an unpaired UTF-16 surrogate is legal JSON input ({@code "\uD83D"}) but has no UTF-8 encoding;
 * the result must still render, as JSON that reads back as exactly the folded text.
 */
class UnpairedSurrogateTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Aggregate chat(final String... contents)
    {
        final StringBuilder sse = new StringBuilder();
        for (final String content : contents)
        {
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",")
                .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(content).append("\"}}]}\n\n");
        }
        sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",")
            .append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        return aggregator.result();
    }

    private static Aggregate anthropic(final String text)
    {
        final String sse =
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\"," +
            "\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0," +
            "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0," +
            "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}," +
            "\"usage\":{\"output_tokens\":2}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        final byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.create(Format.ANTHROPIC);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        return aggregator.result();
    }

    @Test
    void anthropicTextWithAnUnpairedSurrogateRendersAndReadsBack() throws Exception
    {
        final Aggregate result = anthropic("a\\uD800\\\\b");
        final String folded = result.choice(0).joined(Part.Kind.TEXT).toString();
        assertEquals("a\uD800\\b", folded);
        assertEquals(folded, MAPPER.readTree(result.toJson()).at("/content/0/text").asText());
        assertEquals(folded, MAPPER.readTree(result.toNormalizedJson()).at("/choices/0/text").asText());
    }

    @Test
    void aRawKeptFieldWithAnUnpairedSurrogateRendersAndReadsBack() throws Exception
    {
        final String sse = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"," +
            "\"x_note\":\"p\\uD800\\\\q\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}," +
            "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        final byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_CHAT);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        final JsonNode tree = MAPPER.readTree(aggregator.result().toJson());
        assertEquals("p\uD800\\q", tree.at("/x_note").asText());
    }

    @Test
    void anUnpairedSurrogateIsWrittenEscapedAndReadsBackAsTheFoldedText() throws Exception
    {
        final Aggregate result = chat("a\\uD83D\\\"b", "\\\\c");
        final String folded = result.choice(0).joined(Part.Kind.TEXT).toString();
        assertEquals("a\uD83D\"b\\c", folded);
        final String json = result.toJson();
        assertTrue(json.contains("a\\uD83D\\\"b\\\\c"), json);
        final JsonNode tree = MAPPER.readTree(json);
        assertEquals(folded, tree.at("/choices/0/message/content").asText());
        final JsonNode normalized = MAPPER.readTree(result.toNormalizedJson());
        assertEquals(folded, normalized.at("/choices/0/text").asText(), normalized.toString());
    }

    @Test
    void aPairSplitAcrossDeltasIsJoinedIntoItsCharacter() throws Exception
    {
        final Aggregate result = chat("x\\uD83D", "\\uDE00y");
        final String json = result.toJson();
        assertEquals("x\uD83D\uDE00y", MAPPER.readTree(json).at("/choices/0/message/content").asText());
    }

    @Test
    void scanFindsOnlyUnpairedSurrogates()
    {
        assertEquals(-1, SurrogateSafeGenerator.firstUnpaired("a\uD83D\uDE00b".toCharArray(), 0, 4));
        assertEquals(1, SurrogateSafeGenerator.firstUnpaired("a\uDE00\uD83Db".toCharArray(), 0, 4));
        assertEquals(0, SurrogateSafeGenerator.firstUnpaired("\uD83D".toCharArray(), 0, 1));
        // A pair cut by the range's end is unpaired within it.
        assertEquals(1, SurrogateSafeGenerator.firstUnpaired("a\uD83D\uDE00".toCharArray(), 0, 2));
    }
}
