package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicDialect;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicHints;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialect;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockHints;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiDialect;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiHints;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaDialect;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaHints;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatDialect;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatHints;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesDialect;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesHints;
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
        final Factory factory;

        Entry(final FormatHints hints, final Factory factory)
        {
            this.hints = hints;
            this.factory = factory;
        }
    }

    /** One line per provider. Detection asks them in this order, so chat comes before Gemini (see FormatHints). */
    private static final Entry[] PROVIDERS = {
        new Entry(OpenAiChatHints.INSTANCE, OpenAiChatDialect::new),
        new Entry(OpenAiResponsesHints.INSTANCE, OpenAiResponsesDialect::new),
        new Entry(AnthropicHints.INSTANCE, AnthropicDialect::new),
        new Entry(GeminiHints.INSTANCE, GeminiDialect::new),
        new Entry(OllamaHints.INSTANCE, OllamaDialect::new),
        new Entry(BedrockHints.INSTANCE, BedrockDialect::new),
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
        for (final Entry e : PROVIDERS)
        {
            if (e.hints.format() == format)
            {
                return e.factory.create(aggregate, limits);
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
