package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 9 class 5 on generated OpenAI chat streams: data for a choice that has already finished never
 * changes the folded message, however the bytes are sliced; each late chunk is one LATE_DATA error.
 */
class LateDataProperties
{
    @Provide
    Arbitrary<StreamGenerator.Generated> openAiChat()
    {
        return new OpenAiChatStreams().streams();
    }

    @Property(tries = 200)
    void dataAfterAFinishedChoiceNeverChangesIt(@ForAll("openAiChat") final StreamGenerator.Generated g,
        @ForAll @IntRange(min = 0, max = 2) final int kind, @ForAll @IntRange(min = 1, max = 64) final int slice)
    {
        final Message expected = g.expected();
        Assume.that(!expected.choices().isEmpty() &&
            expected.choices().values().stream().allMatch(c -> !c.finishReason().isEmpty()));
        // Every choice has finished before the generator's last event, [DONE]: the late chunks go just before it.
        final int last = g.events().size() - 1;
        final List<byte[]> events = new ArrayList<>(g.events().subList(0, last));
        int late = 0;
        for (final long index : expected.choices().keySet())
        {
            events.add(lateChunk(index, kind));
            late++;
        }
        events.add(g.events().get(last));
        final byte[] bytes = StreamProperties.concat(events);

        final StreamAggregator a = StreamAggregator.create(Format.OPENAI_CHAT);
        for (int from = 0; from < bytes.length; from += slice)
        {
            a.feed(bytes, from, Math.min(slice, bytes.length - from));
        }
        a.end();
        final Aggregate r = a.result();
        assertEquals(expected, Message.of(r), () -> new String(bytes, StandardCharsets.UTF_8));
        assertEquals(late, r.errors().size(), r.errors().toString());
        for (final StreamError e : r.errors())
        {
            assertEquals(ErrorKind.LATE_DATA, e.kind(), e.toString());
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.toString());
        }
        assertEquals(Outcome.COMPLETE, r.outcome());
    }

    private static byte[] lateChunk(final long index, final int kind)
    {
        final String delta = kind == 0 ? "{\"content\":\"LATE\"}" : kind == 1 ? "{\"reasoning_content\":\"LATE\"}" :
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"LATE\"}}]}";
        return ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-x\"," +
            "\"choices\":[{\"index\":" + index + ",\"delta\":" + delta + "}]}\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
