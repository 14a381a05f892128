package io.streamfold.aggregator;

import java.util.List;
import java.util.Set;

import io.streamfold.parser.ErrorKind;
import net.jqwik.api.Arbitrary;

/**
 * Valid streams of one format with the message each must fold to, and what each format's damage is
 * documented to yield. One implementation per format (two for Gemini, one per transport): adding a format
 * to the properties is adding one instance to {@link StreamProperties#GENERATORS}.
 */
interface StreamGenerator
{
    /** @return the format generated. */
    Format format();

    /** @return a short name for reports (the format, and the transport where one format has two). */
    default String name()
    {
        return format().cliName();
    }

    /** @return complete, valid streams. */
    Arbitrary<Generated> streams();

    /** @return one whole event (framing and terminator included) whose payload this format's dialect must reject. */
    Arbitrary<byte[]> garbageEvent();

    /** @return the error kinds one {@link #garbageEvent()} may be reported as (exactly one error per event). */
    default Set<ErrorKind> garbageErrors()
    {
        return Set.of(ErrorKind.MALFORMED_JSON);
    }

    /** @return the first event position where a garbage event may go (a JSON array's garbage must follow its '['). */
    default int firstGarbagePosition()
    {
        return 0;
    }

    /**
     * @return whether the framer hands on a last event whose terminator never came (NDJSON's last line,
     * Gemini's lenient SSE end): a cut that leaves only the terminator missing then still delivers the event,
     * and a cut inside its payload delivers a malformed one.
     */
    default boolean deliversUnterminatedEvent()
    {
        return false;
    }

    /**
     * @return whether a stream cut inside an event that follows the terminal one is truncated (Bedrock: the
     * metadata after messageStop was cut) rather than complete (OpenAI chat: every choice had finished).
     */
    default boolean cutAfterTerminalTruncates()
    {
        return true;
    }

    /**
     * @return whether a cut, malformed last event may still have changed the message with what was read
     * before the cut (the truncation property then only checks that the complete events are kept).
     */
    default boolean appliesCutEventsInPart()
    {
        return false;
    }

    /**
     * Whether the first {@code kept} events of {@code g} make a complete stream. By default every prefix from
     * {@link Generated#terminal()} on is. Formats that end when every choice seen so far has finished override
     * this: a later event can still open a choice not seen before (choice 1 finished before choice 0 started),
     * and the prefix that stops after it is truncated again, so completeness is not monotonic there.
     */
    default boolean completeAfter(final Generated g, final int kept)
    {
        return kept >= g.terminal();
    }

    /** @return whether {@code m} has a choice and every choice in it has finished. */
    static boolean allFinished(final Message m)
    {
        return !m.choices().isEmpty() && m.choices().values().stream().allMatch(c -> !c.finishReason().isEmpty());
    }

    /** @return the error kinds a stream cut anywhere may carry. */
    default Set<ErrorKind> truncationErrors()
    {
        return deliversUnterminatedEvent() ? Set.of(ErrorKind.TRUNCATED, ErrorKind.MALFORMED_JSON) : Set.of(ErrorKind.TRUNCATED);
    }

    /** @return the error kinds a damaged stream (a byte dropped, events duplicated) may carry. */
    default Set<ErrorKind> damageErrors()
    {
        // LATE_DATA: a duplicated or damaged event can carry content after its choice or block finished.
        return Set.of(ErrorKind.MALFORMED_JSON, ErrorKind.TRUNCATED, ErrorKind.LATE_DATA);
    }

    /**
     * How many events a stream cut after {@code cut} bytes delivers whole: the events ending at or before the
     * cut, plus the one cut inside its terminator when the framer {@link #deliversUnterminatedEvent() delivers it}.
     */
    default int completeEvents(final List<byte[]> events, final int cut)
    {
        int end = 0;
        int k = 0;
        for (final byte[] e : events)
        {
            if (end + e.length <= cut)
            {
                end += e.length;
                k++;
                continue;
            }
            if (deliversUnterminatedEvent() && cut > end && onlyLineEndsFrom(e, cut - end))
            {
                k++;
            }
            break;
        }
        return k;
    }

    private static boolean onlyLineEndsFrom(final byte[] event, final int from)
    {
        for (int i = from; i < event.length; i++)
        {
            if (event[i] != '\n' && event[i] != '\r')
            {
                return false;
            }
        }
        // Something before the cut must be the payload itself, not just its line end.
        for (int i = 0; i < from; i++)
        {
            if (event[i] != '\n' && event[i] != '\r')
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A generated stream: its events in order (each with its framing and terminator), the message after each
     * prefix of events ({@code prefixes.get(k)} after the first k events; the last one is the whole message),
     * and {@code terminal}, the number of events after which the stream is complete.
     */
    record Generated(StreamGenerator generator, List<byte[]> events, List<Message> prefixes, int terminal)
    {
        Format format()
        {
            return generator.format();
        }

        Message expected()
        {
            return prefixes.get(prefixes.size() - 1);
        }

        byte[] bytes()
        {
            return StreamProperties.concat(events);
        }

        @Override
        public String toString()
        {
            final String text = format() == Format.BEDROCK ? java.util.Base64.getEncoder().encodeToString(bytes()) :
                new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
            return generator.name() + " " + text;
        }
    }
}
