package io.streamfold.aggregator.internal.output;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableUsage;
import io.streamfold.aggregator.internal.fold.MutableVerdict;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Verdict;
import io.streamfold.parser.StreamError;

/**
 * The provider-independent view, for gateways that bill and log every provider the same way: text,
 * reasoning and tool calls (with their completeness) per choice, the verdict with its reason, finish reasons in
 * one vocabulary (each provider's words mapped in its own package), usage with its source as input / output /
 * total / cached / cache-write / reasoning tokens.
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
        final MutableVerdict verdict = a.verdict();
        g.writeObjectFieldStart("verdict");
        g.writeStringField("reason", lower(verdict.reason()));
        if (verdict.truncation() != Verdict.Truncation.NONE)
        {
            g.writeStringField("truncation", lower(verdict.truncation()));
        }
        if (verdict.providerReason().length() > 0)
        {
            g.writeStringField("provider_reason", verdict.providerReason().toString());
        }
        if (!verdict.detail().isEmpty())
        {
            g.writeStringField("detail", verdict.detail());
        }
        g.writeEndObject();
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
            // The calls the client must run and answer; the provider's own (a web search it ran) are listed apart, so that
            // a caller acting on tool_calls never runs what was already run.
            final List<MutablePart> calls = c.toolCallList();
            writeCalls(g, "tool_calls", calls, false, true);
            writeCalls(g, "server_tool_calls", calls, true, false);
            writeUnknownDeltas(g, c);
            if (c.finishReason().length() > 0)
            {
                g.writeStringField("finish_reason", finishWord(c.stopReason()));
                g.writeStringField("provider_finish_reason", c.finishReason().toString());
                g.writeStringField("stop_reason", lower(c.stopReason()));
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
        g.writeStringField("source", lower(u.source()));
        if (u.estimateMethod() != null)
        {
            g.writeStringField("estimate_method", u.estimateMethod());
        }
        // The counts below are the sum over the provider's sampling steps (Anthropic usage.iterations), or, when its
        // list could not be summed, the top level's: either way the reader is told which.
        if (u.summedIterations() > 0)
        {
            g.writeNumberField("summed_iterations", u.summedIterations());
        }
        else if (u.iterationsProblem() != null)
        {
            g.writeStringField("iterations_not_summed", u.iterationsProblem());
        }
        writeCount(g, "input_tokens", u.inputTokens());
        writeCount(g, "output_tokens", u.outputTokens());
        writeCount(g, "total_tokens", u.totalTokens());
        writeCount(g, "cached_tokens", u.cachedTokens());
        writeCount(g, "cache_write_tokens", u.cacheWriteTokens());
        // A split that a later count left behind is written as unknown rather than left out: it was sent, and is stale.
        if (u.cacheWrite5mTokens() >= 0 || u.cacheWrite1hTokens() >= 0 || u.splitStale())
        {
            writeCount(g, "cache_write_5m_tokens", u.cacheWrite5mTokens());
            writeCount(g, "cache_write_1h_tokens", u.cacheWrite1hTokens());
        }
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
     * Content that streamed in delta types the dialect does not interpret (Anthropic compaction summaries among
     * them) has no place in text, reasoning or tool calls, but a gateway that audits must see that it came: one
     * entry per part that got any, with what was folded. Written only when there is one.
     */
    private static void writeUnknownDeltas(final JsonGenerator g, final MutableChoice c) throws IOException
    {
        boolean open = false;
        for (final MutablePart p : c.partList())
        {
            if (!p.hasDeltas())
            {
                continue;
            }
            if (!open)
            {
                g.writeArrayFieldStart("unknown_deltas");
                open = true;
            }
            g.writeStartObject();
            g.writeNumberField("index", p.wireIndex());
            g.writeStringField("type", p.type().toString());
            g.writeObjectFieldStart("fields");
            p.deltas().write(g);
            g.writeEndObject();
            g.writeEndObject();
        }
        if (open)
        {
            g.writeEndArray();
        }
    }

    /**
     * Writes the calls run by the provider ({@code server}) or by the client under {@code field}: always for the
     * client's list, only when there are some for the provider's.
     */
    private static void writeCalls(final JsonGenerator g, final String field, final List<MutablePart> calls, final boolean server,
        final boolean always) throws IOException
    {
        boolean open = false;
        if (always)
        {
            g.writeArrayFieldStart(field);
            open = true;
        }
        for (final MutablePart p : calls)
        {
            if (p.serverExecuted() != server)
            {
                continue;
            }
            if (!open)
            {
                g.writeArrayFieldStart(field);
                open = true;
            }
            g.writeStartObject();
            g.writeStringField("id", p.id().toString());
            g.writeStringField("name", p.name().toString());
            g.writeStringField("arguments", p.text().toString());
            g.writeBooleanField("complete", p.isComplete());
            if (!p.isComplete())
            {
                g.writeStringField("incomplete_reason", p.incompleteReason());
            }
            g.writeEndObject();
        }
        if (open)
        {
            g.writeEndArray();
        }
    }

    /** @return the finish reason's old string form: stop, length, tool_calls, content_filter, error or other. */
    private static String finishWord(final StopReason reason)
    {
        switch (reason)
        {
            case COMPLETE:
                return "stop";
            case LENGTH:
                return "length";
            case TOOL_CALLS:
                return "tool_calls";
            case CONTENT_FILTER:
                return "content_filter";
            case PROVIDER_ERROR:
                return "error";
            default:
                return "other";
        }
    }

    private static String lower(final Enum<?> e)
    {
        return e.name().toLowerCase(Locale.ROOT);
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
