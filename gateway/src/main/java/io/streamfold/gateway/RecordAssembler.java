package io.streamfold.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.Dialects;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.RawJson;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Fills a {@link GenAiRecord.Builder} with what a response said, once it is over: from the aggregator's
 * result for a streamed body, from the kept bytes for a JSON document or an HTTP error body. Everything it
 * puts in the builder is a copy (strings, lists), so the record owes nothing to the pooled tap.
 */
final class RecordAssembler
{
    private RecordAssembler()
    {
    }

    /**
     * An HTTP error (or informational) status: the body is kept as it came, no usage.
     *
     * @return {@link GatewayOutcome#UPSTREAM_HTTP_ERROR}.
     */
    static GatewayOutcome fromHttpError(
        final Format format, final byte[] body, final int length, final GenAiRecord.Builder b)
    {
        b.format = known(format);
        b.errorBody = new String(body, 0, Math.min(length, StreamTap.MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        return GatewayOutcome.UPSTREAM_HTTP_ERROR;
    }

    /**
     * No response at all (unreachable, reset or timed out before the head): nothing to detect from.
     *
     * @return {@link GatewayOutcome#TRUNCATED}.
     */
    static GatewayOutcome fromNothing(final Format format, final GenAiRecord.Builder b)
    {
        b.format = known(format);
        return GatewayOutcome.TRUNCATED;
    }

    /** @return how the folded stream ended, with the builder filled from its result. */
    static GatewayOutcome fromStream(final Aggregate a, final GenAiRecord.Builder b)
    {
        b.format = a.format();
        b.responseModel = metaText(a, "model", "modelVersion");
        b.responseId = metaText(a, "id", "responseId");
        final Usage u = a.usage();
        b.usageSource = usageSource(u);
        if (u.isPresent())
        {
            b.inputTokens = u.inputTokens();
            b.outputTokens = u.outputTokens();
            b.cacheReadInputTokens = u.cachedTokens();
            b.reasoningOutputTokens = u.reasoningTokens();
            b.cacheCreationInputTokens = u.cacheWriteTokens();
        }
        final List<String> reasons = new ArrayList<>();
        final List<String> normalized = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<String> serverNames = new ArrayList<>();
        long argumentBytes = 0;
        for (final Choice c : a.choices())
        {
            if (c.finishReason().length() > 0)
            {
                reasons.add(c.finishReason().toString());
                normalized.add(normalized(c.stopReason()));
            }
            for (final Part call : c.toolCalls())
            {
                if (call.serverExecuted())
                {
                    serverNames.add(call.name().toString());
                    continue;
                }
                names.add(call.name().toString());
                argumentBytes += utf8Length(call.text());
            }
        }
        b.finishReasons = reasons;
        b.normalizedFinishReasons = normalized;
        b.toolCallNames = names;
        b.toolCallCount = names.size();
        b.toolCallArgumentBytes = argumentBytes;
        b.serverToolCallNames = serverNames;
        b.errors = new ArrayList<>(a.errors());
        switch (a.outcome())
        {
            case COMPLETE:
                return GatewayOutcome.COMPLETE;
            case ERROR:
                return GatewayOutcome.PROVIDER_ERROR;
            default:
                return GatewayOutcome.TRUNCATED;
        }
    }

    /**
     * The aggregator's provenance, in the record's words. Reported usage is final or provisional as the
     * aggregator decides it ({@link Usage#source()}: a report that arrived with or after the response's end
     * is final, an earlier one, such as Anthropic's {@code message_start} placeholder, provisional), whatever
     * cut the connection afterwards. Without a report the usage is missing: {@code source()} is not asked,
     * since asking would estimate output tokens from the text, which the record does not carry.
     */
    static UsageSource usageSource(final Usage u)
    {
        if (!u.isPresent())
        {
            return UsageSource.MISSING;
        }
        return u.source() == Usage.Source.REPORTED ? UsageSource.FINAL : UsageSource.PROVISIONAL;
    }

    /**
     * A JSON document ({@code "stream": false}) read from the kept bytes. The aggregator has no rule for a
     * document (it folds streams), so provenance is decided here: a document is one report, final when it was
     * read whole, provisional when it was cut or too large to read and the numbers come from its beginning.
     *
     * @return how the document ended, with the builder filled from it.
     */
    static GatewayOutcome fromDocument(
        final Format format, final byte[] bytes, final int length, final boolean overflow, final int maxDocumentBytes,
        final GenAiRecord.Builder b)
    {
        b.format = known(format);
        final JsonDocumentAccount doc = JsonDocumentAccount.read(bytes, length);
        b.responseModel = doc.model;
        b.responseId = doc.id;
        b.inputTokens = doc.inputTokens();
        b.outputTokens = doc.outputTokens();
        b.cacheReadInputTokens = doc.cacheReadTokens();
        b.cacheCreationInputTokens = doc.cacheWriteTokens();
        b.reasoningOutputTokens = doc.reasoningTokens();
        b.finishReasons = doc.finishReasons;
        final List<String> normalized = new ArrayList<>();
        final StopReasonTable words = format == Format.AUTO ? null : Dialects.reporting(format).stopReasons;
        for (final String r : doc.finishReasons)
        {
            normalized.add(normalized(words == null ? StopReason.OTHER : words.map(r, !doc.toolNames.isEmpty())));
        }
        b.normalizedFinishReasons = normalized;
        b.toolCallNames = doc.toolNames;
        b.toolCallCount = doc.toolNames.size();
        b.toolCallArgumentBytes = doc.argumentBytes;
        final boolean reported = b.inputTokens >= 0 || b.outputTokens >= 0;
        final boolean whole = !overflow && doc.parsed;
        b.usageSource = !reported ? UsageSource.MISSING : whole ? UsageSource.FINAL : UsageSource.PROVISIONAL;
        if (overflow)
        {
            b.errors = List.of(new StreamError(ErrorKind.FRAME_TOO_LARGE, 0, maxDocumentBytes,
                "JSON response larger than " + maxDocumentBytes + " bytes was not read"));
            return GatewayOutcome.TRUNCATED;
        }
        if (!doc.parsed)
        {
            b.errors = List.of(new StreamError(ErrorKind.MALFORMED_JSON, 0, 0, "the JSON response is not a whole object"));
            return GatewayOutcome.TRUNCATED;
        }
        return doc.providerError ? GatewayOutcome.PROVIDER_ERROR : GatewayOutcome.COMPLETE;
    }

    /** @return the OpenTelemetry {@code gen_ai.provider.name} of a format. */
    static String providerName(final Format format)
    {
        if (format == null)
        {
            return "_OTHER";
        }
        switch (format)
        {
            case OPENAI_CHAT:
            case OPENAI_RESPONSES:
                return "openai";
            case ANTHROPIC:
                return "anthropic";
            case GEMINI:
                return "gcp.gemini";
            case BEDROCK:
                return "aws.bedrock";
            case OLLAMA:
                return "ollama";
            default:
                return "_OTHER";
        }
    }

    static long utf8Length(final CharSequence text)
    {
        long n = 0;
        for (int i = 0, len = text.length(); i < len; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                n++;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    /** A format the tap was built for, or null for AUTO when nothing was folded to detect it from. */
    private static Format known(final Format format)
    {
        return format == Format.AUTO ? null : format;
    }

    /** The normalized finish reason as the record writes it: the verdict vocabulary, lower case. */
    private static String normalized(final StopReason reason)
    {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static String metaText(final Aggregate a, final String... names)
    {
        for (final String n : names)
        {
            final RawJson v = a.meta().get(n);
            if (v != null && v.type() == RawJson.Type.STRING && v.text().length() > 0)
            {
                return v.text().toString();
            }
        }
        return null;
    }
}
