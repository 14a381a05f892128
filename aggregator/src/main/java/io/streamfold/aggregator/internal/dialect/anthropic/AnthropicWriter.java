package io.streamfold.aggregator.internal.dialect.anthropic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.output.ProviderFields;

/** Writes the non-streaming Messages API message object from the folded model. */
final class AnthropicWriter
{
    private AnthropicWriter()
    {
    }

    static void write(final MutableAggregate result, final JsonGenerator g, final AnthropicDialect dialect) throws IOException
    {
        final MutableRawFields meta = result.meta();
        final MutableChoice choice = result.choice(0);
        g.writeStartObject();
        meta.writeFieldOr(g, "id", "", true);
        g.writeStringField("type", "message");
        g.writeStringField("role", choice != null && choice.role().length() > 0 ? choice.role().toString() : "assistant");
        meta.writeFieldOr(g, "model", "", true);
        g.writeArrayFieldStart("content");
        if (choice != null)
        {
            for (final MutablePart p : blocksInIndexOrder(choice))
            {
                writeBlock(g, p, dialect);
            }
        }
        g.writeEndArray();
        if (choice != null && choice.finishReason().length() > 0)
        {
            g.writeStringField("stop_reason", choice.finishReason().toString());
        }
        else
        {
            meta.writeFieldOr(g, "stop_reason", null, true);
        }
        meta.writeFieldOr(g, "stop_sequence", null, true);
        meta.writeFields(g, "id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");
        ProviderFields.usage(result, "usage", g);
        ProviderFields.providerError(result, "error", g);
        g.writeEndObject();
    }

    private static List<MutablePart> blocksInIndexOrder(final MutableChoice choice)
    {
        final List<MutablePart> blocks = new ArrayList<>(choice.partList());
        // Stable: blocks sharing an index (a gateway reusing one) keep their arrival order.
        blocks.sort((a, b) -> Long.compare(a.wireIndex(), b.wireIndex()));
        return blocks;
    }

    private static void writeBlock(final JsonGenerator g, final MutablePart p, final AnthropicDialect dialect) throws IOException
    {
        g.writeStartObject();
        switch (p.kind())
        {
            case TEXT:
                g.writeStringField("type", p.type().length() > 0 ? p.type().toString() : "text");
                g.writeFieldName("text");
                g.writeString(p.text().array(), 0, p.text().length());
                if (p.annotations().isPresent())
                {
                    g.writeFieldName("citations");
                    p.annotations().write(g);
                }
                p.writeExtra(g, "type", "text", "citations");
                break;
            case REASONING:
                g.writeStringField("type", p.type().length() > 0 ? p.type().toString() : "thinking");
                g.writeFieldName("thinking");
                g.writeString(p.text().array(), 0, p.text().length());
                g.writeFieldName("signature");
                g.writeString(p.signature().array(), 0, p.signature().length());
                p.writeExtra(g, "type", "thinking", "signature");
                break;
            case TOOL_CALL:
                g.writeStringField("type", p.type().length() > 0 ? p.type().toString() : "tool_use");
                g.writeStringField("id", p.id().toString());
                g.writeStringField("name", p.name().toString());
                g.writeFieldName("input");
                writeInput(g, p, dialect);
                p.writeExtra(g, "type", "id", "name", "input");
                break;
            default:
                if (p.extra().get("type") == null && p.type().length() > 0)
                {
                    g.writeStringField("type", p.type().toString());
                }
                p.writeExtra(g);
        }
        g.writeEndObject();
    }

    private static void writeInput(final JsonGenerator g, final MutablePart call, final AnthropicDialect dialect) throws IOException
    {
        final int state = dialect.inputState(call);
        if (state == AnthropicDialect.INPUT_VALID)
        {
            g.writeRawValue(call.text().array(), 0, call.text().length());
            return;
        }
        final MutableRawJson initial = call.extra().get("input");
        if (state == AnthropicDialect.INPUT_NONE && initial != null && !initial.isNullish())
        {
            initial.write(g);
            return;
        }
        if (state == AnthropicDialect.INPUT_INVALID)
        {
            // Cut or broken input stays as the provider streamed it, as a string: an empty object would pass for
            // a complete call. The part is marked incomplete.
            g.writeString(call.text().array(), 0, call.text().length());
            return;
        }
        g.writeStartObject();
        g.writeEndObject();
    }
}
