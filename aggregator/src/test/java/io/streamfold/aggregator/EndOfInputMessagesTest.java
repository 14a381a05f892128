package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 11 (stream level): an error decided at the end of input says where the input ended, and a
 * payload that nearly is {@code [DONE]} is named as such.
 */
class EndOfInputMessagesTest
{
    private static final String CHUNK =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    private static final String FINISH =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";

    private static Aggregate fold(final Format format, final String stream)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    @Test
    void truncationDecidedAtTheEndCarriesTheLastOffsetAndTheEventCount()
    {
        for (final Format format : new Format[] { Format.OPENAI_CHAT, Format.AUTO })
        {
            final String stream = CHUNK + CHUNK + CHUNK;
            final Aggregate r = fold(format, stream);
            assertEquals(Outcome.TRUNCATED, r.outcome());
            assertEquals(1, r.errors().size(), r.errors().toString());
            final StreamError e = r.errors().get(0);
            assertEquals(ErrorKind.TRUNCATED, e.kind());
            assertEquals(3, e.eventNumber(), e.toString());
            assertEquals(stream.getBytes(StandardCharsets.UTF_8).length, e.byteOffset(), e.toString());
        }
    }

    @Test
    void nearMissesOfDoneSayWhatTheyAre()
    {
        final String[][] cases = {
            { "data: [DONE] \n\n", "whitespace" },
            { "data: [done]\n\n", "upper case" },
            { "data: DONE\n\n", "no brackets" },
            { "data: [DONE]x\n\n", "more after the marker" },
        };
        for (final String[] c : cases)
        {
            final Aggregate r = fold(Format.OPENAI_CHAT, CHUNK + FINISH + c[0]);
            assertEquals(1, r.errors().size(), c[0] + r.errors());
            final StreamError e = r.errors().get(0);
            assertEquals(ErrorKind.MALFORMED_JSON, e.kind());
            assertTrue(e.message().contains("is not the terminal event [DONE]") && e.message().contains(c[1]), e.message());
            assertEquals(2, e.eventNumber(), e.toString());
            assertTrue(!r.terminalEventSeen(), c[0]);
        }
    }

    @Test
    void theMarkerItselfInAFormatWithoutOneIsNamedSo()
    {
        // An Assistants stream (event: done, data: [DONE]) read as Anthropic's: no whitespace to blame.
        final Aggregate r = fold(Format.ANTHROPIC, "event: done\ndata: [DONE]\n\n");
        assertEquals(ErrorKind.MALFORMED_JSON, r.errors().get(0).kind());
        assertEquals("payload '[DONE]' is OpenAI chat's terminal event, not this format's; not taken as the end of the stream",
            r.errors().get(0).message());
    }

    @Test
    void doneWithoutTheSpaceIsTheTerminalEvent()
    {
        final Aggregate r = fold(Format.OPENAI_CHAT, CHUNK + FINISH + "data:[DONE]\n\n");
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertTrue(r.terminalEventSeen());
    }
}
