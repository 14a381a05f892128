package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.aggregator.model.DeltaFields;

/**
 * Unknown fields of a streamed delta, folded by the only rule that fits deltas without knowing them:
 * strings are increments and are joined, arrays are increments and are concatenated, anything else
 * (numbers, booleans) is a state and the last non-null value wins. Written back in first-seen order.
 * An array of objects that each carry an integer {@code index} is a list of entries streamed in pieces: its pieces
 * are merged entry by entry ({@link MutableKeyedList}), as the official Python SDK accumulates such lists.
 *
 * <p>Objects are states too (the last wins) in a shallow instance, the fields of a message delta. A deep
 * instance, the fields a part got from delta types its dialect does not know (Anthropic {@code compaction_delta},
 * a Bedrock delta member, a Responses {@code response.*.delta} event), folds an object's fields by the same rule
 * at every depth: a provider that streams a new kind of block streams its strings in pieces wherever they sit.
 */
public final class MutableDeltaFields implements DeltaFields
{
    private final ArrayList<String> names = new ArrayList<>();
    private final ArrayList<Object> values = new ArrayList<>();
    private final boolean deep;
    /** Charged for new fields and their values' growth when part of a result; null for a snapshot's copies. */
    private final ResultBudget budget;
    /**
     * The values of fields a {@link #clear} dropped, by kind, taken again for the next stream's new fields: a pooled
     * aggregator then makes none per stream (Groq's {@code channel}, on every stream's first delta). As other pooled
     * buffers, a value taken again is charged its new field but not the capacity it grew before.
     */
    private final ArrayList<MutableRawJson> spareJson = new ArrayList<>();
    private final ArrayList<MutableTextBuffer> spareText = new ArrayList<>();
    private final ArrayList<MutableRawList> spareLists = new ArrayList<>();
    private final ArrayList<MutableDeltaFields> spareFields = new ArrayList<>();
    private final ArrayList<MutableKeyedList> spareKeyed = new ArrayList<>();
    /** Tells whether an array's first element starts a keyed list (made on first need). */
    private JsonMembers keyScratch;
    /** What {@link #indexFor} answers for a new field the whole result has no room for. */
    private static final int REFUSED = -2;

    /** A shallow instance: object values are states. */
    public MutableDeltaFields()
    {
        this(false);
    }

    /** @param deep true to fold object values field by field, at every depth. */
    public MutableDeltaFields(final boolean deep)
    {
        this(deep, null);
    }

    MutableDeltaFields(final boolean deep, final ResultBudget budget)
    {
        this.deep = deep;
        this.budget = budget;
    }

    /** @return number of fields. */
    public int size()
    {
        return names.size();
    }

    /** @return the name of field {@code i}. */
    public String name(final int i)
    {
        return names.get(i);
    }

    /** @return field {@code i}'s value as JSON text (allocates). */
    public String json(final int i)
    {
        final Object v = values.get(i);
        if (v instanceof MutableTextBuffer)
        {
            return MutableRawJson.quote((MutableTextBuffer)v);
        }
        if (v instanceof MutableDeltaFields || v instanceof MutableKeyedList)
        {
            return v.toString();
        }
        return v instanceof MutableRawList ? ((MutableRawList)v).json() : ((MutableRawJson)v).json();
    }

    /** @return true when field {@code name} was folded. */
    public boolean has(final String name)
    {
        return names.contains(name);
    }

    /** @return the value of {@code name} as JSON text, or null when absent (allocates). */
    public String json(final String name)
    {
        final int i = names.indexOf(name);
        return i < 0 ? null : json(i);
    }

