package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;

/**
 * A top-level field the fast path keeps again on every chunk (OpenAI's {@code obfuscation}, TGI's {@code created}):
 * where it sits among the aggregate's metadata is remembered rather than searched by name each time (a hint,
 * checked before use).
 */
final class MetaField
{
    private String name;
    private int index = -1;

    /** Names the field (its place is looked up again). */
    void name(final String name)
    {
        if (!name.equals(this.name))
        {
            this.name = name;
            index = -1;
        }
    }

    String name()
    {
        return name;
    }

    /** @return the field's value in {@code meta}, or null when it has none yet. */
    MutableRawJson in(final MutableRawFields meta)
    {
        final MutableRawJson value = meta.valueAtIfNamed(index, name);
        if (value != null)
        {
            return value;
        }
        index = meta.indexOf(name);
        return index < 0 ? null : meta.get(name);
    }
}
