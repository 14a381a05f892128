package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Run in its own JVM under a small {@code -Xmx} by {@link ResultLimitTest}: folds an Anthropic stream that
 * alternates text and thinking blocks (a new part each time, each well under the per-part limit) until the result's
 * limit stops it, and prints {@code LIMIT <chars kept>}; {@code OOM} when the heap ran out first. With the argument
 * {@code unbounded} the whole-result limits are lifted, to show the same stream exhausts that heap without them.
 */
public final class AdversarialPartsMain
{
    private AdversarialPartsMain()
    {
    }

    public static void main(final String[] args)
    {
        final AggregationLimits limits = args.length > 0 && "unbounded".equals(args[0]) ?
            AggregationLimits.builder().maxResultChars(Long.MAX_VALUE).maxResultBytes(Long.MAX_VALUE).build() : AggregationLimits.DEFAULT;
        final StreamAggregator aggregator = StreamAggregator.builder().format(Format.ANTHROPIC).limits(limits).build();
        final char[] filler = new char[64 << 10];
        Arrays.fill(filler, 'x');
        final String chunk = new String(filler);
        try
        {
            feed(aggregator, "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\"," +
                "\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}");
            // 1024 blocks of 1 Mi characters each: 2 GiB of text if nothing stopped it.
            for (int block = 0; block < 1024; block++)
            {
                final boolean thinking = block % 2 == 1;
                feed(aggregator, "{\"type\":\"content_block_start\",\"index\":" + block + ",\"content_block\":{\"type\":\"" +
                    (thinking ? "thinking\",\"thinking\":\"\"" : "text\",\"text\":\"\"") + "}}");
                final String delta = "{\"type\":\"content_block_delta\",\"index\":" + block + ",\"delta\":{\"type\":\"" +
                    (thinking ? "thinking_delta\",\"thinking\":\"" : "text_delta\",\"text\":\"") + chunk + "\"}}";
                for (int i = 0; i < 16; i++)
                {
                    feed(aggregator, delta);
                }
                feed(aggregator, "{\"type\":\"content_block_stop\",\"index\":" + block + "}");
                for (final StreamError e : aggregator.result().errors())
                {
                    if (e.kind() == ErrorKind.LIMIT_EXCEEDED)
                    {
                        long kept = 0;
                        for (final io.streamfold.aggregator.model.Part p : aggregator.result().choice(0).parts())
                        {
                            kept += p.text().length();
                        }
                        System.out.println("LIMIT " + kept + " " + aggregator.result().outcome() + " " + e.message());
                        return;
                    }
                }
            }
            System.out.println("NO LIMIT");
        }
        catch (final OutOfMemoryError e)
        {
            System.out.println("OOM");
        }
    }

    private static void feed(final StreamAggregator aggregator, final String data)
    {
        final byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        aggregator.feed(bytes, 0, bytes.length);
    }
}
