package io.streamfold.aggregator.internal.dialect.ollama;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.json.JsonText;
import io.streamfold.aggregator.internal.output.ProviderFields;

/** Ollama's non-streaming response object: {@code /api/chat}'s, or {@code /api/generate}'s for a generate stream. */
final class OllamaWriter
{
    private OllamaWriter()
    {
    }

    static void write(final MutableAggregate result, final boolean generate, final JsonGenerator g) throws IOException
    {
        final MutableRawFields meta = result.meta();
        final MutableChoice c = result.choice(0);
        g.writeStartObject();
        meta.writeField(g, "model");
        meta.writeField(g, "created_at");
        if (generate)
        {
            g.writeStringField("response", c == null ? "" : c.joined(MutablePart.Kind.TEXT));
            if (c != null && c.has(MutablePart.Kind.REASONING))
            {
                g.writeStringField("thinking", c.joined(MutablePart.Kind.REASONING));
            }
        }
        else
        {
            g.writeObjectFieldStart("message");
            g.writeStringField("role", c != null && c.role().length() > 0 ? c.role().toString() : "assistant");
            g.writeStringField("content", c == null ? "" : c.joined(MutablePart.Kind.TEXT));
            if (c != null && c.has(MutablePart.Kind.REASONING))
            {
                g.writeStringField("thinking", c.joined(MutablePart.Kind.REASONING));
            }
            if (c != null && c.has(MutablePart.Kind.TOOL_CALL))
            {
                g.writeArrayFieldStart("tool_calls");
                for (final MutablePart p : c.toolCallList())
                {
                    g.writeStartObject();
                    if (p.id().length() > 0)
                    {
                        g.writeStringField("id", p.id().toString());
                    }
                    p.extra().writeFields(g);
                    g.writeObjectFieldStart("function");
                    if (p.wireIndex() >= 0)
                    {
                        g.writeNumberField("index", p.wireIndex());
                    }
                    g.writeStringField("name", p.name().toString());
                    JsonText.writeField(g, "arguments", p.text());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (c != null)
            {
                c.messageExtra().write(g);
            }
            g.writeEndObject();
        }
        g.writeBooleanField("done", result.outcome() == Outcome.COMPLETE);
        if (c != null && c.finishReason().length() > 0)
        {
            g.writeStringField("done_reason", c.finishReason().toString());
        }
        meta.writeFields(g, "model", "created_at");
        result.usage().fields().writeFields(g);
        ProviderFields.providerError(result, "error", g);
        g.writeEndObject();
    }
}
