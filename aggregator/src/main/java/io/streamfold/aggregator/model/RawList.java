package io.streamfold.aggregator.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A JSON array built up element by element from raw values as they stream in (logprob entries,
 * reasoning detail entries, annotations). Elements are kept as the provider's bytes, joined with commas.
 */
public final class RawList
{
    private byte[] bytes = new byte[0];
    private int length;
    private int count;
    private boolean present;

    public RawList()
    {
    }

    /** @return number of elements. */
    public int count()
    {
        return count;
    }

    /** @return true once the list was seen in the stream, even empty. */
    public boolean isPresent()
    {
        return present;
    }

    /** @return the array as JSON text (allocates). */
    public String json()
    {
        return "[" + new String(bytes, 0, length, StandardCharsets.UTF_8) + "]";
    }

    public void markPresent()
    {
        present = true;
    }

    public boolean add(final byte[] src, final int offset, final int len, final int limit)
    {
        present = true;
        final int needed = length + len + (count > 0 ? 1 : 0);
        if (needed > limit)
        {
            return false;
        }
        if (needed > bytes.length)
        {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(needed, Math.min(limit, Math.max(64, bytes.length * 2))));
        }
        if (count > 0)
        {
            bytes[length++] = ',';
        }
        System.arraycopy(src, offset, bytes, length, len);
        length += len;
        count++;
        return true;
    }

    public boolean add(final RawJson value, final int limit)
    {
        if (value.type() == RawJson.Type.STRUCTURED)
        {
            return add(value.structuredBytes(), 0, value.structuredLength(), limit);
        }
        final byte[] json = value.json().getBytes(StandardCharsets.UTF_8);
        return add(json, 0, json.length, limit);
    }

    public void clear()
    {
        length = 0;
        count = 0;
        present = false;
    }

    public void write(final JsonGenerator generator) throws IOException
    {
        generator.writeRawValue(json());
    }

    @Override
    public String toString()
    {
        return json();
    }
}
