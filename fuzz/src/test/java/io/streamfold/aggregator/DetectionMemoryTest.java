package io.streamfold.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.streamfold.aggregator.internal.dialect.FormatDetector;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

/**
 * Inputs longer than a fuzzer's reach (its inputs stay a few KiB): format detection must decide within
 * its sniff window whatever the first bytes are, so an AUTO aggregator never buffers a stream whole.
 */
class DetectionMemoryTest
{
    @Test
    void endlessWhitespaceIsNotBuffered()
    {
        final StreamAggregator aggregator = StreamAggregator.builder().limits(AggregatorFuzzing.LIMITS).build();
        final byte[] blanks = new byte[1024];
        Arrays.fill(blanks, (byte)'\n');
        for (int i = 0; i < 512; i++)
        {
            aggregator.feed(blanks, 0, blanks.length);
            assertTrue(aggregator.retainedSniffBytes() <= 2L * FormatDetector.MAX_SNIFF_BYTES,
                "sniffing holds " + aggregator.retainedSniffBytes() + " bytes after " + (i + 1) + " KiB");
        }
        assertEquals(Format.OPENAI_CHAT, aggregator.format());
        final byte[] event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
            .getBytes(StandardCharsets.UTF_8);
        aggregator.feed(event, 0, event.length);
        aggregator.end();
        assertEquals(Outcome.COMPLETE, aggregator.result().outcome());
        assertEquals("hi", aggregator.result().choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void longFirstEventDecidesAtTheSniffWindow()
    {
        final StreamAggregator aggregator = StreamAggregator.builder().limits(AggregatorFuzzing.LIMITS).build();
        final byte[] comment = new byte[1024];
        Arrays.fill(comment, (byte)'x');
        comment[0] = ':';
        for (int i = 0; i < 512; i++)
        {
            aggregator.feed(comment, 0, comment.length);
            assertTrue(aggregator.retainedSniffBytes() <= 2L * FormatDetector.MAX_SNIFF_BYTES,
                "sniffing holds " + aggregator.retainedSniffBytes() + " bytes");
        }
        assertEquals(Format.OPENAI_CHAT, aggregator.format());
    }
}
