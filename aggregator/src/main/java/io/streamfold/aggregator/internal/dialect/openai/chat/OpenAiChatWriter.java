package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.output.ProviderFields;

/** Writes the non-streaming chat.completion object from the folded model. */
final class OpenAiChatWriter
{
    private OpenAiChatWriter()
    {
    }

    /**
     * @param xGroq       Groq's {@code x_groq} object, merged over the stream, written back at the top level when present.
     * @param completions the stream was a legacy {@code /v1/completions} one: written as its {@code text_completion}.
     */
    static void write(final MutableAggregate result, final MutableRawFields xGroq, final boolean completions,
        final JsonGenerator g) throws IOException
    {
        final MutableRawFields meta = result.meta();
        g.writeStartObject();
        meta.writeFieldOr(g, "id", "", false);
        g.writeStringField("object", completions ? "text_completion" : "chat.completion");
        meta.writeFieldOr(g, "created", null, false);
        meta.writeFieldOr(g, "model", "", false);
        meta.writeFields(g, "id", "created", "model");
        g.writeArrayFieldStart("choices");
        for (final MutableChoice c : result.sortedChoices())
        {
            if (completions)
            {
                writeCompletionChoice(g, c);
            }
            else
            {
                writeChoice(g, c);
            }
        }
        g.writeEndArray();
        ProviderFields.usage(result, "usage", g);
        if (xGroq.size() > 0)
        {
            g.writeObjectFieldStart("x_groq");
            xGroq.writeFields(g);
            g.writeEndObject();
        }
        ProviderFields.providerError(result, "error", g);
        g.writeEndObject();
    }

    /** A legacy completion's choice: its text, index, logprobs (the token arrays, joined over the chunks), finish reason. */
    private static void writeCompletionChoice(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        g.writeStartObject();
        g.writeStringField("text", c.joined(MutablePart.Kind.TEXT));
        g.writeNumberField("index", c.index());
        g.writeFieldName("logprobs");
        if (c.logprobsExtra().size() > 0)
        {
            g.writeStartObject();
            c.logprobsExtra().write(g);
            g.writeEndObject();
        }
        else
        {
            g.writeNull();
        }
        writeChoiceEnd(g, c);
    }

    private static void writeChoice(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        g.writeStartObject();
        g.writeNumberField("index", c.index());
        g.writeObjectFieldStart("message");
        g.writeStringField("role", c.role().length() > 0 ? c.role().toString() : "assistant");
        if (c.hasTypedContent())
        {
            writeTypedContent(g, c);
        }
        else
        {
            writeJoinedOrNull(g, "content", c, MutablePart.Kind.TEXT);
        }
        writeJoinedOrNull(g, "refusal", c, MutablePart.Kind.REFUSAL);
        if (c.has(MutablePart.Kind.REASONING) && !c.hasTypedContent())
        {
            String field = "reasoning_content";
            for (final MutablePart p : c.partList())
            {
                if (p.kind() == MutablePart.Kind.REASONING && p.type().length() > 0)
                {
                    field = p.type().toString();
                    break;
                }
            }
            g.writeStringField(field, c.joined(MutablePart.Kind.REASONING));
        }
        final List<MutablePart> calls = c.toolCallList();
        MutablePart legacy = null;
        boolean anyTool = false;
        for (final MutablePart p : calls)
        {
            if (OpenAiChatDialect.LEGACY_FUNCTION_CALL.contentEquals(p.type()))
            {
                legacy = p;
            }
            else
            {
                anyTool = true;
            }
        }
        if (anyTool)
        {
            g.writeArrayFieldStart("tool_calls");
            for (final MutablePart p : calls)
            {
                if (p == legacy)
                {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("id", p.id().toString());
                g.writeStringField("type", p.type().toString());
                g.writeObjectFieldStart("function");
                g.writeStringField("name", p.name().toString());
                g.writeFieldName("arguments");
                g.writeString(p.text().array(), 0, p.text().length());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (legacy != null)
        {
            g.writeObjectFieldStart("function_call");
            g.writeStringField("name", legacy.name().toString());
            g.writeFieldName("arguments");
            g.writeString(legacy.text().array(), 0, legacy.text().length());
            g.writeEndObject();
        }
        c.messageExtra().write(g);
        g.writeEndObject();

        g.writeFieldName("logprobs");
        if (c.hasLogprobs())
        {
            g.writeStartObject();
            g.writeFieldName("content");
            writeListOrNull(g, c.contentLogprobs());
            g.writeFieldName("refusal");
            writeListOrNull(g, c.refusalLogprobs());
            c.logprobsExtra().write(g);
            g.writeEndObject();
        }
        else
        {
            g.writeNull();
        }
        writeChoiceEnd(g, c);
    }

    /**
     * The content of a message whose deltas sent it as typed parts (Mistral's reasoning models), as its complete response
     * holds it: the list of text and thinking chunks in the order they came, each run of one kind one chunk, a thinking
     * chunk holding its text as one text chunk of its own; empty runs are left out; a part of another type as sent.
     */
    private static void writeTypedContent(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        g.writeArrayFieldStart("content");
        for (final MutablePart p : c.partList())
        {
            if (p.kind() == MutablePart.Kind.OTHER)
            {
                // A part of another type (a reference chunk), kept whole.
                g.writeStartObject();
                g.writeStringField("type", p.type().toString());
                p.extra().writeFields(g, "type");
                g.writeEndObject();
                continue;
            }
            if (p.text().length() == 0)
            {
                // The empty string a stream opens with ("content": "") is no chunk of the answer.
                continue;
            }
            if (p.kind() == MutablePart.Kind.TEXT)
            {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeFieldName("text");
                g.writeString(p.text().array(), 0, p.text().length());
                g.writeEndObject();
            }
            else if (p.kind() == MutablePart.Kind.REASONING)
            {
                g.writeStartObject();
                g.writeStringField("type", "thinking");
                g.writeArrayFieldStart("thinking");
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeFieldName("text");
                g.writeString(p.text().array(), 0, p.text().length());
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    /** A choice's last members, in either shape: its finish reason, token ids, other fields; then it closes. */
    private static void writeChoiceEnd(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        if (c.finishReason().length() > 0)
        {
            g.writeStringField("finish_reason", c.finishReason().toString());
        }
        else
        {
            g.writeNullField("finish_reason");
        }
        c.writeTokenIds(g);
        c.extra().writeFields(g);
        g.writeEndObject();
    }

    private static void writeListOrNull(final JsonGenerator g, final MutableRawList list) throws IOException
    {
        if (list.isPresent())
        {
            list.write(g);
        }
        else
        {
            g.writeNull();
        }
    }

    private static void writeJoinedOrNull(final JsonGenerator g, final String field, final MutableChoice c, final MutablePart.Kind kind)
        throws IOException
    {
        if (c.has(kind))
        {
            g.writeStringField(field, c.joined(kind));
        }
        else
        {
            g.writeNullField(field);
        }
    }
}
