package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.HostileInput.anthropicText;
import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.responses;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An event whose object is followed by other text ({@code {}t}) is one malformed event: it is reported at its own
 * number, and the event after it folds whole. Jackson's non-blocking parser holds such a tail back as the start of a
 * token waiting for more input, and an empty object's close is placed one byte late, so the tail once went unseen
 * and was read into the next event, which was then lost (with the fast path off; the fast path's byte scan saw it).
 */
class TextAfterObjectTest
{
    private static final String[] OBJECTS = {"{}", "{ }", "{\"a\":{}}", "{\"type\":\"ping\"}", "{\"a\":[]}"};
    private static final String[] TAILS = {"t", "tr", "1", "\"x", "{}", "]", " n", "}"};

    @Test
    void chat()
    {
        for (final String object : OBJECTS)
        {
            for (final String tail : TAILS)
            {
                final String stream = ChatFeeding.sse(chunk("{\"role\":\"assistant\",\"content\":\"ok\"}"), object + tail,
                    chunk("{\"content\":\"!\"}")) + "data: [DONE]\n\n";
                assertNextEventFolds(Format.OPENAI_CHAT, stream, "ok!", 1, object + tail);
            }
        }
    }

    @Test
    void anthropic()
    {
        for (final String object : OBJECTS)
        {
            for (final String tail : TAILS)
            {
                final String stream = anthropicText(event("content_block_delta", object + tail) +
                    event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}"));
                assertNextEventFolds(Format.ANTHROPIC, stream, "ok!", 3, object + tail);
            }
        }
    }

    @Test
    void openAiResponses()
    {
        for (final String object : OBJECTS)
        {
            for (final String tail : TAILS)
            {
                final String stream =
                    responses("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}") +
                    responses("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"i\",\"type\":\"message\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}") +
                    responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"ok\"}") +
                    event("response.output_text.delta", object + tail) +
                    responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"!\"}") +
                    responses("{\"type\":\"response.completed\",\"sequence_number\":5,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}");
                assertNextEventFolds(Format.OPENAI_RESPONSES, stream, "ok!", 3, object + tail);
            }
        }
    }

    /** Folds {@code stream} lenient with the fast path on and off: the text is whole, one error names the bad event. */
    private static void assertNextEventFolds(final Format format, final String stream, final String text, final long badEvent,
        final String bad)
    {
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (final boolean fastPath : new boolean[] {false, true})
        {
            final StreamAggregator aggregator = StreamAggregator.builder().format(format).build();
            aggregator.dialect().fastPath(fastPath);
            Feeding.feedWhole(aggregator, bytes, Feeding.Via.ARRAY);
            aggregator.end();
            final Aggregate a = aggregator.result();
            final String where = bad + (fastPath ? " (fast path)" : " (full path)");
            assertEquals(text, a.choice(0).joined(Part.Kind.TEXT), where + " " + a.errors());
            final List<StreamError> errors = a.errors();
            assertEquals(1, errors.size(), where + " " + errors);
            assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind(), where + " " + errors);
            assertEquals(badEvent, errors.get(0).eventNumber(), where + " " + errors);
        }
    }

    private static String chunk(final String delta)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            delta + ",\"finish_reason\":null}]}";
    }
}
