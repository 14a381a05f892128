package io.streamfold.aggregator.internal.output;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;

/**
 * Renders an aggregate as JSON: the provider's own non-streaming shape (its dialect's writer, or the shape
 * frozen when a snapshot was taken) or the normalized view. The fold keeps no rendering of its own.
 */
public final class AggregateJson
{
    private static final JsonFactory OUTPUT_FACTORY = new JsonFactory();

    private AggregateJson()
    {
    }

    /**
     * @param dialect      the provider's writer, or null (AUTO undecided: the normalized view is written).
     * @param frozen       a snapshot's provider JSON, written instead of asking the dialect; null for a live aggregate.
     * @param normalized   the normalized view rather than the provider's shape.
     * @return the JSON as text (allocates).
     */
    public static String render(
        final MutableAggregate aggregate, final Dialect dialect, final byte[] frozen, final boolean normalized)
    {
        return bytes(aggregate, dialect, frozen, normalized).toString(StandardCharsets.UTF_8);
    }

    /** @return the provider's own JSON, compact, as bytes to freeze in a snapshot. */
    public static byte[] providerJson(final MutableAggregate aggregate, final Dialect dialect)
    {
        return bytes(aggregate, dialect, null, false).toByteArray();
    }

    private static ByteArrayOutputStream bytes(
        final MutableAggregate aggregate, final Dialect dialect, final byte[] frozen, final boolean normalized)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            write(out, aggregate, dialect, frozen, normalized, false);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes what {@link #render} returns to {@code out} (not closed), indented for humans when {@code pretty}. */
    public static void write(
        final OutputStream out, final MutableAggregate aggregate, final Dialect dialect, final byte[] frozen,
        final boolean normalized, final boolean pretty) throws IOException
    {
        try (JsonGenerator g = new SurrogateSafeGenerator(OUTPUT_FACTORY.createGenerator(out, JsonEncoding.UTF8)))
        {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty)
            {
                g.useDefaultPrettyPrinter();
            }
            if (!normalized && frozen != null)
            {
                try (JsonParser p = OUTPUT_FACTORY.createParser(frozen))
                {
                    p.nextToken();
                    g.copyCurrentStructure(p);
                }
            }
            else if (normalized || dialect == null)
            {
                NormalizedWriter.write(aggregate, g);
            }
            else
            {
                dialect.write(aggregate, g);
            }
        }
    }
}
