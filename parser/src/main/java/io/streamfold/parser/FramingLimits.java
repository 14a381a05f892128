package io.streamfold.parser;

/**
 * Bounds on what a framer will buffer. Memory held by a framer never exceeds a small constant plus
 * these limits, whatever bytes it is fed. Immutable; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code maxLineBytes} (default 16 MiB): longest SSE or NDJSON line, terminator excluded. As large as a frame
 *       by default: an SSE event's JSON is one line, and a generated image comes whole in one (Gemini's
 *       {@code inlineData}, 1.3 MB of base64 for one 1024x1024 PNG, 2 MB from Vertex; OpenAI's image results).
 *       An SSE framer holds at most a partial line, an event's data and name (within {@code maxFrameBytes}) and two
 *       event ids (the one being read and the last one): a gateway that wants less memory per stream lowers both.</li>
 *   <li>{@code maxFrameBytes} (default 16 MiB): largest SSE event (all its lines), JSON-array element
 *       or eventstream message.</li>
 *   <li>{@code maxNestingDepth} (default 1000): deepest JSON nesting the array framer tracks.</li>
 * </ul>
 */
public final class FramingLimits
{
    /** Default longest line: 16 MiB, as a frame (see the class comment). */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 << 20;
    /** Default largest frame: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
    /** Default deepest nesting: 1000, as Jackson's own default. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 1000;

    /** The defaults. */
    public static final FramingLimits DEFAULT = builder().build();

    private final int maxLineBytes;
    private final int maxFrameBytes;
    private final int maxNestingDepth;

    private FramingLimits(final Builder b)
    {
        this.maxLineBytes = b.maxLineBytes;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxNestingDepth = b.maxNestingDepth;
    }

    /** @return a builder starting from the defaults. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return longest line accepted, in bytes, terminator excluded. */
    public int maxLineBytes()
    {
        return maxLineBytes;
    }

    /** @return largest frame accepted, in bytes. */
    public int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    /** @return deepest JSON nesting accepted by framers that track it. */
    public int maxNestingDepth()
    {
        return maxNestingDepth;
    }

    @Override
    public String toString()
    {
        return "FramingLimits{maxLineBytes=" + maxLineBytes + ", maxFrameBytes=" + maxFrameBytes +
            ", maxNestingDepth=" + maxNestingDepth + '}';
    }

    /** Builder for {@link FramingLimits}. */
    public static final class Builder
    {
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;

        private Builder()
        {
        }

        /**
         * @param bytes longest line, at least 1.
         * @return this.
         */
        public Builder maxLineBytes(final int bytes)
        {
            maxLineBytes = positive("maxLineBytes", bytes);
            return this;
        }

        /**
         * @param bytes largest frame, at least 1.
         * @return this.
         */
        public Builder maxFrameBytes(final int bytes)
        {
            maxFrameBytes = positive("maxFrameBytes", bytes);
            return this;
        }

        /**
         * @param depth deepest nesting, at least 1.
         * @return this.
         */
        public Builder maxNestingDepth(final int depth)
        {
            maxNestingDepth = positive("maxNestingDepth", depth);
            return this;
        }

        /** @return the limits. */
        public FramingLimits build()
        {
            return new FramingLimits(this);
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
