package io.streamfold.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.parser.FramingLimits;
import picocli.CommandLine.Option;

/**
 * {@code --limit NAME=SIZE}, repeatable: any of the library's limits by the name its builder gives it (the framing
 * ones as {@code framing.maxLineBytes}...), so that a stream a default refuses (an image larger than a line, more
 * choices) can be folded from the command line too. Sizes take a binary suffix: {@code 32Mi}, {@code 64k}.
 */
final class LimitsOption
{
    /** Every name {@code --limit} takes, for its help and its error. */
    static final String NAMES = "framing.maxLineBytes, framing.maxFrameBytes, framing.maxNestingDepth, maxChoices, " +
        "maxPartsPerChoice, maxIndex, maxTextChars, maxArgumentChars, maxTokenIds, maxRawBytes, maxRawFields, " +
        "maxNestingDepth, maxNumberLength, maxErrors, maxResultChars, maxResultBytes, maxPooledBytes";

    @Option(
        names = "--limit",
        paramLabel = "NAME=SIZE",
        description = "Raise or lower one limit (repeatable): " + NAMES + ". SIZE may end in k, Ki, m, Mi, g or Gi " +
            "(binary multiples), e.g. --limit framing.maxLineBytes=64Mi.")
    private Map<String, String> limits = new LinkedHashMap<>();

    /** A {@code --limit} that names no limit or no valid size: a usage error. */
    static final class BadLimit extends IllegalArgumentException
    {
        private static final long serialVersionUID = 1L;

        BadLimit(final String message)
        {
            super(message);
        }
    }

    /** @return the defaults with every {@code --limit} applied. @throws BadLimit for a wrong name or size. */
    AggregationLimits aggregation()
    {
        final AggregationLimits.Builder b = AggregationLimits.builder().framing(framing());
        apply(false, null, b);
        return b.build();
    }

    /** @return the framing defaults with every {@code --limit framing.*} applied. @throws BadLimit as above. */
    FramingLimits framing()
    {
        final FramingLimits.Builder b = FramingLimits.builder();
        apply(true, b, null);
        return b.build();
    }

    /** Applies the framing ones or the others, a builder's own refusal (a size of 0) told as a wrong limit. */
    private void apply(final boolean framingOnes, final FramingLimits.Builder f, final AggregationLimits.Builder a)
    {
        for (final Map.Entry<String, String> e : limits.entrySet())
        {
            final String name = e.getKey();
            if (name.startsWith("framing.") != framingOnes)
            {
                continue;
            }
            final long v = size(name, e.getValue());
            try
            {
                set(name, v, f, a);
            }
            catch (final BadLimit ex)
            {
                throw ex;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new BadLimit("--limit " + name + ": " + ex.getMessage());
            }
        }
    }

    private static void set(final String name, final long v, final FramingLimits.Builder f, final AggregationLimits.Builder a)
    {
        switch (name)
        {
            case "framing.maxLineBytes": f.maxLineBytes(toInt(name, v)); break;
            case "framing.maxFrameBytes": f.maxFrameBytes(toInt(name, v)); break;
            case "framing.maxNestingDepth": f.maxNestingDepth(toInt(name, v)); break;
            case "maxChoices": a.maxChoices(toInt(name, v)); break;
            case "maxPartsPerChoice": a.maxPartsPerChoice(toInt(name, v)); break;
            case "maxIndex": a.maxIndex(v); break;
            case "maxTextChars": a.maxTextChars(toInt(name, v)); break;
            case "maxArgumentChars": a.maxArgumentChars(toInt(name, v)); break;
            case "maxTokenIds": a.maxTokenIds(toInt(name, v)); break;
            case "maxRawBytes": a.maxRawBytes(toInt(name, v)); break;
            case "maxRawFields": a.maxRawFields(toInt(name, v)); break;
            case "maxNestingDepth": a.maxNestingDepth(toInt(name, v)); break;
            case "maxNumberLength": a.maxNumberLength(toInt(name, v)); break;
            case "maxErrors": a.maxErrors(toInt(name, v)); break;
            case "maxResultChars": a.maxResultChars(v); break;
            case "maxResultBytes": a.maxResultBytes(v); break;
            case "maxPooledBytes": a.maxPooledBytes(v); break;
            default: throw unknown(name);
        }
    }

    private static BadLimit unknown(final String name)
    {
        return new BadLimit("--limit: no limit named '" + name + "'; one of " + NAMES);
    }

    private static long size(final String name, final String value)
    {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        int end = v.length();
        long unit = 1;
        if (v.endsWith("ki") || v.endsWith("mi") || v.endsWith("gi"))
        {
            end -= 2;
            unit = unitOf(v.charAt(end));
        }
        else if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g"))
        {
            end -= 1;
            unit = unitOf(v.charAt(end));
        }
        try
        {
            final long n = Long.parseLong(v.substring(0, end));
            if (n < 0 || n > Long.MAX_VALUE / unit)
            {
                throw new NumberFormatException("out of range");
            }
            return n * unit;
        }
        catch (final NumberFormatException e)
        {
            throw new BadLimit("--limit " + name + ": '" + value +
                "' is no size (a whole number, optionally ending in k, Ki, m, Mi, g or Gi)");
        }
    }

    private static long unitOf(final char c)
    {
        return c == 'k' ? 1L << 10 : c == 'm' ? 1L << 20 : 1L << 30;
    }

    private static int toInt(final String name, final long v)
    {
        if (v > Integer.MAX_VALUE)
        {
            throw new BadLimit("--limit " + name + ": " + v + " is above " +
                Integer.MAX_VALUE);
        }
        return (int)v;
    }
}
