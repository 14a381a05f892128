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
    private static final byte[] NO_BYTES = new byte[0];

    private byte[] bytes = NO_BYTES;
    private int length;
    private int count;
    private boolean present;
    /** Charged for growth when part of a result; null for a decoder's scratch and a snapshot's copies. */
    private final ResultBudget budget;

    public MutableRawList()
    {
        this(null);
    }

    MutableRawList(final ResultBudget budget)
    {
        this.budget = budget;
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

    /**
     * @return false, adding nothing, when the list would pass {@code limit} bytes. The result's budget refusing to
     * grow it is not a false: the budget reports that once, and the element is dropped.
     */
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
            final int grown = Math.max(needed, Math.min(limit, Math.max(64, bytes.length * 2)));
            if (budget != null && !budget.grow(grown - bytes.length, "a kept list of raw values (logprobs, annotations)"))
            {
                return true;
            }
            bytes = java.util.Arrays.copyOf(bytes, grown);
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

    /** Drops the list's capacity (a reset that does not pool it). */
    void release()
    {
        clear();
        bytes = NO_BYTES;
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
