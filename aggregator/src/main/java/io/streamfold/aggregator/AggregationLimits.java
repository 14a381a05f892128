package io.streamfold.aggregator;

import io.streamfold.parser.FramingLimits;

/**
 * Every bound an aggregator enforces, so that memory stays proportional to these numbers whatever a
 * stream claims. Hitting one gives an {@link io.streamfold.parser.ErrorKind#LIMIT_EXCEEDED} error and
 * the offending part is truncated or skipped; the rest of the stream is still folded. Immutable.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>bounds</th></tr>
 *   <tr><td>framing</td><td>{@link FramingLimits#DEFAULT}</td><td>line, frame size, array nesting</td></tr>
 *   <tr><td>maxChoices</td><td>128</td><td>choices / candidates per stream</td></tr>
 *   <tr><td>maxPartsPerChoice</td><td>1024</td><td>tool calls and content blocks per choice</td></tr>
 *   <tr><td>maxIndex</td><td>1,000,000</td><td>largest accepted choice, tool-call or block index value
 *       (indexes are keys, never array sizes, so even a larger limit allocates nothing)</td></tr>
 *   <tr><td>maxTextChars</td><td>64 Mi</td><td>characters in one text, reasoning or refusal</td></tr>
 *   <tr><td>maxArgumentChars</td><td>16 Mi</td><td>characters in one tool call's arguments</td></tr>
 *   <tr><td>maxTokenIds</td><td>16 Mi</td><td>token ids kept per choice</td></tr>
 *   <tr><td>maxRawBytes</td><td>16 MiB</td><td>bytes of one kept raw JSON value (unknown fields, logprobs)</td></tr>
 *   <tr><td>maxRawFields</td><td>256</td><td>distinct unknown fields kept per object</td></tr>
 *   <tr><td>maxNestingDepth</td><td>200</td><td>JSON nesting inside one event</td></tr>
 *   <tr><td>maxNumberLength</td><td>4096</td><td>characters in one JSON number; under 1000 (what the byte scans
 *       accept) every dialect's repeated-event fast path and byte scans stay off, so that nothing they fold holds a
 *       number the parser would refuse: results are the same, only slower</td></tr>
 *   <tr><td>maxErrors</td><td>1000</td><td>errors kept in the result (later ones still reach the listener, and are counted)</td></tr>
 *   <tr><td>maxResultChars</td><td>8 Mi</td><td>characters of text, reasoning, refusal and tool-call arguments kept
 *       across all parts and choices of one result</td></tr>
 *   <tr><td>maxResultBytes</td><td>8 MiB</td><td>bytes kept for one result besides its content characters: each
 *       part and choice is charged {@value #PART_BYTES} bytes, each kept raw or unknown delta field 128, and the
 *       buffers of raw values, metadata, token ids, logprob entries and delta fields as they grow</td></tr>
 *   <tr><td>maxPooledBytes</td><td>4 MiB</td><td>buffer capacity a reused aggregator keeps across a reset; above it,
 *       the reset drops its choices, parts and buffers</td></tr>
 * </table>
 */
public final class AggregationLimits
{
    /** What one part or choice is charged against {@link #maxResultBytes()}: above its real heap footprint. */
    public static final int PART_BYTES = 1024;

    /** The defaults. */
    public static final AggregationLimits DEFAULT = builder().build();

    private final FramingLimits framing;
    private final int maxChoices;
    private final int maxPartsPerChoice;
    private final long maxIndex;
    private final int maxTextChars;
    private final int maxArgumentChars;
    private final int maxTokenIds;
    private final int maxRawBytes;
    private final int maxRawFields;
    private final int maxNestingDepth;
    private final int maxNumberLength;
    private final int maxErrors;
    private final long maxResultChars;
    private final long maxResultBytes;
    private final long maxPooledBytes;

    private AggregationLimits(final Builder b)
    {
        framing = b.framing;
        maxChoices = b.maxChoices;
        maxPartsPerChoice = b.maxPartsPerChoice;
        maxIndex = b.maxIndex;
        maxTextChars = b.maxTextChars;
        maxArgumentChars = b.maxArgumentChars;
        maxTokenIds = b.maxTokenIds;
        maxRawBytes = b.maxRawBytes;
        maxRawFields = b.maxRawFields;
        maxNestingDepth = b.maxNestingDepth;
        maxNumberLength = b.maxNumberLength;
        maxErrors = b.maxErrors;
        maxResultChars = b.maxResultChars;
        maxResultBytes = b.maxResultBytes;
        maxPooledBytes = b.maxPooledBytes;
    }

    /** @return a builder starting from the defaults. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the framing limits (line, frame, array nesting). */
    public FramingLimits framing()
    {
        return framing;
    }

    /** @return most choices / candidates kept. */
    public int maxChoices()
    {
        return maxChoices;
    }

    /** @return most tool calls and content blocks kept per choice. */
    public int maxPartsPerChoice()
    {
        return maxPartsPerChoice;
    }

    /** @return largest index value accepted for a choice, tool call or block. */
    public long maxIndex()
    {
        return maxIndex;
    }

    /** @return most characters in one text, reasoning or refusal. */
    public int maxTextChars()
    {
        return maxTextChars;
    }

    /** @return most characters in one tool call's arguments. */
    public int maxArgumentChars()
    {
        return maxArgumentChars;
    }

    /** @return most token ids kept per choice. */
    public int maxTokenIds()
    {
        return maxTokenIds;
    }

    /** @return most bytes in one kept raw JSON value. */
    public int maxRawBytes()
    {
        return maxRawBytes;
    }

