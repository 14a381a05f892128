package io.streamfold.aggregator.internal.output;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.fold.MutableAggregate;

/** Fields of a provider's non-streaming JSON that every provider writes the same way, under its own name. */
public final class ProviderFields
{
    private ProviderFields()
    {
    }

    /** Writes the merged usage as object field {@code name}, when the stream reported any. */
    public static void usage(final MutableAggregate result, final String name, final JsonGenerator g) throws IOException
    {
        if (result.usage().isPresent())
        {
            g.writeObjectFieldStart(name);
            result.usage().fields().writeFields(g);
            g.writeEndObject();
        }
    }

    /** Writes the provider's error object as field {@code name}, when the stream carried one. */
    public static void providerError(final MutableAggregate result, final String name, final JsonGenerator g)
        throws IOException
    {
        if (!result.providerError().isNullish())
        {
            g.writeFieldName(name);
            result.providerError().write(g);
        }
    }
}
