package io.streamfold.aggregator.internal.output;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableUsage;
import io.streamfold.parser.StreamError;

/**
 * The provider-independent view, for gateways that bill and log every provider the same way: text,
 * reasoning and tool calls per choice, finish reasons in one vocabulary ({@code stop}, {@code length},
 * {@code tool_calls}, {@code content_filter}, {@code error}, {@code other}), usage as input / output /
 * total / cached / reasoning tokens.
 */
public final class NormalizedWriter
{
    private NormalizedWriter()
    {
    }

    public static void write(final MutableAggregate a, final JsonGenerator g) throws IOException
    {
        g.writeStartObject();
        g.writeStringField("format", a.format() == null ? "unknown" : a.format().cliName());
        g.writeStringField("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
        g.writeBooleanField("terminal_event_seen", a.terminalEventSeen());
        writeFirst(g, "id", a.meta(), "id", "responseId");
        writeFirst(g, "model", a.meta(), "model", "modelVersion");
        g.writeArrayFieldStart("choices");
        for (final MutableChoice c : a.sortedChoices())
        {
            g.writeStartObject();
            g.writeNumberField("index", c.index());
            g.writeStringField("text", c.joined(MutablePart.Kind.TEXT));
            if (c.has(MutablePart.Kind.REASONING))
            {
                g.writeStringField("reasoning", c.joined(MutablePart.Kind.REASONING));
            }
            if (c.has(MutablePart.Kind.REFUSAL))
            {
                g.writeStringField("refusal", c.joined(MutablePart.Kind.REFUSAL));
            }
            g.writeArrayFieldStart("tool_calls");
            for (final MutablePart p : c.toolCallList())
            {
                g.writeStartObject();
                g.writeStringField("id", p.id().toString());
                g.writeStringField("name", p.name().toString());
                g.writeStringField("arguments", p.text().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (c.finishReason().length() > 0)
            {
                g.writeStringField("finish_reason", finishReason(c.finishReason().toString(), !c.toolCallList().isEmpty()));
                g.writeStringField("provider_finish_reason", c.finishReason().toString());
            }
            else
            {
                g.writeNullField("finish_reason");
            }
            c.writeTokenIds(g);
            g.writeEndObject();
        }
        g.writeEndArray();
        final MutableUsage u = a.usage();
        g.writeObjectFieldStart("usage");
        writeCount(g, "input_tokens", u.inputTokens());
        writeCount(g, "output_tokens", u.outputTokens());
        writeCount(g, "total_tokens", u.totalTokens());
        writeCount(g, "cached_tokens", u.cachedTokens());
        writeCount(g, "reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        if (!a.providerError().isNullish())
        {
            g.writeFieldName("provider_error");
            a.providerError().write(g);
        }
        g.writeArrayFieldStart("errors");
        for (final StreamError e : a.errors())
        {
            g.writeStartObject();
            g.writeStringField("kind", e.kind().name());
            g.writeNumberField("event", e.eventNumber());
            g.writeNumberField("offset", e.byteOffset());
            g.writeStringField("message", e.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Maps a provider's finish reason to the shared vocabulary.
     *
     * @param reason      the provider's reason.
     * @param hasToolCall true when the choice ended with tool calls (Gemini and Ollama say STOP then).
     * @return one of stop, length, tool_calls, content_filter, error, other.
     */
    public static String finishReason(final String reason, final boolean hasToolCall)
    {
        final String r = reason.toLowerCase(Locale.ROOT);
        switch (r)
        {
            case "end_turn":
            case "stop_sequence":
                // Anthropic says tool_use when the client must act; server tool calls end with end_turn.
                return "stop";
            case "stop":
            case "eos":
            case "completed":
            case "finish_reason_unspecified":
                return hasToolCall ? "tool_calls" : "stop";
            case "length":
            case "max_tokens":
            case "max_output_tokens":
            case "model_context_window_exceeded":
                return "length";
            case "tool_calls":
            case "tool_use":
            case "function_call":
                return "tool_calls";
            case "content_filter":
            case "content_filtered":
            case "refusal":
            case "safety":
            case "recitation":
            case "blocklist":
            case "prohibited_content":
            case "spii":
            case "image_safety":
            case "image_prohibited_content":
            case "image_recitation":
            case "guardrail_intervened":
                return "content_filter";
            case "error":
            case "malformed_function_call":
            case "unexpected_tool_call":
            case "too_many_tool_calls":
            case "missing_thought_signature":
            case "malformed_response":
            case "failed":
            case "malformed_model_output":
            case "malformed_tool_use":
                return "error";
            default:
                return "other";
        }
    }

    private static void writeFirst(final JsonGenerator g, final String field, final MutableRawFields meta, final String... names)
        throws IOException
    {
        for (final String n : names)
        {
            final MutableRawJson v = meta.get(n);
            if (v != null && v.type() == MutableRawJson.Type.STRING && v.text().length() > 0)
            {
                g.writeStringField(field, v.text().toString());
                return;
            }
        }
        g.writeNullField(field);
    }

    private static void writeCount(final JsonGenerator g, final String field, final long value) throws IOException
    {
        if (value >= 0)
        {
            g.writeNumberField(field, value);
        }
        else
        {
            g.writeNullField(field);
        }
    }
}
