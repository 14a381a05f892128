package io.streamfold.aggregator.model;

import java.io.IOException;
import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * Unknown fields of a streamed delta, folded by the only rule that fits deltas without knowing them:
 * strings are increments and are joined, arrays are increments and are concatenated, anything else
 * (numbers, objects) is a state and the last non-null value wins. Written back in first-seen order.
 */
public final class DeltaFields
{
    private final ArrayList<String> names = new ArrayList<>();
    private final ArrayList<Object> values = new ArrayList<>();

    public DeltaFields()
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
        if (v instanceof TextBuffer)
        {
            return RawJson.quote((TextBuffer)v);
        }
        return v instanceof RawList ? ((RawList)v).json() : ((RawJson)v).json();
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
        int i = names.indexOf(name);
        if (i < 0)
        {
            if (names.size() >= limits.maxRawFields())
            {
                reader.skip();
                return false;
            }
            names.add(name);
            values.add(t == JsonToken.VALUE_STRING ? new TextBuffer() : t == JsonToken.START_ARRAY ? new RawList() : new RawJson());
            i = names.size() - 1;
        }
        final Object slot = values.get(i);
        if (slot instanceof TextBuffer && t == JsonToken.VALUE_STRING)
        {
            final CharView text = reader.text();
            return ((TextBuffer)slot).append(text.array(), text.offset(), text.length(), limits.maxTextChars());
        }
        if (slot instanceof RawList && t == JsonToken.START_ARRAY)
        {
            boolean kept = true;
            ((RawList)slot).markPresent();
            while (reader.next() != JsonToken.END_ARRAY)
            {
                kept &= reader.captureInto((RawList)slot);
            }
            return kept;
        }
        if (slot instanceof RawJson)
        {
            return reader.capture((RawJson)slot);
        }
        // The provider changed the field's type mid-stream: keep the latest value, as a state.
        final RawJson replacement = new RawJson();
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
        int i = names.indexOf(name);
        if (i < 0)
        {
            if (names.size() >= limits.maxRawFields())
            {
                reader.skip();
                return false;
            }
            names.add(name);
            values.add(new RawJson());
            i = names.size() - 1;
        }
        else if (!(values.get(i) instanceof RawJson))
        {
            values.set(i, new RawJson());
        }
        return reader.capture((RawJson)values.get(i));
    }

    public void write(final JsonGenerator g) throws IOException
    {
        for (int i = 0; i < names.size(); i++)
        {
            g.writeFieldName(names.get(i));
            final Object v = values.get(i);
            if (v instanceof TextBuffer)
            {
                final TextBuffer text = (TextBuffer)v;
                g.writeString(text.array(), 0, text.length());
            }
            else if (v instanceof RawList)
            {
                ((RawList)v).write(g);
            }
            else
            {
                ((RawJson)v).write(g);
            }
        }
    }
}
