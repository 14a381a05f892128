package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.internal.json.ExactDouble;
import io.streamfold.aggregator.internal.json.StringDecoder;

/**
 * The logprob entry of an event a template matched (an object slot followed by its token and value slots, as the
 * chat chunk and the Responses delta templates learn it): its token and value, read only for a listener, which
 * hears them as the full path's scan would give them. One per dialect instance, reused for every event.
 */
public final class RepeatedEntry
{
    /** The token, when it is not the delta's. */
    private final StringDecoder tokenDecoder = new StringDecoder(32);
    private char[] token;
    private int tokenLength;
    private double logprob;

    /**
     * Reads the token and value of the matched entry whose slots start at {@code e} (the entry, then its token, then
     * its value); a token that {@link EventTemplate#repeatsOriginal} is the event's first string, not decoded again.
     *
     * @return false when the value is not read as surely as the full path reads it (the event must go there).
     */
    public boolean read(final EventTemplate template, final int e)
    {
        final byte[] input = template.input();
        logprob = ExactDouble.parse(input, template.valueStart(e + 2), template.valueEnd(e + 2));
        if (Double.isNaN(logprob))
        {
            return false;
        }
        if (template.repeatsOriginal(e + 1))
        {
            token = template.stringChars(0);
            tokenLength = template.stringLength(0);
        }
        else
        {
            // Checked as the template matched: it decodes.
            tokenDecoder.decode(input, template.valueStart(e + 1) + 1, template.valueEnd(e + 1));
            token = tokenDecoder.chars();
            tokenLength = tokenDecoder.length();
        }
        return true;
    }

    /** Nothing read: no listener hears the entry. */
    public void none()
    {
        token = null;
        tokenLength = 0;
        logprob = Double.NaN;
    }

    /** @return the token's characters, valid up to {@link #tokenLength()}; null when {@link #none()}. */
    public char[] token()
    {
        return token;
    }

    /** @return how many characters of {@link #token()} the token holds. */
    public int tokenLength()
    {
        return tokenLength;
    }

    /** @return the entry's value, exactly as the full path reads it; NaN when {@link #none()}. */
    public double logprob()
    {
        return logprob;
    }
}
