package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream being generated: the generator updates {@link #message} with what an event means, then adds the
 * event, so the message after every prefix of events is known exactly.
 */
final class EventLog
{
    final Message.Builder message = new Message.Builder();
    private final List<byte[]> events = new ArrayList<>();
    private final List<Message> prefixes = new ArrayList<>();
    private int terminal = -1;

    EventLog()
    {
        prefixes.add(message.build());
    }

    void add(final byte[] event)
    {
        events.add(event);
        prefixes.add(message.build());
    }

    void add(final String event)
    {
        add(event.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds an event that changes nothing (a ping, a keep-alive), possibly after the message was already
     * updated for the next real event: it gets the message as it stood after the previous event.
     */
    void addNeutral(final String event)
    {
        events.add(event.getBytes(StandardCharsets.UTF_8));
        prefixes.add(prefixes.get(prefixes.size() - 1));
    }

    /** Marks the stream complete from here on. */
    void terminal()
    {
        terminal = events.size();
    }

    /** Marks the stream complete from the first event after which every choice seen so far has finished. */
    void terminalWhenAllFinished()
    {
        for (int k = 0; k < prefixes.size(); k++)
        {
            final Message m = prefixes.get(k);
            if (StreamGenerator.allFinished(m))
            {
                terminal = k;
                return;
            }
        }
    }

    StreamGenerator.Generated build(final StreamGenerator generator)
    {
        return new StreamGenerator.Generated(generator, List.copyOf(events), List.copyOf(prefixes),
            terminal < 0 ? events.size() : terminal);
    }

    /** Text pieces that may split a surrogate pair (each half then travels as a {@code \\u} escape). */
    static List<String> pieces(final String s, final java.util.Random random, final boolean atLeastOne)
    {
        final List<String> out = OpenAiChatStreams.split(s, random);
        if (out.isEmpty() && atLeastOne)
        {
            out.add("");
        }
        return out;
    }
}
