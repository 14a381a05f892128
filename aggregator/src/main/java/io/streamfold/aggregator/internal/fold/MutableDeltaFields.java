package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.model.DeltaFields;

/**
 * Unknown fields of a streamed delta, folded by the only rule that fits deltas without knowing them:
 * strings are increments and are joined, arrays are increments and are concatenated, anything else
 * (numbers, objects) is a state and the last non-null value wins. Written back in first-seen order.
 */
public final class MutableDeltaFields implements DeltaFields
{
    private final ArrayList<String> names = new ArrayList<>();
    private final ArrayList<Object> values = new ArrayList<>();

    public MutableDeltaFields()
    {
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
        return v instanceof MutableRawList ? ((MutableRawList)v).json() : ((MutableRawJson)v).json();
    }

    /** @return the value of {@code name} as JSON text, or null when absent (allocates). */
    public String json(final String name)
    {
        final int i = names.indexOf(name);
        return i < 0 ? null : json(i);
    }

    public void clear()
    {
        names.clear();
        values.clear();
    }

    /**
     * Folds the reader's current value into field {@code name}.
     *
     * @return false when the value was dropped for a limit.
     */
    public boolean fold(final String name, final JsonReader reader, final AggregationLimits limits) throws JsonReader.BadPayload
    {
        final JsonToken t = reader.token();
        if (t == JsonToken.VALUE_NULL)
        {
            return true;
        }
        final int i = indexFor(name, reader, limits);
        if (i < 0)
        {
            return false;
        }
        if (values.get(i) == null)
        {
            values.set(i, t == JsonToken.VALUE_STRING ? new MutableTextBuffer() : t == JsonToken.START_ARRAY ? new MutableRawList() : new MutableRawJson());
        }
        final Object slot = values.get(i);
        if (slot instanceof MutableTextBuffer && t == JsonToken.VALUE_STRING)
        {
            final CharView text = reader.text();
            return ((MutableTextBuffer)slot).append(text.array(), text.offset(), text.length(), limits.maxTextChars());
        }
        if (slot instanceof MutableRawList && t == JsonToken.START_ARRAY)
        {
            boolean kept = true;
            ((MutableRawList)slot).markPresent();
            while (reader.next() != JsonToken.END_ARRAY)
            {
                kept &= reader.captureInto((MutableRawList)slot);
            }
            return kept;
        }
        if (slot instanceof MutableRawJson)
        {
            return reader.capture((MutableRawJson)slot);
        }
        // The provider changed the field's type mid-stream: keep the latest value, as a state.
        final MutableRawJson replacement = new MutableRawJson();
        values.set(i, replacement);
        return reader.capture(replacement);
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
            return false;
        }
        if (!(values.get(i) instanceof MutableRawJson))
        {
            values.set(i, new MutableRawJson());
        }
        return reader.capture((MutableRawJson)values.get(i));
    }

    /**
     * @return the position of field {@code name}, added with a null value for the caller to set when new; or -1
     * when it is new and {@link AggregationLimits#maxRawFields()} are already kept (the value is then skipped).
     */
    private int indexFor(final String name, final JsonReader reader, final AggregationLimits limits) throws JsonReader.BadPayload
    {
        final int i = names.indexOf(name);
        if (i >= 0)
        {
            return i;
        }
        if (names.size() >= limits.maxRawFields())
        {
            reader.skip();
            return -1;
        }
        names.add(name);
        values.add(null);
        return names.size() - 1;
    }

    public void write(final JsonGenerator g) throws IOException
    {
        for (int i = 0; i < names.size(); i++)
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
            else
            {
                ((MutableRawJson)v).write(g);
            }
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
            else
            {
                final MutableRawJson copy = new MutableRawJson();
                copy.copyFrom((MutableRawJson)v);
                values.add(copy);
            }
        }
    }
}
