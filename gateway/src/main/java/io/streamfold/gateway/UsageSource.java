package io.streamfold.gateway;

import java.util.Locale;

/** Whether the usage in a record can be billed as it is. */
public enum UsageSource
{
    /** Reported by the provider and the stream completed: the provider's final numbers. */
    FINAL,
    /**
     * Reported, but the stream did not complete: numbers from before the end (for example Anthropic's
     * {@code message_start} placeholder {@code output_tokens: 1}), a lower bound at best.
     */
    PROVISIONAL,
    /** Not reported at all. */
    MISSING;

    /** @return the name in records ({@code final}). */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
