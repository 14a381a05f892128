package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.internal.dialect.FormatDetector;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 6: {@link Format#AUTO} is not decided by a keepalive or by a marker inside a string value,
 * whatever the slicing, and detection looks at each sniffed byte a bounded number of times.
 */
class KeepaliveDetectionTest
{
    private static final String ANTHROPIC_AFTER_PING =
        "event: ping\ndata: {\"type\": \"ping\"}\n\n" +
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"c\"}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static final String RESPONSES_AFTER_KEEPALIVE =
        "event: keepalive\ndata: {\"type\":\"keepalive\"}\n\n" +
        "data: {\"type\":\"keepalive\",\"sequence_number\":0}\n\n" +
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}\n\n" +
        "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n" +
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"m1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n" +
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}\n\n";

    private static final String GEMINI_EMPTY_FIRST =
        ": keepalive\n\n" +
        "data: {\"candidates\": [{}], \"modelVersion\": \"gemini-x\", \"responseId\": \"choices message_start\"}\n\n" +
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hi\"}], \"role\": \"model\"}, \"finishReason\": \"STOP\", \"index\": 0}]}\n\n";

    private static final String CHAT_WITH_MISLEADING_MODEL =
        "data: {\"id\":\"response.created\",\"object\":\"chat.completion.chunk\",\"model\":\"message_start event: response.x \\\"candidates\\\"\"," +
        "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: [DONE]\n\n";

    private static void assertDetected(final Format expected, final String stream)
    {
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (final int slice : new int[] { bytes.length, 1, 2, 7 })
        {
            final StreamAggregator a = StreamAggregator.create(Format.AUTO);
            for (int from = 0; from < bytes.length; from += slice)
            {
                a.feed(bytes, from, Math.min(slice, bytes.length - from));
            }
            a.end();
            assertEquals(expected, a.format(), "slice " + slice);
            assertEquals(Outcome.COMPLETE, a.result().outcome(), "slice " + slice + ": " + a.result().errors());
            assertEquals("Hi", a.result().choice(0).joined(Part.Kind.TEXT), "slice " + slice);
        }
    }

    @Test
    void anthropicOpeningWithPing()
    {
        assertDetected(Format.ANTHROPIC, ANTHROPIC_AFTER_PING);
    }

    @Test
    void responsesOpeningWithKeepalives()
    {
        assertDetected(Format.OPENAI_RESPONSES, RESPONSES_AFTER_KEEPALIVE);
    }

    @Test
    void geminiWhoseFirstCandidateIsEmpty()
    {
        assertDetected(Format.GEMINI, GEMINI_EMPTY_FIRST);
    }

    @Test
    void chatWhoseModelNameHoldsOtherMarkers()
    {
        assertDetected(Format.OPENAI_CHAT, CHAT_WITH_MISLEADING_MODEL);
    }

    @Test
    void aPingAloneDecidesNothingUntilTheEnd()
    {
        final byte[] ping = "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.UTF_8);
        assertNull(FormatDetector.detect(ping, ping.length, false));
    }

    @Test
    void detectionIsLinearWhenFedOneByteAtATime()
    {
        final StringBuilder comments = new StringBuilder();
        while (comments.length() < FormatDetector.MAX_SNIFF_BYTES - 100)
        {
            comments.append(": keepalive\n");
        }
        final byte[] bytes = comments.toString().getBytes(StandardCharsets.UTF_8);
        final StreamAggregator a = StreamAggregator.create(Format.AUTO);
        for (int i = 0; i < bytes.length; i++)
        {
            a.feed(bytes, i, 1);
        }
        assertNull(a.format());
        assertTrue(a.sniffExamined() <= 3L * bytes.length, a.sniffExamined() + " bytes examined for " + bytes.length);
    }
}
