package io.streamfold.aggregator.internal.fold;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.Usage;

/**
 * Token usage as the provider reported it, merged field by field: a later report replaces the fields
 * it names and keeps the others. That one rule is right for every provider seen: OpenAI's single final
 * usage, vLLM's cumulative usage on every chunk (the last wins, never a sum), Anthropic's
 * {@code message_start} input counts followed by {@code message_delta}'s cumulative output count.
 * Every field is kept raw, unknown ones too; the normalized accessors read the provider's own names.
 */
public final class MutableUsage implements Usage
{
    private static final JsonFactory DETAIL_FACTORY = new JsonFactory();

    private final MutableRawFields fields = new MutableRawFields();
    private UsageKeys keys = UsageKeys.OPENAI_CHAT;
    private boolean present;

    public MutableUsage()
    {
    }

    public void keys(final UsageKeys keys)
    {
        this.keys = keys;
    }

    public void clear()
    {
        fields.clear();
        present = false;
    }

    public void markPresent()
    {
        present = true;
    }

    public MutableRawFields mutableFields()
    {
        return fields;
    }

    /** @return true once the stream reported any usage. */
    public boolean isPresent()
    {
        return present;
    }

    /** @return every usage field as the provider named it, merged. */
    public MutableRawFields fields()
    {
        return fields;
    }

    /** @return input (prompt) tokens, or -1 when not reported. */
    public long inputTokens()
    {
        return lookup(keys.input, keys.sumInput);
    }

    /** @return output (completion) tokens, or -1 when not reported. */
    public long outputTokens()
    {
        return lookup(keys.output, false);
    }

    /** @return total tokens as reported, or input + output when only those are, or -1. */
    public long totalTokens()
    {
        final long total = lookup(keys.total, false);
        if (total >= 0)
        {
            return total;
        }
        final long in = inputTokens();
        final long out = outputTokens();
        return in >= 0 && out >= 0 ? in + out : -1;
    }

    /** @return input tokens read from cache, or -1 when not reported. */
    public long cachedTokens()
    {
        return lookup(keys.cached, false);
    }

    /** @return reasoning (thinking) tokens, or -1 when not reported. */
    public long reasoningTokens()
    {
        return lookup(keys.reasoning, false);
    }

    private long lookup(final String[] paths, final boolean addUp)
    {
        long sum = -1;
        for (final String path : paths)
        {
            final long v = value(path);
            if (v >= 0)
            {
                if (!addUp)
                {
                    return v;
                }
                sum = sum < 0 ? v : sum + v;
            }
        }
        return sum;
    }

    private long value(final String path)
    {
        final int dot = path.indexOf('.');
        if (dot < 0)
        {
            final MutableRawJson v = fields.get(path);
            return v == null ? -1 : v.longValue(-1);
        }
        final MutableRawJson parent = fields.get(path.substring(0, dot));
        if (parent == null || parent.type() != MutableRawJson.Type.STRUCTURED)
        {
            return -1;
        }
        final String child = path.substring(dot + 1);
        try (JsonParser p = DETAIL_FACTORY.createParser(parent.structuredBytes(), 0, parent.structuredLength()))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = p.currentName();
                final JsonToken t = p.nextToken();
                if (name.equals(child) && t == JsonToken.VALUE_NUMBER_INT)
                {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
        }
        catch (final IOException e)
        {
            return -1;
        }
        return -1;
    }

    /**
     * @return why the provider's total does not add up to its parts, or null when it does (or when there is no
     * total to check).
     */
    String totalMismatch()
    {
        if (!present || keys.totalParts.length == 0 || keys.total.length == 0)
        {
            return null;
        }
        final long total = value(keys.total[0]);
        if (total < 0)
        {
            return null;
        }
        String mismatch = null;
        for (final String[] reading : keys.totalParts)
        {
            long sum = 0;
            boolean any = false;
            final StringBuilder parts = new StringBuilder();
            for (final String part : reading)
            {
                final long v = value(part);
                if (v >= 0)
                {
                    sum += v;
                    any = true;
                    parts.append(parts.length() == 0 ? "" : " + ").append(part).append(' ').append(v);
                }
            }
            if (!any || sum == total)
            {
                return null;
            }
            if (mismatch == null)
            {
                mismatch = "usage " + keys.total[0] + " " + total + " is not " + parts + " = " + sum;
            }
        }
        return mismatch;
    }

    @Override
    public String toString()
    {
        return fields.toString();
    }

    /** Becomes an independent copy of {@code other}. */
    public void copyFrom(final MutableUsage other)
    {
        fields.copyFrom(other.fields);
        keys = other.keys;
        present = other.present;
    }
}
