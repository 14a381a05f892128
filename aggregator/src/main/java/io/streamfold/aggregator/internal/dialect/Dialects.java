package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicDialect;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicHints;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicReporting;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialect;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockHints;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockReporting;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiDialect;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiHints;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiReporting;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaDialect;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaHints;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaReporting;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatDialect;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatHints;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatReporting;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesDialect;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesHints;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesReporting;
import io.streamfold.aggregator.internal.fold.MutableAggregate;

/** The one place that lists the providers: each format's dialect and the markers AUTO recognises it by. */
public final class Dialects
{
    /** Creates a provider's decoder for one stream. */
    @FunctionalInterface
    interface Factory
    {
        Dialect create(MutableAggregate aggregate, AggregationLimits limits);
    }

    private static final class Entry
    {
        final FormatHints hints;
        final Reporting reporting;
        final Factory factory;

        Entry(final FormatHints hints, final Reporting reporting, final Factory factory)
        {
            this.hints = hints;
            this.reporting = reporting;
            this.factory = factory;
        }
    }

    /** One line per provider. Detection asks them in this order, so chat comes before Gemini (see FormatHints). */
    private static final Entry[] PROVIDERS = {
        new Entry(OpenAiChatHints.INSTANCE, OpenAiChatReporting.INSTANCE, OpenAiChatDialect::new),
        new Entry(OpenAiResponsesHints.INSTANCE, OpenAiResponsesReporting.INSTANCE, OpenAiResponsesDialect::new),
        new Entry(AnthropicHints.INSTANCE, AnthropicReporting.INSTANCE, AnthropicDialect::new),
        new Entry(GeminiHints.INSTANCE, GeminiReporting.INSTANCE, GeminiDialect::new),
        new Entry(OllamaHints.INSTANCE, OllamaReporting.INSTANCE, OllamaDialect::new),
        new Entry(BedrockHints.INSTANCE, BedrockReporting.INSTANCE, BedrockDialect::new),
    };

    private static final FormatHints[] HINTS = new FormatHints[PROVIDERS.length];

    static
    {
        for (int i = 0; i < PROVIDERS.length; i++)
        {
            HINTS[i] = PROVIDERS[i].hints;
        }
    }

    private Dialects()
    {
    }

    /**
     * @return a new decoder for {@code format}, folding into {@code aggregate}.
     * @throws IllegalArgumentException for {@link Format#AUTO}, which is resolved before a dialect is created.
     */
    public static Dialect create(final Format format, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        return entry(format).factory.create(aggregate, limits);
    }

    /**
     * @return what {@code format}'s provider reports about usage and stop reasons, without creating a decoder.
     * @throws IllegalArgumentException for {@link Format#AUTO}, which names no provider.
     */
    public static Reporting reporting(final Format format)
    {
        return entry(format).reporting;
    }

    private static Entry entry(final Format format)
    {
        for (final Entry e : PROVIDERS)
        {
            if (e.hints.format() == format)
            {
                return e;
            }
        }
        throw new IllegalArgumentException("format " + format.cliName() + " has no dialect: " +
            "AUTO is resolved before a dialect is created");
    }

    /** @return every provider's detection markers, in detection order (a shared array: do not modify). */
    static FormatHints[] hints()
    {
        return HINTS;
    }
}
