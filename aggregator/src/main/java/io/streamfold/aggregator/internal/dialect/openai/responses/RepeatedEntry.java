package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.json.ExactDouble;
import io.streamfold.aggregator.internal.json.StringDecoder;

/**
 * The logprob entry of a delta that repeats the learnt one (see {@link GatheredEvent#entrySlot}): its token and value,
 * read only for a listener, which hears them as the full path's scan would give them.
 */
final class RepeatedEntry
{
    /** The token, when it is not the delta's. */
    private final StringDecoder tokenDecoder = new StringDecoder(32);
    char[] token;
    int tokenLength;
    double logprob;

    /**
     * Reads the token and value of the matched entry whose slots start at {@code e}.
     *
     * @return false when the value is not read as surely as the full path reads it (the event must go there).
     */
    boolean read(final EventTemplate template, final int e)
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
    void none()
    {
        token = null;
        tokenLength = 0;
        logprob = Double.NaN;
    }
}
