package io.streamfold.aggregator.internal.dialect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.Frame;

/**
 * AWS eventstream exception and error messages ({@code :message-type exception} or {@code error}: throttling, a model
 * stream error, a validation error), which end a Bedrock stream whatever model events it carried: ConverseStream's
 * ({@code BedrockDialect}) and an invoke stream's Claude events ({@code AnthropicDialect}) alike.
 */
public final class EventStreamExceptions
{
    /** Writes the provider error kept for an exception message; error path only. */
    private static final JsonFactory ERROR_FACTORY = new JsonFactory();

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final JsonReader json;
    private final MutableRawJson scratch = new MutableRawJson();

    /** @param json the dialect's reader, free between its events. */
    public EventStreamExceptions(final MutableAggregate aggregate, final AggregationLimits limits, final JsonReader json)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.json = json;
    }

    /** @return whether {@code frame} is an eventstream exception or error message rather than an event. */
    public static boolean is(final Frame frame)
    {
        // Events are nearly every message: one header lookup says so before the two rare kinds are asked for.
        return !frame.headerEquals(":message-type", "event") &&
            (frame.headerEquals(":message-type", "error") || frame.headerEquals(":message-type", "exception"));
    }

    /**
     * Keeps the exception {@code frame} as {@code {"type": <exception type or error code>, "message": ...,
     * <payload fields>}} and ends the stream: an eventstream exception is the stream's last message. Rare, so it may
     * allocate.
     */
    public void keep(final Frame frame)
    {
        final boolean error = frame.headerEquals(":message-type", "error");
        aggregate.start();
        String type = frame.type();
        if (type.isEmpty())
        {
            type = error ? "error" : "exception";
        }
        String message = frame.stringHeader(":error-message");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ERROR_FACTORY.createGenerator(out))
        {
            g.writeStartObject();
            g.writeStringField("type", type);
            boolean messageWritten = false;
            if (frame.length() > 0)
            {
                try
                {
                    if (json.begin(frame.buffer(), frame.offset(), frame.length()) == JsonToken.START_OBJECT)
                    {
                        while (json.next() == JsonToken.FIELD_NAME)
                        {
                            final String name = json.name();
                            json.next();
                            if ("type".equals(name) || "p".equals(name))
                            {
                                json.skip();
                                continue;
                            }
                            if (!json.capture(scratch))
                            {
                                continue;
                            }
                            if ("message".equals(name) || "Message".equals(name))
                            {
                                if (messageWritten)
                                {
                                    continue;
                                }
                                messageWritten = true;
                                message = scratch.type() == MutableRawJson.Type.STRING ? scratch.text().toString() : scratch.json();
                                g.writeFieldName("message");
                            }
                            else
                            {
                                g.writeFieldName(name);
                            }
                            scratch.write(g);
                        }
                        json.finish();
                    }
                    else
                    {
                        json.abandon();
                        throw new JsonReader.BadPayload("not an object");
                    }
                }
                catch (final JsonReader.BadPayload e)
                {
                    if (!messageWritten)
                    {
                        message = frame.payloadAsString();
                    }
                }
            }
            if (!messageWritten && message != null)
            {
                g.writeStringField("message", message);
            }
            g.writeEndObject();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("writing to memory failed", e);
        }
        final byte[] bytes = out.toByteArray();
        final MutableRawJson slot = aggregate.providerErrorSlot();
        if (!slot.setStructured(bytes, 0, bytes.length, limits.maxRawBytes()))
        {
            slot.setStructured(new byte[]{'{', '}'}, 0, 2, Integer.MAX_VALUE);
        }
        aggregate.providerErrorReported("provider error: " + type + (message == null ? "" : ": " + Dialect.abbreviate(message)));
        aggregate.end(Outcome.ERROR);
    }

}