    /** @return most distinct unknown fields kept per object. */
    public int maxRawFields()
    {
        return maxRawFields;
    }

    /** @return deepest JSON nesting accepted inside one event. */
    public int maxNestingDepth()
    {
        return maxNestingDepth;
    }

    /** @return most characters in one JSON number. */
    public int maxNumberLength()
    {
        return maxNumberLength;
    }

    /** @return most errors kept in the result; later ones still reach the listener and are counted. */
    public int maxErrors()
    {
        return maxErrors;
    }

    /**
     * @return most characters of text, reasoning, refusal and tool-call arguments kept across all parts and choices
     * of one result: per-part limits alone do not bound a stream that keeps starting new parts.
     */
    public long maxResultChars()
    {
        return maxResultChars;
    }

    /**
     * @return most bytes kept for one result besides its content characters: {@link #PART_BYTES} per part and choice,
     * a fixed cost per kept raw field, and the growth of the buffers holding raw values, metadata, token ids, logprob
     * entries and unknown delta fields (growth, so a value replaced in every chunk is charged once).
     */
    public long maxResultBytes()
    {
        return maxResultBytes;
    }

    /**
     * @return most bytes of buffer capacity and objects a reused aggregator keeps from earlier streams across
     * {@code reset()}; a reset above it drops them, so the next stream starts from empty buffers.
     */
    public long maxPooledBytes()
    {
        return maxPooledBytes;
    }

    /** Builder for {@link AggregationLimits}; every value must be at least 1. */
    public static final class Builder
    {
        private FramingLimits framing = FramingLimits.DEFAULT;
        private int maxChoices = 128;
        private int maxPartsPerChoice = 1024;
        private long maxIndex = 1_000_000;
        private int maxTextChars = 64 << 20;
        private int maxArgumentChars = 16 << 20;
        private int maxTokenIds = 16 << 20;
        private int maxRawBytes = 16 << 20;
        private int maxRawFields = 256;
        private int maxNestingDepth = 200;
        private int maxNumberLength = 4096;
        private int maxErrors = 1000;
        private long maxResultChars = 8L << 20;
        private long maxResultBytes = 8L << 20;
        private long maxPooledBytes = 4L << 20;

        private Builder()
        {
        }

        /** @param limits framing limits. @return this. */
        public Builder framing(final FramingLimits limits)
        {
            framing = java.util.Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** @param n most choices. @return this. */
        public Builder maxChoices(final int n)
        {
            maxChoices = positive("maxChoices", n);
            return this;
        }

        /** @param n most tool calls / blocks per choice. @return this. */
        public Builder maxPartsPerChoice(final int n)
        {
            maxPartsPerChoice = positive("maxPartsPerChoice", n);
            return this;
        }

        /** @param n largest index value. @return this. */
        public Builder maxIndex(final long n)
        {
            if (n < 1)
            {
                throw new IllegalArgumentException("maxIndex must be at least 1: " + n);
            }
            maxIndex = n;
            return this;
        }

        /** @param n most characters per text. @return this. */
        public Builder maxTextChars(final int n)
        {
            maxTextChars = positive("maxTextChars", n);
            return this;
        }

        /** @param n most characters per tool call's arguments. @return this. */
        public Builder maxArgumentChars(final int n)
        {
            maxArgumentChars = positive("maxArgumentChars", n);
            return this;
        }

        /** @param n most token ids per choice. @return this. */
        public Builder maxTokenIds(final int n)
        {
            maxTokenIds = positive("maxTokenIds", n);
            return this;
        }

        /** @param n most bytes per raw JSON value. @return this. */
        public Builder maxRawBytes(final int n)
        {
            maxRawBytes = positive("maxRawBytes", n);
            return this;
        }

        /** @param n most unknown fields per object. @return this. */
        public Builder maxRawFields(final int n)
        {
            maxRawFields = positive("maxRawFields", n);
            return this;
        }

        /** @param n deepest JSON nesting in one event. @return this. */
        public Builder maxNestingDepth(final int n)
        {
            maxNestingDepth = positive("maxNestingDepth", n);
            return this;
        }

        /**
         * @param n most characters in one JSON number; under 1000 the fast paths stay off (same results, slower).
         * @return this.
         */
        public Builder maxNumberLength(final int n)
        {
            maxNumberLength = positive("maxNumberLength", n);
            return this;
        }

        /** @param n most errors kept in the result. @return this. */
        public Builder maxErrors(final int n)
        {
            maxErrors = positive("maxErrors", n);
            return this;
        }

        /** @param n most characters of content kept across one whole result. @return this. */
        public Builder maxResultChars(final long n)
        {
            maxResultChars = positive("maxResultChars", n);
            return this;
        }

        /** @param n most bytes kept for one whole result besides content, at least {@link #PART_BYTES}. @return this. */
        public Builder maxResultBytes(final long n)
        {
            if (n < PART_BYTES)
            {
                throw new IllegalArgumentException("maxResultBytes must be at least " + PART_BYTES + ": " + n);
            }
            maxResultBytes = n;
            return this;
        }

        /** @param n most bytes of buffers a reused aggregator keeps across a reset. @return this. */
        public Builder maxPooledBytes(final long n)
        {
            maxPooledBytes = positive("maxPooledBytes", n);
            return this;
        }

        /** @return the limits. */
        public AggregationLimits build()
        {
            return new AggregationLimits(this);
        }

        private static long positive(final String name, final long value)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }

        private static int positive(final String name, final int value)
        {
            if (value < 1)
            {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }
    }
}
