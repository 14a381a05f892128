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
 * The arguments {@code tokens}, {@code raw} and {@code deltas} (then optionally {@code unbounded}) grow the result
 * instead by distinct token ids, large unknown fields of choices (both OpenAI chat), or the strings of an unknown delta
 * type, each within its own per-value limit; they print {@code LIMIT <message>}.
 */
public final class AdversarialPartsMain
{
    private AdversarialPartsMain()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length > 0 && !"unbounded".equals(args[0]))
        {
            final boolean unbounded = args.length > 1 && "unbounded".equals(args[1]);
            final StreamAggregator aggregator = StreamAggregator.builder()
                .format("deltas".equals(args[0]) ? Format.ANTHROPIC : Format.OPENAI_CHAT)
                .limits(unbounded ? AggregationLimits.builder().maxResultBytes(Long.MAX_VALUE).build() : AggregationLimits.DEFAULT)
                .build();
            try
            {
                System.out.println(grow(aggregator, args[0]));
            }
            catch (final OutOfMemoryError e)
            {
                System.out.println("OOM");
            }
            return;
        }
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

    /** Feeds one kind of growth until the result's limit is reported: that error's message, or NO LIMIT. */
    private static String grow(final StreamAggregator aggregator, final String kind)
    {
        final char[] filler = new char[64 << 10];
        Arrays.fill(filler, 'y');
        final String chunk = new String(filler);
        if ("deltas".equals(kind))
        {
            feed(aggregator, "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\"," +
                "\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}");
        }
        final StringBuilder ids = new StringBuilder();
        for (int round = 0; round < 16 << 10; round++)
        {
            if ("tokens".equals(kind))
            {
                // 1,024 distinct ids per chunk: 16 Mi ids (the per-choice limit, 128 MiB) if nothing stopped it.
                ids.setLength(0);
                for (int i = 0; i < 1024; i++)
                {
                    ids.append(i == 0 ? "" : ",").append(round * 1024L + i);
                }
                feed(aggregator, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0," +
                    "\"delta\":{},\"token_ids\":[" + ids + "]}]}");
            }
            else if ("raw".equals(kind))
            {
                // Unknown choice fields of 64 Ki characters (128 KiB kept), 128 distinct names on each of 128 choices,
                // each within the per-value and per-object limits: 2 GiB if nothing stopped it.
                feed(aggregator, "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":" +
                    round % 128 + ",\"delta\":{},\"x_" + round / 128 + "\":\"" + chunk + "\"}]}");
            }
            else
            {
                // An unknown delta type's string field, joined per block up to the 64 Mi-character per-part limit.
                if (round == 0)
                {
                    feed(aggregator, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"future\"}}");
                }
                feed(aggregator, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"future_delta\"," +
                    "\"blob\":\"" + chunk + "\"}}");
            }
            for (final StreamError e : aggregator.result().errors())
            {
                if (e.kind() == ErrorKind.LIMIT_EXCEEDED)
                {
                    return "LIMIT " + e.message();
                }
            }
        }
        return "NO LIMIT";
    }

    private static void feed(final StreamAggregator aggregator, final String data)
    {
        final byte[] bytes = ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        aggregator.feed(bytes, 0, bytes.length);
    }
}
