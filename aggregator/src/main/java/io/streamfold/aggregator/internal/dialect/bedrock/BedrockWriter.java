package io.streamfold.aggregator.internal.dialect.bedrock;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonText;
import io.streamfold.aggregator.internal.output.ProviderFields;

/** Writes the non-streaming Converse response from the folded model. */
final class BedrockWriter
{
    private BedrockWriter()
    {
    }

    static void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        final MutableChoice choice = result.choice(0);
        g.writeStartObject();
        g.writeObjectFieldStart("output");
        g.writeObjectFieldStart("message");
        g.writeStringField("role", choice != null && choice.role().length() > 0 ? choice.role().toString() : "assistant");
        g.writeArrayFieldStart("content");
        if (choice != null)
        {
            for (final MutablePart p : blocksInOrder(choice))
            {
                writeBlock(g, p);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        if (choice != null && choice.finishReason().length() > 0)
        {
            g.writeStringField("stopReason", choice.finishReason().toString());
        }
        else
        {
            g.writeNullField("stopReason");
        }
        ProviderFields.usage(result, "usage", g);
        result.meta().writeFields(g);
        ProviderFields.providerError(result, "error", g);
        g.writeEndObject();
    }

    /** The Converse content array is indexed by contentBlockIndex; blocks sharing an index keep arrival order. */
    private static List<MutablePart> blocksInOrder(final MutableChoice choice)
    {
        final List<MutablePart> parts = new ArrayList<>(choice.partList());
        parts.sort((a, b) -> Long.compare(a.wireIndex(), b.wireIndex()));
        return parts;
    }

    private static void writeBlock(final JsonGenerator g, final MutablePart p) throws IOException
    {
        switch (p.kind())
        {
            case TEXT:
                g.writeStartObject();
                if (p.annotations().count() > 0)
                {
                    g.writeObjectFieldStart("citationsContent");
                    g.writeArrayFieldStart("content");
                    g.writeStartObject();
                    g.writeFieldName("text");
                    g.writeString(p.text().array(), 0, p.text().length());
                    g.writeEndObject();
                    g.writeEndArray();
                    g.writeFieldName("citations");
                    p.annotations().write(g);
                    g.writeEndObject();
                }
                else
                {
                    g.writeFieldName("text");
                    g.writeString(p.text().array(), 0, p.text().length());
                }
                g.writeEndObject();
                break;
            case REASONING:
                g.writeStartObject();
                g.writeObjectFieldStart("reasoningContent");
                g.writeObjectFieldStart("reasoningText");
                g.writeFieldName("text");
                g.writeString(p.text().array(), 0, p.text().length());
                if (p.signature().isPresent())
                {
                    g.writeFieldName("signature");
                    g.writeString(p.signature().array(), 0, p.signature().length());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                break;
            case TOOL_CALL:
                g.writeStartObject();
                g.writeObjectFieldStart(BedrockDialect.TOOL_USE);
                g.writeStringField("toolUseId", p.id().toString());
                g.writeStringField("name", p.name().toString());
                if (p.type().length() > 0 && !p.type().contentEquals(BedrockDialect.TOOL_USE))
                {
                    g.writeStringField("type", p.type().toString());
                }
                p.extra().writeFields(g);
                g.writeFieldName("input");
                writeInput(g, p.text());
                g.writeEndObject();
                g.writeEndObject();
                break;
            default:
                if (ContentBlocks.isMemberBlock(p.type()))
                {
                    writeMemberBlock(g, p);
                    break;
                }
                if (p.type().contentEquals(BedrockDialect.REDACTED))
                {
                    g.writeStartObject();
                    g.writeObjectFieldStart("reasoningContent");
                    g.writeFieldName(BedrockDialect.REDACTED);
                    g.writeString(p.text().array(), 0, p.text().length());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                for (int i = 0; i < p.extra().size(); i++)
                {
                    if (foldedOver(p, i))
                    {
                        continue;
                    }
                    g.writeStartObject();
                    g.writeFieldName(p.extra().name(i));
                    p.extra().value(i).write(g);
                    g.writeEndObject();
                }
                for (int i = 0; p.hasDeltas() && i < p.deltas().size(); i++)
                {
                    g.writeStartObject();
                    p.deltas().writeField(g, i);
                    g.writeEndObject();
                }
        }
    }

    /** @return true when the deltas folded a field of the start's field {@code i}'s name: theirs is written instead. */
    private static boolean foldedOver(final MutablePart p, final int i)
    {
        return p.hasDeltas() && p.deltas().has(p.extra().name(i));
    }

    /**
     * A {@code toolResult} or {@code image} block: one object under its member's name, the start's fields then what the
     * deltas folded. A tool result always has its {@code content} (required in a {@code ToolResultBlock}), empty when
     * no delta came.
     */
    private static void writeMemberBlock(final JsonGenerator g, final MutablePart p) throws IOException
    {
        g.writeStartObject();
        g.writeObjectFieldStart(p.type().toString());
        for (int i = 0; i < p.extra().size(); i++)
        {
            if (!foldedOver(p, i))
            {
                g.writeFieldName(p.extra().name(i));
                p.extra().value(i).write(g);
            }
        }
        for (int i = 0; p.hasDeltas() && i < p.deltas().size(); i++)
        {
            p.deltas().writeField(g, i);
        }
        if (p.type().contentEquals(BedrockDialect.TOOL_RESULT) && !p.extra().has(BedrockDialect.CONTENT) &&
            !(p.hasDeltas() && p.deltas().has(BedrockDialect.CONTENT)))
        {
            g.writeArrayFieldStart(BedrockDialect.CONTENT);
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The input arrives as JSON text in fragments; the response carries it parsed. No fragments means an
     * empty object; text that is not one JSON value (a cut stream) is written as a string, never as broken JSON.
     */
    private static void writeInput(final JsonGenerator g, final MutableTextBuffer input) throws IOException
    {
        if (input.length() == 0)
        {
            g.writeStartObject();
            g.writeEndObject();
        }
        else
        {
            JsonText.write(g, input);
        }
    }
}
