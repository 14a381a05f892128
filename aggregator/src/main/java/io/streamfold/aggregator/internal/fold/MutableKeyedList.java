package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.StringDecoder;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * An unknown delta field streamed as an array of objects that each name their place by an integer {@code index}
 * member (OpenRouter's {@code reasoning_details}, Groq's {@code executed_tools}): each delta's elements are pieces of
 * the entries they name, merged entry by entry as the official Python SDK's {@code accumulate_delta} merges lists of
 * objects, not appended as new entries. Within an entry, strings are joined and anything else is the last value,
 * except the members that name the entry rather than carry content ({@code index}, {@code type}, {@code id},
 * {@code format}), which are states: OpenRouter repeats {@code format} on every piece, and joining it (as the Python
 * SDK does) makes a format nobody sent. A list whose entries are whole values each time (Groq re-sends a tool's
 * arguments with its output) replaces every member instead ({@link #fold} with {@code whole}).
 *
 * <p>Elements without an integer index (and anything not an object) are kept as sent, each a new entry, as a plain
 * list keeps them. Entries keep the order in which their index first came.
 */
final class MutableKeyedList
{
    /** Members that name an entry: repeated with each piece, never joined. */
    private static final String[] IDENTITY = {"index", "type", "id", "format"};

    /** Per entry: a {@link MutableDeltaFields} (shallow) for an indexed object, else a {@link MutableRawJson} as sent. */
    private final ArrayList<Object> entries = new ArrayList<>();
    private long[] keys = new long[4];
    /** The indexed entries by their index: a stream may name as many as {@code maxPartsPerChoice}. */
    private final Long2ObjectHashMap<MutableDeltaFields> byKey = new Long2ObjectHashMap<>();
    private final ArrayList<MutableDeltaFields> spareEntries = new ArrayList<>();
    private final ArrayList<MutableRawJson> spareRaw = new ArrayList<>();
    private final ResultBudget budget;
    /** Locates an element's members (made on first need: most results hold no keyed list). */
    private JsonMembers members;
    private JsonMembers elements;
    private StringDecoder decoder;

    MutableKeyedList(final ResultBudget budget)
    {
        this.budget = budget;
    }

    /**
     * @param src checked bytes holding the element at {@code [from, to)}.
     * @return whether the element is an object with an integer {@code index} member (what makes a list keyed).
     */
    static boolean isKeyed(final byte[] src, final int from, final int to, final JsonMembers scratch)
    {
        return key(src, from, to, scratch) != JsonBytes.NOT_AN_INTEGER;
    }

    private static long key(final byte[] src, final int from, final int to, final JsonMembers scratch)
    {
        if (src[from] != '{' || !scratch.readObject(src, from, to))
        {
            return JsonBytes.NOT_AN_INTEGER;
        }
        for (int m = 0; m < scratch.count(); m++)
        {
            if (scratch.nameEnd(m) - scratch.nameStart(m) == 5 && "index".equals(scratch.name(m)))
            {
                return scratch.integerValue(m);
            }
        }
        return JsonBytes.NOT_AN_INTEGER;
    }

    /** @return number of entries. */
    int count()
    {
        return entries.size();
    }

    /**
     * Folds one element of a delta's array, in checked bytes: merged into the entry its index names, or kept as sent.
     *
     * @param whole true when the list's entries are sent whole each time: every member replaces what the entry had.
     * @return false when it was dropped for a limit: a new index past {@link AggregationLimits#maxPartsPerChoice()}
     *         entries, or a value past its own limit.
     */
    boolean fold(final byte[] src, final int from, final int to, final boolean whole, final AggregationLimits limits)
    {
        if (members == null)
        {
            members = new JsonMembers();
            elements = new JsonMembers();
            decoder = new StringDecoder(64);
        }
        final long key = key(src, from, to, members);
        if (key == JsonBytes.NOT_AN_INTEGER)
        {
            return addRaw(src, from, to, limits);
        }
        MutableDeltaFields entry = byKey.get(key);
        if (entry == null)
        {
            if (entries.size() >= limits.maxPartsPerChoice())
            {
                return false;
            }
            if (budget != null && !budget.grow(ResultBudget.FIELD_BYTES, "an entry of an indexed delta list"))
            {
                return true;
            }
            entry = spareEntries.isEmpty() ? new MutableDeltaFields(false, budget) : spareEntries.remove(spareEntries.size() - 1);
            add(entry, key);
            byKey.put(key, entry);
        }
        boolean kept = true;
        for (int m = 0; m < members.count(); m++)
        {
            final String name = members.name(m);
            if (members.first(m) == 'n')
            {
                // A null never replaces a value, but an entry keeps one it never had otherwise, as sent.
                kept &= entry.has(name) || entry.replaceWithNull(name, limits);
            }
            else if (whole || isIdentity(name))
            {
                kept &= entry.replace(name, members, m, limits);
            }
            else
            {
                kept &= entry.fold(name, members, m, elements, decoder, limits);
            }
        }
        return kept;
    }

    private static boolean isIdentity(final String name)
    {
        for (final String s : IDENTITY)
        {
            if (s.equals(name))
            {
                return true;
            }
        }
        return false;
    }

    /** A structured element without an index: kept as sent; one over the raw-value limit is dropped, adding nothing. */
    private boolean addRaw(final byte[] src, final int from, final int to, final AggregationLimits limits)
    {
        if (to - from > limits.maxRawBytes())
        {
            return false;
        }
        final MutableRawJson raw = rawEntry();
        if (raw == null)
        {
            return true;
        }
        return raw.setStructured(src, from, to - from, limits.maxRawBytes());
    }

    /**
     * Keeps a scalar element as its own entry (a list of objects that also holds a scalar: kept, never merged).
     *
     * @return false when it was dropped for a limit.
     */
    boolean addScalar(final MutableRawJson scalar)
    {
        final MutableRawJson raw = rawEntry();
        if (raw != null)
        {
            raw.copyFrom(scalar);
        }
        return true;
    }

    /** @return a new entry kept as sent, or null when the result has no room for it (the budget reports that once). */
    private MutableRawJson rawEntry()
    {
        if (budget != null && !budget.grow(ResultBudget.FIELD_BYTES, "an element of an indexed delta list"))
        {
            return null;
        }
        final MutableRawJson raw = spareRaw.isEmpty() ? new MutableRawJson(budget) : spareRaw.remove(spareRaw.size() - 1);
        add(raw, JsonBytes.NOT_AN_INTEGER);
        return raw;
    }

    private void add(final Object entry, final long key)
    {
        if (entries.size() == keys.length)
        {
            keys = java.util.Arrays.copyOf(keys, keys.length * 2);
        }
        keys[entries.size()] = key;
        entries.add(entry);
    }

    void clear()
    {
        for (final Object entry : entries)
        {
            if (entry instanceof MutableDeltaFields)
            {
                ((MutableDeltaFields)entry).clear();
                spareEntries.add((MutableDeltaFields)entry);
            }
            else
            {
                ((MutableRawJson)entry).clear();
                spareRaw.add((MutableRawJson)entry);
            }
        }
        entries.clear();
        byKey.clear();
    }

    void write(final JsonGenerator g) throws IOException
    {
        g.writeStartArray();
        for (final Object entry : entries)
        {
            if (entry instanceof MutableDeltaFields)
            {
                g.writeStartObject();
                ((MutableDeltaFields)entry).write(g);
                g.writeEndObject();
            }
            else
            {
                ((MutableRawJson)entry).write(g);
            }
        }
        g.writeEndArray();
    }

    /** @return the list as JSON text (allocates). */
    String json()
    {
        final StringBuilder sb = new StringBuilder("[");
        for (int e = 0; e < entries.size(); e++)
        {
            final Object entry = entries.get(e);
            sb.append(e == 0 ? "" : ",").append(entry instanceof MutableDeltaFields ? entry.toString() : ((MutableRawJson)entry).json());
        }
        return sb.append(']').toString();
    }

    /** Becomes an independent copy of {@code other}. */
    void copyFrom(final MutableKeyedList other)
    {
        clear();
        for (int e = 0; e < other.entries.size(); e++)
        {
            final Object entry = other.entries.get(e);
            if (entry instanceof MutableDeltaFields)
            {
                final MutableDeltaFields copy = new MutableDeltaFields();
                copy.copyFrom((MutableDeltaFields)entry);
                add(copy, other.keys[e]);
                byKey.put(other.keys[e], copy);
            }
            else
            {
                final MutableRawJson copy = new MutableRawJson();
                copy.copyFrom((MutableRawJson)entry);
                add(copy, other.keys[e]);
            }
        }
    }

    @Override
    public String toString()
    {
        return json();
    }
}