    public void clear()
    {
        // Each value is cleared as it is pooled, so that taking one back is a removal from its list.
        for (int i = 0, n = values.size(); i < n; i++)
        {
            final Object v = values.get(i);
            if (v instanceof MutableRawJson)
            {
                ((MutableRawJson)v).clear();
                spareJson.add((MutableRawJson)v);
            }
            else if (v instanceof MutableTextBuffer)
            {
                ((MutableTextBuffer)v).clear();
                spareText.add((MutableTextBuffer)v);
            }
            else if (v instanceof MutableRawList)
            {
                ((MutableRawList)v).clear();
                spareLists.add((MutableRawList)v);
            }
            else if (v instanceof MutableDeltaFields)
            {
                ((MutableDeltaFields)v).clear();
                spareFields.add((MutableDeltaFields)v);
            }
            else if (v instanceof MutableKeyedList)
            {
                ((MutableKeyedList)v).clear();
                spareKeyed.add((MutableKeyedList)v);
            }
        }
        names.clear();
        values.clear();
    }

    private MutableRawJson newJson()
    {
        return spareJson.isEmpty() ? new MutableRawJson(budget) : spareJson.remove(spareJson.size() - 1);
    }

    private MutableTextBuffer newText()
    {
        return spareText.isEmpty() ? new MutableTextBuffer(budget, false) : spareText.remove(spareText.size() - 1);
    }

    private MutableRawList newList()
    {
        return spareLists.isEmpty() ? new MutableRawList(budget) : spareLists.remove(spareLists.size() - 1);
    }

    private MutableDeltaFields newFields()
    {
        return spareFields.isEmpty() ? new MutableDeltaFields(true, budget) : spareFields.remove(spareFields.size() - 1);
    }

    private MutableKeyedList newKeyed()
    {
        return spareKeyed.isEmpty() ? new MutableKeyedList(budget) : spareKeyed.remove(spareKeyed.size() - 1);
    }

    /** @return field {@code i}'s keyed list, or null when it holds none. */
    private MutableKeyedList keyedOrNull(final int i)
    {
        return values.get(i) instanceof MutableKeyedList ? (MutableKeyedList)values.get(i) : null;
    }

    /**
     * A field an entry of a keyed list kept as null, since it never had a value ({@link #replaceWithNull}), takes its
     * first value as a new field does: a string sent next starts the text that later pieces join.
     */
    private void forgetNull(final int i)
    {
        final Object v = values.get(i);
        if (v instanceof MutableRawJson && ((MutableRawJson)v).type() == MutableRawJson.Type.NULL)
        {
            ((MutableRawJson)v).clear();
            spareJson.add((MutableRawJson)v);
            values.set(i, null);
        }
    }

    /**
     * The list that field {@code i}'s array element at {@code src[from, to)} goes to: a keyed list when the field holds
     * one, or holds an empty list (or nothing) and the element is an object with an integer index; else null (the
     * element goes to the plain list, which the field then holds).
     */
    private MutableKeyedList keyedFor(final int i, final byte[] src, final int from, final int to)
    {
        final Object slot = values.get(i);
        if (slot instanceof MutableKeyedList)
        {
            return (MutableKeyedList)slot;
        }
        if (!(slot instanceof MutableRawList) || ((MutableRawList)slot).count() > 0)
        {
            return null;
        }
        if (keyScratch == null)
        {
            keyScratch = new JsonMembers();
        }
        if (!MutableKeyedList.isKeyed(src, from, to, keyScratch))
        {
            return null;
        }
        final MutableKeyedList keyed = newKeyed();
        ((MutableRawList)slot).clear();
        spareLists.add((MutableRawList)slot);
        values.set(i, keyed);
        return keyed;
    }

    /**
     * Keeps field {@code name} as null when it has no value yet (an entry of a keyed list keeps a member it only ever
     * got as null, as sent).
     */
    boolean replaceWithNull(final String name, final AggregationLimits limits)
    {
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        final MutableRawJson json = newJson();
        json.setLiteral(MutableRawJson.Type.NULL);
        values.set(i, json);
        return true;
    }

    /**
     * Folds the reader's current value into field {@code name}.
     *
     * @return false when the value was dropped for a limit.
     */
    public boolean fold(final String name, final JsonReader reader, final AggregationLimits limits) throws JsonReader.BadPayload
    {
        return fold(name, reader, limits, null);
    }

