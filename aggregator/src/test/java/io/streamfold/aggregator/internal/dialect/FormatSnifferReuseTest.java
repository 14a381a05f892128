package io.streamfold.aggregator.internal.dialect;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.Format;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One {@link FormatSniffer} (a pooled AUTO aggregator's) reuses its JSON parser and recent strings from stream
 * to stream: whatever the previous stream left behind (an event cut by the end, data that is not JSON, text
 * after the object, a multi-line data field), the next stream is decided exactly as a fresh sniffer decides it.
 */
class FormatSnifferReuseTest
{
    private static final List<String> STREAMS = List.of(
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":1}}}\n\n",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],\"modelVersion\":\"g\"}\n\n",
        // cut inside the JSON: the parser is left mid-object
        "data: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"out",
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],\"modelVersion\":\"g\"}\n\n",
        // not JSON, then a chunk
        "data: [DONE]\n\ndata: {\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n",
        // a type after nested values, text after the object
        "data: {\"response\":{\"a\":[1,{\"b\":[]}]},\"type\":\"response.created\"} trailing\n\n",
        // the JSON split over three data lines, then a keepalive type
        "data: {\"type\":\ndata: \"ping\"}\n\ndata: {\"usageMetadata\":{\"promptTokenCount\":1},\n" +
            "data: \"candidates\":[]}\n\n",
        // a multi-byte event name next to an ASCII one of the same length in UTF-16 units
        "event: pingé\ndata: {}\n\nevent: message_delta\ndata: {}\n\n",
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n",
        "data: {\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\n");

    @Test
    void aReusedSnifferDecidesEveryStreamAsAFreshOne()
    {
        final FormatSniffer reused = new FormatSniffer();
        for (int round = 0; round < 3; round++)
        {
            for (final String stream : STREAMS)
            {
                final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
                for (final boolean ended : new boolean[] {false, true})
                {
                    reused.reset();
                    final Format expected = new FormatSniffer().offer(bytes, bytes.length, ended);
                    assertEquals(expected, reused.offer(bytes, bytes.length, ended), stream + " ended=" + ended);
                }
            }
        }
    }

    @Test
    void dataLinesAreJoinedBeforeTheJsonIsRead()
    {
        final byte[] bytes = "data: {\"object\":\ndata: \"chat.completion.chunk\"}\n\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Format.OPENAI_CHAT, new FormatSniffer().offer(bytes, bytes.length, false));
        final byte[] gemini = "data: {\"x\":1,\ndata: \"candidates\":[]}\n\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Format.GEMINI, new FormatSniffer().offer(gemini, gemini.length, false));
        final byte[] keepalive = "data: {\"type\":\ndata: \"ping\"}\n\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(null, new FormatSniffer().offer(keepalive, keepalive.length, false));
    }
}
