package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.model.RawList;

/**
 * A JSON array built up element by element from raw values as they stream in (logprob entries,
 * reasoning detail entries, annotations). Elements are kept as the provider's bytes, joined with commas.
 */
public final class MutableRawList implements RawList
{
    private byte[] bytes = new byte[0];
    private int length;
    private int count;
    private boolean present;

    public MutableRawList()
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

    public boolean add(final MutableRawJson value, final int limit)
    {
        if (value.type() == MutableRawJson.Type.STRUCTURED)
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

    /** Becomes an independent copy of {@code other}. */
    public void copyFrom(final MutableRawList other)
    {
        bytes = java.util.Arrays.copyOf(other.bytes, other.length);
        length = other.length;
        count = other.count;
        present = other.present;
    }
}
