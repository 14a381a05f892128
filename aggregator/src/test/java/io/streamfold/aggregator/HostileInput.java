package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.model.Aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Folding that checks the result does not depend on slicing, and SSE event helpers: the shared ground of
 * the hostile-input regression tests.
 */
final class HostileInput
{
    private HostileInput()
    {
    }

    /** Folds lenient, whole and byte by byte; the two results must agree. */
    static Aggregate fold(final Format format, final String stream)
    {
        return fold(format, false, stream.getBytes(StandardCharsets.UTF_8)).result();
    }

    /** Folds lenient, whole and byte by byte; the two results must agree. */
    static Aggregate fold(final Format format, final byte[] bytes)
    {
        return fold(format, false, bytes).result();
    }

    /** Folds whole and byte by byte; the two results must agree. @return the aggregator fed whole. */
    static StreamAggregator fold(final Format format, final boolean strict, final byte[] bytes)
    {
        final StreamAggregator whole = StreamAggregator.builder().format(format).strict(strict).build();
        Feeding.feedWhole(whole, bytes, Feeding.Via.ARRAY);
        whole.end();
        final StreamAggregator slow = StreamAggregator.builder().format(format).strict(strict).build();
        Feeding.feedByteByByte(slow, bytes, Feeding.Via.ARRAY);
        slow.end();
        assertEquals(whole.result().toJson(), slow.result().toJson(), "byte by byte differs");
        return whole;
    }

    /** One SSE event with a name. */
    static String event(final String name, final String data)
    {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    /** One Responses SSE event, named by its own {@code type}. */
    static String responses(final String data)
    {
        final int at = data.indexOf("\"type\":\"") + 8;
        return event(data.substring(at, data.indexOf('"', at)), data);
    }

    /** An Anthropic stream with one text block: "ok", then {@code event} (SSE), then the block and message end. */
    static String anthropicText(final String event)
    {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\"," +
                "\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}") +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
            event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}") +
            event +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            event("message_stop", "{\"type\":\"message_stop\"}");
    }
}
