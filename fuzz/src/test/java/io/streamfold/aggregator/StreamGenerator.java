package io.streamfold.aggregator;

import java.util.List;

import net.jqwik.api.Arbitrary;

/**
 * Valid streams of one format with the message each must fold to. One implementation per format:
 * adding a format to the properties is adding one class to {@link StreamProperties#GENERATORS}.
 */
interface StreamGenerator
{
    /** @return the format generated. */
    Format format();

    /** @return complete, valid streams. */
    Arbitrary<Generated> streams();

    /** @return one whole event (framing and terminator included) whose payload this format's dialect must reject. */
    Arbitrary<byte[]> garbageEvent();

    /**
     * A generated stream: its events in order (each with its framing and terminator, the terminal event
     * last when the format has one) and the message they fold to.
     */
    record Generated(Format format, List<byte[]> events, Message expected)
    {
        byte[] bytes()
        {
            return StreamProperties.concat(events);
        }

        @Override
        public String toString()
        {
            return format + " " + new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
