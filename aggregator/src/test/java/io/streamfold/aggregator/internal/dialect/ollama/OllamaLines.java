package io.streamfold.aggregator.internal.dialect.ollama;

import java.util.Random;

import io.streamfold.aggregator.GeminiTesting;

/** Pieces of Ollama lines for generated streams (here and in the fuzz module). */
public final class OllamaLines
{
    private OllamaLines()
    {
    }

    /**
     * @return line {@code n}'s {@code created_at} as a JSON string: an RFC 3339 timestamp as Ollama writes it (the
     *         fraction's trailing zeros dropped, so its width varies from line to line), now and then with characters
     *         escaped, or empty
     */
    public static String createdAt(final Random r, final int n)
    {
        if (r.nextInt(25) == 0)
        {
            return "\"\"";
        }
        final StringBuilder t = new StringBuilder("2025-10-26T17:15:").append(10 + n % 50);
        final int digits = r.nextInt(10);
        if (digits > 0)
        {
            t.append('.');
            for (int i = 0; i < digits; i++)
            {
                t.append((char)('0' + r.nextInt(10)));
            }
        }
        return GeminiTesting.quoteEscaping(t.append('Z').toString(), r);
    }
}
