package io.streamfold.aggregator.internal.fold;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.model.RawFields;

/**
 * Fields of one JSON object kept raw, in first-seen order, the last value of a name winning. This is
 * how unknown fields survive aggregation and are written back at the level they came from, and how
 * plain metadata (id, model, created, seed) is kept exact without a class per provider. Names are
 * Jackson's canonical strings, so keeping them allocates nothing; value slots are reused.
 */
public final class MutableRawFields implements RawFields
{
    private String[] names = new String[4];
    /** Each name's hash, beside it: a search compares these, and looks at a name only when its hash agrees. */
    private int[] hashes = new int[4];
    private MutableRawJson[] values = new MutableRawJson[4];
    private int size;
    /** Where {@link #indexOf} last found a name: the next search starts there. */
    private int lastFound;
    /** Charged for new fields and their values' growth when part of a result; null for scratch and snapshot copies. */
    private final ResultBudget budget;

    public MutableRawFields()
    {
        this(null);
    }

    MutableRawFields(final ResultBudget budget)
    {
        this.budget = budget;
    }

    /** @return number of fields. */
    public int size()
    {
        return size;
    }

    /** @return the name of field {@code i}, in first-seen order. */
    public String name(final int i)
    {
        checkIndex(i);
        return names[i];
    }

    /** @return the value of field {@code i}. */
    public MutableRawJson value(final int i)
    {
        checkIndex(i);
        return values[i];
    }

    /** @return the value named {@code name}, or null when absent. */
    public MutableRawJson get(final String name)
    {
        final int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    /** @return true when {@code name} is present with a non-null value. */
    public boolean has(final String name)
    {
        final MutableRawJson v = get(name);
        return v != null && !v.isNullish();
    }

    /**
     * @return the slot for {@code name}, created on first use (and then reused), or null when a new
     * name would pass {@code maxFields}. A new field the whole result has no room for gets a slot that keeps
     * nothing (the result's budget reports that once).
     */
    public MutableRawJson slot(final String name, final int maxFields)
    {
        final int i = indexOf(name);
        if (i >= 0)
        {
            return values[i];
        }
        return slotMissing(name, maxFields);
    }

    /**
     * As {@link #slot}, for a name the caller has just found missing ({@link #get} returned null and nothing was added
     * since): not searched for again, which for a miss is a pass over every field.
     */
    public MutableRawJson slotMissing(final String name, final int maxFields)
    {
        if (size >= maxFields)
        {
            return null;
        }
        if (size == names.length || values[size] == null)
        {
            if (budget != null && !budget.grow(ResultBudget.FIELD_BYTES, "a kept raw field"))
            {
                return budget.discard();
            }
            if (size == names.length)
            {
                names = java.util.Arrays.copyOf(names, size * 2);
                hashes = java.util.Arrays.copyOf(hashes, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
        }
        names[size] = name;
        hashes[size] = name.hashCode();
        if (values[size] == null)
        {
            values[size] = new MutableRawJson(budget);
        }
        else
        {
            values[size].clear();
        }
        return values[size++];
    }

    public void remove(final String name)
    {
        final int i = indexOf(name);
        if (i < 0)
        {
            return;
        }
        final MutableRawJson removed = values[i];
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(hashes, i + 1, hashes, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        names[size] = null;
        values[size] = removed;
    }

    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            names[i] = null;
        }
        size = 0;
    }

    /** Drops every field and the capacity of their values (a reset that does not pool them). */
    void release()
    {
        names = new String[4];
        hashes = new int[4];
        values = new MutableRawJson[4];
        size = 0;
    }

    public void copyFrom(final MutableRawFields other)
    {
        clear();
        for (int i = 0; i < other.size; i++)
        {
            // Each name is held once there, so missing here until it is added.
            slotMissing(other.names[i], Integer.MAX_VALUE).copyFrom(other.values[i]);
        }
    }

    /** Writes every field except those named in {@code skip}. */
    public void writeFields(final JsonGenerator generator, final String... skip) throws IOException
    {
        outer:
        for (int i = 0; i < size; i++)
        {
            for (final String s : skip)
            {
                if (s.equals(names[i]))
                {
                    continue outer;
                }
            }
            generator.writeFieldName(names[i]);
            values[i].write(generator);
        }
    }

    /** Writes field {@code name} if present. */
    public void writeField(final JsonGenerator generator, final String name) throws IOException
    {
        final MutableRawJson v = get(name);
        if (v != null)
        {
            generator.writeFieldName(name);
            v.write(generator);
        }
    }

    /**
     * Writes field {@code name} if present; otherwise {@code fallback} as a string, or a JSON null when
     * {@code fallback} is null and {@code nullWhenAbsent}.
     */
    public void writeFieldOr(final JsonGenerator generator, final String name, final String fallback, final boolean nullWhenAbsent)
        throws IOException
    {
        final MutableRawJson v = get(name);
        if (v != null)
        {
            generator.writeFieldName(name);
            v.write(generator);
        }
        else if (fallback != null)
        {
            generator.writeStringField(name, fallback);
        }
        else if (nullWhenAbsent)
        {
            generator.writeNullField(name);
        }
    }

    /**
     * @return the value at {@code index} when that index holds this very name String (a position remembered
     * from {@link #indexOf}), else null: a cheap check before a search.
     */
    public MutableRawJson valueAtIfNamed(final int index, final String name)
    {
        return index >= 0 && index < size && names[index] == name ? values[index] : null;
    }

    /** @return the index of {@code name}, or -1. */
    public int indexOf(final String name)
    {
        // Names are the readers' canonical strings: the same instance nearly always. A name is held once (slot adds only
        // what this finds missing), so one pass finds it; the pass compares the hashes kept beside the names and looks
        // at a name only when they agree, which keeps a miss, the first capture of each of a response's dozens of
        // fields, a walk over an int array. The pass starts where the last one found its name: readers ask for the
        // fields of an event in the order they came (a get then a slot for each), so it mostly ends at once.
        final int hash = name.hashCode();
        final int from = lastFound < size ? lastFound : 0;
        for (int k = 0, i = from; k < size; k++, i = i + 1 == size ? 0 : i + 1)
        {
            if (hashes[i] == hash && (names[i] == name || names[i].equals(name)))
            {
                lastFound = i;
                return i;
            }
        }
        return -1;
    }

    private void checkIndex(final int i)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException(i);
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append(MutableRawJson.quote(names[i])).append(':').append(values[i].json());
        }
        return sb.append('}').toString();
    }
}