    /**
     * As {@link #fold(String, JsonReader, AggregationLimits)}, where a string field met for the first time
     * continues the string {@code start} holds under the same name (a block's value before its deltas).
     */
    public boolean fold(final String name, final JsonReader reader, final AggregationLimits limits, final MutableRawFields start)
        throws JsonReader.BadPayload
    {
        return fold(name, reader, limits, start, false);
    }

    /**
     * As {@link #fold(String, JsonReader, AggregationLimits)}, an object value folded field by field at every depth
     * even in a shallow instance: a message delta field that streams an object in pieces (OpenAI's {@code audio}: its
     * {@code data} and {@code transcript} arrive chunk by chunk), as the official SDKs accumulate it.
     */
    public boolean foldMergingObjects(final String name, final JsonReader reader, final AggregationLimits limits)
        throws JsonReader.BadPayload
    {
        return fold(name, reader, limits, null, true, false);
    }

    /**
     * As {@link #foldMergingObjects}, for a field whose indexed entries are sent whole each time (Groq's {@code
     * executed_tools}: a tool's arguments again with its output): an entry's members replace what it had, never
     * joined ({@link MutableKeyedList}).
     */
    public boolean foldWholeEntries(final String name, final JsonReader reader, final AggregationLimits limits)
        throws JsonReader.BadPayload
    {
        return fold(name, reader, limits, null, true, true);
    }

    private boolean fold(final String name, final JsonReader reader, final AggregationLimits limits, final MutableRawFields start,
        final boolean mergeObjects) throws JsonReader.BadPayload
    {
        return fold(name, reader, limits, start, mergeObjects, false);
    }

