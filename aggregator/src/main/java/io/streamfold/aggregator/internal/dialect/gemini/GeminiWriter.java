package io.streamfold.aggregator.internal.dialect.gemini;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.json.JsonText;
import io.streamfold.aggregator.internal.output.ProviderFields;

/** Writes one non-streaming GenerateContentResponse from the folded model. */
final class GeminiWriter
{
    private GeminiWriter()
    {
    }

    /**
     * @param blockedChoice the prompt was blocked ({@code promptFeedback.blockReason}): the decoder opened
     *                      choice 0 only to carry that reason, so it is left out of the candidates while it
     *                      holds no parts.
     */
    static void write(final MutableAggregate result, final boolean blockedChoice, final JsonGenerator g) throws IOException
    {
        g.writeStartObject();
        boolean any = false;
        for (final MutableChoice c : result.sortedChoices())
        {
            if (blockedChoice && c.index() == 0 && c.partCount() == 0)
            {
                continue;
            }
            if (!any)
            {
                g.writeArrayFieldStart("candidates");
                any = true;
            }
            writeCandidate(g, c);
        }
        if (any)
        {
            g.writeEndArray();
        }
        result.meta().writeFields(g);
        ProviderFields.usage(result, "usageMetadata", g);
        ProviderFields.providerError(result, "error", g);
        g.writeEndObject();
    }

    private static void writeCandidate(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        g.writeStartObject();
        if (c.partCount() > 0 || c.role().length() > 0)
        {
            g.writeObjectFieldStart("content");
            g.writeStringField("role", c.role().length() > 0 ? c.role().toString() : "model");
            g.writeArrayFieldStart("parts");
            for (final MutablePart p : c.partList())
            {
                writePart(g, p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        if (c.finishReason().length() > 0)
        {
            g.writeStringField("finishReason", c.finishReason().toString());
        }
        final String citations = c.messageExtra().json(GeminiDialect.CITATION_SOURCES);
        if (citations != null)
        {
            g.writeObjectFieldStart("citationMetadata");
            g.writeFieldName(GeminiDialect.CITATION_SOURCES);
            g.writeRawValue(citations);
            g.writeEndObject();
        }
        c.extra().writeFields(g, "index");
        g.writeNumberField("index", c.index());
        g.writeEndObject();
    }

    private static void writePart(final JsonGenerator g, final MutablePart p) throws IOException
    {
        g.writeStartObject();
        switch (p.kind())
        {
            case TOOL_CALL:
                if (ContentParts.EXECUTABLE_CODE.contentEquals(p.type()))
                {
                    // A code execution call: its executableCode object is among the part's fields, as sent.
                    break;
                }
                g.writeObjectFieldStart("functionCall");
                if (p.id().length() > 0)
                {
                    g.writeStringField("id", p.id().toString());
                }
                g.writeStringField("name", p.name().toString());
                JsonText.writeField(g, "args", p.text());
                g.writeEndObject();
                break;
            case OTHER:
                break;
            default:
                g.writeFieldName("text");
                g.writeString(p.text().array(), 0, p.text().length());
                if (p.kind() == MutablePart.Kind.REASONING)
                {
                    g.writeBooleanField("thought", true);
                }
        }
        p.extra().writeFields(g);
        if (p.signature().length() > 0)
        {
            g.writeStringField("thoughtSignature", p.signature().toString());
        }
        g.writeEndObject();
    }
}
