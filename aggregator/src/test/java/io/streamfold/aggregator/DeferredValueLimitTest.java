package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A value sent before the index (or type) it depends on is kept until that arrives, then read: it is part of the
 * answer, not a raw value the result keeps, so the raw-value limit ({@link AggregationLimits#maxRawBytes}) does not
 * apply to it. Before, a delta over that limit sent before its choice's index (Qwen's member order) or a Bedrock block
 * body before its index was dropped without an error, and an Anthropic delta before its type refused the event.
 */
class DeferredValueLimitTest
{
    private static final AggregationLimits SMALL_RAW = AggregationLimits.builder().maxRawBytes(32).build();
    private static final String ARGUMENTS = "{\\\"location\\\": \\\"San Francisco, CA\\\", \\\"unit\\\": \\\"celsius\\\"}";

    @Test
    void aChatDeltaBeforeItsIndexIsReadWhateverTheRawLimit()
    {
        final String chunk = "{\"choices\":[{\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\"," +
            "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"" + ARGUMENTS + "\"}}]," +
            "\"role\":\"assistant\"},\"finish_reason\":\"tool_calls\",\"index\":0}],\"object\":\"chat.completion.chunk\"," +
            "\"model\":\"qwen3-max\",\"id\":\"c\"}";
        for (final boolean fastPath : new boolean[] {true, false})
        {
            final Aggregate r = fold(Format.OPENAI_CHAT, ("data: " + chunk + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8),
                fastPath);
            assertEquals(List.of(), r.errors());
            final Part call = r.choice(0).toolCalls().get(0);
            assertEquals("weather", call.name().toString());
            assertEquals("{\"location\": \"San Francisco, CA\", \"unit\": \"celsius\"}", call.text().toString());
        }
    }

    @Test
    void aBedrockBlockBodyBeforeItsIndexIsReadWhateverTheRawLimit()
    {
        final byte[] stream = EventStreamEncoder.concat(
            EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
            EventStreamEncoder.event("contentBlockDelta", "{\"delta\":{\"text\":\"A sentence longer than the raw limit.\"},\"contentBlockIndex\":0}"),
            EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
            EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
        final Aggregate r = fold(Format.BEDROCK, stream, true);
        assertEquals(List.of(), r.errors());
        assertEquals("A sentence longer than the raw limit.", r.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void anAnthropicDeltaBeforeItsTypeIsReadWhateverTheRawLimit()
    {
        final String stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\"," +
            "\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"delta\":{\"type\":\"text_delta\",\"text\":\"A sentence longer than the raw limit.\"}," +
            "\"index\":0,\"type\":\"content_block_delta\"}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        final Aggregate r = fold(Format.ANTHROPIC, stream.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(List.of(), r.errors());
        assertEquals("A sentence longer than the raw limit.", r.choice(0).joined(Part.Kind.TEXT));
    }

    private static Aggregate fold(final Format format, final byte[] stream, final boolean fastPath)
    {
        final StreamAggregator a = StreamAggregator.builder().format(format).limits(SMALL_RAW).build();
        a.dialect().fastPath(fastPath);
        a.feed(stream, 0, stream.length);
        a.end();
        return a.result();
    }
}
