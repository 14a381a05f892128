package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 3: bytes that end inside an event are a TRUNCATED stream, whatever was folded before the
 * cut, and the result says apart whether the provider's terminal event arrived.
 */
class CutStreamTest
{
    private static final String FINISHED_CHAT =
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";

    private static Aggregate fold(final Format format, final String stream, final boolean oneByteAtATime)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        if (oneByteAtATime)
        {
            Feeding.feedByteByByte(a, bytes, Feeding.Via.ARRAY);
        }
        else
        {
            Feeding.feedWhole(a, bytes, Feeding.Via.ARRAY);
        }
        a.end();
        return a.result();
    }

    @Test
    void chatCutInsideALineAfterEveryChoiceFinishedIsTruncated()
    {
        for (final Format format : new Format[] { Format.OPENAI_CHAT, Format.AUTO })
        {
            for (final boolean bytewise : new boolean[] { false, true })
            {
                final Aggregate r = fold(format, FINISHED_CHAT + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"del", bytewise);
                assertEquals(Outcome.TRUNCATED, r.outcome(), r.errors().toString());
                assertTrue(r.errors().stream().anyMatch(e -> e.kind() == ErrorKind.TRUNCATED));
                assertFalse(r.terminalEventSeen());
                assertTrue(r.toNormalizedJson().contains("\"outcome\":\"truncated\""), r.toNormalizedJson());
            }
        }
    }

    @Test
    void chatCutBeforeTheBlankLineIsTruncated()
    {
        final Aggregate r = fold(Format.OPENAI_CHAT, FINISHED_CHAT + "data: [DONE]\n", false);
        assertEquals(Outcome.TRUNCATED, r.outcome());
        assertFalse(r.terminalEventSeen());
    }

    @Test
    void finishedChatWithoutDoneIsCompleteButSaysTheTerminalEventNeverCame()
    {
        final Aggregate r = fold(Format.OPENAI_CHAT, FINISHED_CHAT, false);
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertFalse(r.terminalEventSeen());
        assertTrue(r.toNormalizedJson().contains("\"terminal_event_seen\":false"), r.toNormalizedJson());
    }

    @Test
    void chatWithDoneSawItsTerminalEvent()
    {
        final Aggregate r = fold(Format.OPENAI_CHAT, FINISHED_CHAT + "data: [DONE]\n\n", false);
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertTrue(r.terminalEventSeen());
        assertTrue(r.toNormalizedJson().contains("\"terminal_event_seen\":true"), r.toNormalizedJson());
    }

    @Test
    void ollamaCutInsideTheLastLineIsTruncated()
    {
        final Aggregate r = fold(Format.OLLAMA,
            "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n{\"model\":\"m\",\"mess", false);
        assertEquals(Outcome.TRUNCATED, r.outcome());
        assertFalse(r.terminalEventSeen());
    }

    @Test
    void resetForgetsTheTerminalEvent()
    {
        final StreamAggregator a = StreamAggregator.create(Format.OPENAI_CHAT);
        final byte[] bytes = (FINISHED_CHAT + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertTrue(a.result().terminalEventSeen());
        a.reset();
        assertFalse(a.result().terminalEventSeen());
    }
}