    private boolean fold(final String name, final JsonReader reader, final AggregationLimits limits, final MutableRawFields start,
        final boolean mergeObjects, final boolean wholeEntries) throws JsonReader.BadPayload
    {
        final JsonToken t = reader.token();
        if (t == JsonToken.VALUE_NULL)
        {
            return true;
        }
        final int i = indexFor(name, reader, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        forgetNull(i);
        if (values.get(i) == null)
        {
            values.set(i, t == JsonToken.VALUE_STRING ? startText(start, name) : t == JsonToken.START_ARRAY ?
                newList() : (deep || mergeObjects) && t == JsonToken.START_OBJECT ? newFields() : newJson());
        }
        final Object slot = values.get(i);
        if (slot instanceof MutableDeltaFields && t == JsonToken.START_OBJECT)
        {
            final MutableDeltaFields fields = (MutableDeltaFields)slot;
            boolean kept = true;
            while (reader.next() == JsonToken.FIELD_NAME)
            {
                final String field = reader.name();
                reader.next();
                kept &= fields.fold(field, reader, limits, null);
            }
            return kept;
        }
        if (slot instanceof MutableTextBuffer && t == JsonToken.VALUE_STRING)
        {
            final CharView text = reader.text();
            return ((MutableTextBuffer)slot).append(text.array(), text.offset(), text.length(), limits.maxTextChars());
        }
        if ((slot instanceof MutableRawList || slot instanceof MutableKeyedList) && t == JsonToken.START_ARRAY)
        {
            boolean kept = true;
            if (slot instanceof MutableRawList)
            {
                ((MutableRawList)slot).markPresent();
            }
            JsonToken e;
            while ((e = reader.next()) != JsonToken.END_ARRAY)
            {
                if (e == JsonToken.START_OBJECT || e == JsonToken.START_ARRAY)
                {
                    // Walked by the token reader first (which checks it), then read again from its bytes, as the byte
                    // scan reads it.
                    final byte[] src = reader.inputArray();
                    final int from = reader.structureStartOffset();
                    reader.skip();
                    final int to = reader.structureEndOffset(from);
                    final MutableKeyedList keyed = e == JsonToken.START_OBJECT ? keyedFor(i, src, from, to) : keyedOrNull(i);
                    kept &= keyed != null ? keyed.fold(src, from, to, wholeEntries, limits) :
                        ((MutableRawList)values.get(i)).add(src, from, to - from, limits.maxRawBytes());
                }
                else if (values.get(i) instanceof MutableKeyedList)
                {
                    final MutableRawJson scalar = new MutableRawJson();
                    final boolean captured = reader.capture(scalar);
                    kept &= captured && ((MutableKeyedList)values.get(i)).addScalar(scalar);
                }
                else
                {
                    kept &= reader.captureInto((MutableRawList)values.get(i));
                }
            }
            return kept;
        }
        if (slot instanceof MutableRawJson)
        {
            return reader.capture((MutableRawJson)slot);
        }
        // The provider changed the field's type mid-stream: keep the latest value, as a state.
        final MutableRawJson replacement = newJson();
        values.set(i, replacement);
        return reader.capture(replacement);
    }

    /**
     * As {@link #fold(String, JsonReader, AggregationLimits)} for member {@code m} a byte scan located in checked bytes,
     * in a shallow instance (a deep one folds objects field by field: the token reader reads those): strings are
     * joined, an array's elements kept as {@link JsonReader#captureInto} keeps them, anything else as {@link
     * JsonMembers#capture} keeps it.
     *
     * @param elements where an array value's elements are located.
     * @param decoder  decodes a string value.
     * @return false when the value was dropped for a limit.
     */
    public boolean fold(final String name, final JsonMembers members, final int m, final JsonMembers elements,
        final StringDecoder decoder, final AggregationLimits limits)
    {
        return fold(name, members, m, elements, decoder, limits, false);
    }

    /**
     * As {@link #fold(String, JsonMembers, int, JsonMembers, StringDecoder, AggregationLimits)}; {@code wholeEntries}
     * as in {@link #foldWholeEntries}.
     */
    public boolean fold(final String name, final JsonMembers members, final int m, final JsonMembers elements,
        final StringDecoder decoder, final AggregationLimits limits, final boolean wholeEntries)
    {
        if (deep)
        {
            throw new IllegalStateException("a deep instance's objects are folded by the token reader");
        }
        final byte first = members.first(m);
        if (first == 'n')
        {
            return true;
        }
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        forgetNull(i);
        if (values.get(i) == null)
        {
            values.set(i, first == '"' ? newText() : first == '[' ? newList() : newJson());
        }
        final Object slot = values.get(i);
        if (slot instanceof MutableTextBuffer && first == '"')
        {
            final char[] chars = members.stringChars(m, decoder);
            return ((MutableTextBuffer)slot).append(chars, 0, decoder.length(), limits.maxTextChars());
        }
        if ((slot instanceof MutableRawList || slot instanceof MutableKeyedList) && first == '[')
        {
            if (slot instanceof MutableRawList)
            {
                ((MutableRawList)slot).markPresent();
            }
            final byte[] src = members.bytes();
            elements.readArray(src, members.valueStart(m), members.valueEnd(m));
            boolean kept = true;
            for (int e = 0; e < elements.count(); e++)
            {
                final byte b = elements.first(e);
                final int from = elements.valueStart(e);
                final int to = elements.valueEnd(e);
                final MutableKeyedList keyed = b == '{' ? keyedFor(i, src, from, to) : keyedOrNull(i);
                if (b == '{' || b == '[')
                {
                    kept &= keyed != null ? keyed.fold(src, from, to, wholeEntries, limits) :
                        ((MutableRawList)values.get(i)).add(src, from, to - from, limits.maxRawBytes());
                }
                else
                {
                    final MutableRawJson scalar = new MutableRawJson();
                    final boolean captured = elements.capture(e, scalar, limits.maxRawBytes());
                    kept &= keyed != null ? captured && keyed.addScalar(scalar) :
                        ((MutableRawList)values.get(i)).add(scalar, limits.maxRawBytes());
                }
            }
            return kept;
        }
        if (slot instanceof MutableRawJson)
        {
            return members.capture(m, (MutableRawJson)slot, limits.maxRawBytes());
        }
        // The provider changed the field's type mid-stream: keep the latest value, as a state.
        final MutableRawJson replacement = newJson();
        values.set(i, replacement);
        return members.capture(m, replacement, limits.maxRawBytes());
    }

    /**
     * Appends a string increment already decoded (a delta a dialect read before it knew where it goes) to field
     * {@code name}, continuing {@code start}'s string of that name when the field is new.
     *
     * @return false when it was dropped for a limit.
     */
    public boolean append(final String name, final CharSequence text, final AggregationLimits limits, final MutableRawFields start)
    {
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        if (values.get(i) == null)
        {
            values.set(i, startText(start, name));
        }
        if (!(values.get(i) instanceof MutableTextBuffer))
        {
            values.set(i, newText());
        }
        return ((MutableTextBuffer)values.get(i)).append(text, limits.maxTextChars());
    }

    /**
     * Appends a string increment to member {@code key} of object field {@code name}: the increments of one field that
     * the provider keys by an index (one command of several) are joined per key, never across keys.
     *
     * @return false when it was dropped for a limit.
     */
    public boolean appendKeyed(final String name, final String key, final CharSequence text, final AggregationLimits limits)
    {
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        if (!(values.get(i) instanceof MutableDeltaFields))
        {
            // New, or sent without a key before: the keyed increments are an object from now on, as a changed type is.
            values.set(i, newFields());
        }
        return ((MutableDeltaFields)values.get(i)).append(key, text, limits, null);
    }

    /** @return a new text slot holding the string {@code start} has under {@code name}, if any. */
    private MutableTextBuffer startText(final MutableRawFields start, final String name)
    {
        final MutableTextBuffer text = newText();
        final MutableRawJson before = start == null ? null : start.get(name);
        if (before != null && before.type() == MutableRawJson.Type.STRING)
        {
            text.set(before.text(), Integer.MAX_VALUE);
        }
        return text;
    }

    /**
     * Keeps the reader's current value as field {@code name}, replacing any earlier one: for delta
     * fields known to be states repeated on every chunk rather than increments. Null is ignored.
     *
     * @return false when the value was dropped for a limit.
     */
    public boolean replace(final String name, final JsonReader reader, final AggregationLimits limits) throws JsonReader.BadPayload
    {
        if (reader.token() == JsonToken.VALUE_NULL)
        {
            return true;
        }
        final int i = indexFor(name, reader, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        if (!(values.get(i) instanceof MutableRawJson))
        {
            values.set(i, newJson());
        }
        return reader.capture((MutableRawJson)values.get(i));
    }

    /**
     * As {@link #replace(String, JsonReader, AggregationLimits)} for member {@code m} a byte scan located (in checked
     * bytes): the same rule, the value kept as {@link JsonMembers#capture} keeps it.
     */
    public boolean replace(final String name, final JsonMembers members, final int m, final AggregationLimits limits)
    {
        if (members.first(m) == 'n')
        {
            return true;
        }
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            return i == REFUSED;
        }
        if (!(values.get(i) instanceof MutableRawJson))
        {
            values.set(i, newJson());
        }
        return members.capture(m, (MutableRawJson)values.get(i), limits.maxRawBytes());
    }

    /**
     * @return the position of field {@code name}, added with a null value for the caller to set when new; or -1
     * when it is new and {@link AggregationLimits#maxRawFields()} are already kept, {@link #REFUSED} when the whole
     * result has no room for it (the value is then skipped).
     */
    private int indexFor(final String name, final JsonReader reader, final AggregationLimits limits) throws JsonReader.BadPayload
    {
        final int i = indexFor(name, limits);
        if (i < 0)
        {
            reader.skip();
        }
        return i;
    }

    /** As {@link #indexFor(String, JsonReader, AggregationLimits)}, leaving a refused value to the caller. */
    private int indexFor(final String name, final AggregationLimits limits)
    {
        final int i = names.indexOf(name);
        if (i >= 0)
        {
            return i;
        }
        if (names.size() >= limits.maxRawFields())
        {
            return -1;
        }
        if (budget != null && !budget.grow(ResultBudget.FIELD_BYTES, "a field of an unknown delta"))
        {
            return REFUSED;
        }
        names.add(name);
        values.add(null);
        return names.size() - 1;
    }

    public void write(final JsonGenerator g) throws IOException
    {
        for (int i = 0; i < names.size(); i++)
        {
            writeField(g, i);
        }
    }

    /** Writes field {@code i}, name and value. */
    public void writeField(final JsonGenerator g, final int i) throws IOException
    {
        g.writeFieldName(names.get(i));
        final Object v = values.get(i);
        if (v instanceof MutableTextBuffer)
        {
            final MutableTextBuffer text = (MutableTextBuffer)v;
            g.writeString(text.array(), 0, text.length());
        }
        else if (v instanceof MutableRawList)
        {
            ((MutableRawList)v).write(g);
        }
        else if (v instanceof MutableDeltaFields)
        {
            g.writeStartObject();
            ((MutableDeltaFields)v).write(g);
            g.writeEndObject();
        }
        else if (v instanceof MutableKeyedList)
        {
            ((MutableKeyedList)v).write(g);
        }
        else
        {
            ((MutableRawJson)v).write(g);
        }
    }

    /**
     * Writes the fields of a block: those of {@code start} (except any this instance folded since), then the
     * folded ones; none named in {@code skip} (the fields its writer writes itself).
     */
    public void writeOver(final JsonGenerator g, final MutableRawFields start, final String... skip) throws IOException
    {
        outer:
        for (int i = 0; i < start.size(); i++)
        {
            final String name = start.name(i);
            for (final String s : skip)
            {
                if (s.equals(name))
                {
                    continue outer;
                }
            }
            if (!names.contains(name))
            {
                g.writeFieldName(name);
                start.value(i).write(g);
            }
        }
        write(g, skip);
    }

    private void write(final JsonGenerator g, final String... skip) throws IOException
    {
        outer:
        for (int i = 0; i < names.size(); i++)
        {
            for (final String s : skip)
            {
                if (s.equals(names.get(i)))
                {
                    continue outer;
                }
            }
            writeField(g, i);
        }
    }

    /** Becomes an independent copy of {@code other}. */
    public void copyFrom(final MutableDeltaFields other)
    {
        clear();
        for (int i = 0; i < other.names.size(); i++)
        {
            names.add(other.names.get(i));
            final Object v = other.values.get(i);
            if (v instanceof MutableTextBuffer)
            {
                final MutableTextBuffer copy = new MutableTextBuffer();
                copy.copyFrom((MutableTextBuffer)v);
                values.add(copy);
            }
            else if (v instanceof MutableRawList)
            {
                final MutableRawList copy = new MutableRawList();
                copy.copyFrom((MutableRawList)v);
                values.add(copy);
            }
            else if (v instanceof MutableDeltaFields)
            {
                final MutableDeltaFields copy = new MutableDeltaFields(true);
                copy.copyFrom((MutableDeltaFields)v);
                values.add(copy);
            }
            else if (v instanceof MutableKeyedList)
            {
                final MutableKeyedList copy = new MutableKeyedList(null);
                copy.copyFrom((MutableKeyedList)v);
                values.add(copy);
            }
            else
            {
                final MutableRawJson copy = new MutableRawJson();
                copy.copyFrom((MutableRawJson)v);
                values.add(copy);
            }
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++)
        {
            sb.append(i == 0 ? "" : ",").append(MutableRawJson.quote(names.get(i))).append(':').append(json(i));
        }
        return sb.append('}').toString();
    }
}
