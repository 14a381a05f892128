package io.streamfold.aggregator;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregationLimitsTest
{
    @Test
    void builderRejectsValuesBelowOneNamingTheLimit()
    {
        final IllegalArgumentException errors = assertThrows(IllegalArgumentException.class,
            () -> AggregationLimits.builder().maxErrors(0));
        assertTrue(errors.getMessage().contains("maxErrors"), errors.getMessage());
        final IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
            () -> AggregationLimits.builder().maxNumberLength(-1));
        assertTrue(number.getMessage().contains("maxNumberLength"), number.getMessage());
    }

    @Test
    void defaultsKeepTheFormerFixedBounds()
    {
        assertEquals(1000, AggregationLimits.DEFAULT.maxErrors());
        assertEquals(4096, AggregationLimits.DEFAULT.maxNumberLength());
    }

    @Test
    void errorsPastMaxErrorsReachTheListenerButAreOnlyCounted()
    {
        final int[] heard = new int[1];
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(Format.OPENAI_CHAT)
            .limits(AggregationLimits.builder().maxErrors(2).build())
            .listener(new StreamListener()
            {
                @Override
                public void onError(final StreamError error)
                {
                    heard[0]++;
                }
            })
            .build();
        final byte[] bytes = ChatFeeding.utf8(ChatFeeding.sse("{", "{", "{", "{", "{", "[DONE]"));
        ChatFeeding.feedWhole(aggregator, bytes);
        final Aggregate result = aggregator.result();
        // Five malformed chunks, then [DONE] with no chunk folded before it.
        assertEquals(6, heard[0]);
        assertEquals(2, result.errors().size());
        assertEquals(4, result.droppedErrors());
        assertEquals(ErrorKind.MALFORMED_JSON, result.errors().get(0).kind());
    }

    @Test
    void numbersLongerThanMaxNumberLengthAreMalformed()
    {
        final String digits = "1".repeat(40);
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(Format.OPENAI_CHAT)
            .limits(AggregationLimits.builder().maxNumberLength(20).build())
            .build();
        ChatFeeding.feedWhole(aggregator, ChatFeeding.utf8(ChatFeeding.sse(
            "{\"id\":\"x\",\"seed\":" + digits + ",\"choices\":[]}", "[DONE]")));
        // The one chunk is not folded, so [DONE] closes a response that got none: said too.
        assertEquals(2, aggregator.result().errors().size(), aggregator.result().errors().toString());
        assertEquals(ErrorKind.MALFORMED_JSON, aggregator.result().errors().get(0).kind());
        assertTrue(aggregator.result().errors().get(0).message().contains("Number value length"),
            aggregator.result().errors().toString());
    }
}
