package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.parser.Frame;

/**
 * The repeated start of a plain text block, {@code {"type":"content_block_start","index":N,"content_block":{"type":"text",
 * "text":""}}}, on the shared fast path ({@link EventTemplate}): a web search answer opens a text block for every cited
 * sentence. Learnt from one the byte scan folded whose block held exactly those two members; a match folds as
 * {@link BlockStarts#startTextBlock} (what the full path does with such a block), with the index and text as slots.
 * Kept across a pooled aggregator's streams, as {@link DeltaTemplates} are.
 */
final class TextBlockStarts
{
    private static final EventShape SHAPE = EventShape.of(0).string("content_block", "text").integer("index").build();
    private static final int TEXT_SLOT = 0;
    private static final int INDEX_SLOT = 1;

    private final BlockStarts starts;
    private final EventTemplate template;
    /** An event longer than this could hold a block the full path finds too large: it goes there. */
    private final int maxRawBytes;

    TextBlockStarts(final BlockStarts starts, final AggregationLimits limits)
    {
        this.starts = starts;
        template = new EventTemplate(limits);
        maxRawBytes = limits.maxRawBytes();
    }

    /** A new stream on the same aggregator: what was learnt is kept (see {@link DeltaTemplates#reset}). */
    void reset()
    {
        template.newStream();
    }

    /** Turns the fast path on or off (tests compare both). */
    void enabled(final boolean on)
    {
        template.enabled(on);
    }

    /** @return events folded by the template so far. */
    long matches()
    {
        return template.matches();
    }

    /** Learns a plain text block start the byte scan has just folded as its one effect. */
    void learn(final Frame frame)
    {
        template.learn(frame.buffer(), frame.offset(), frame.length(), SHAPE);
    }

    /**
     * Folds the event when it repeats the learnt block start around a new index and text, as the full path folds it.
     *
     * @return false when it does not: the full path must read the event.
     */
    boolean foldRepeated(final Frame frame)
    {
        if (frame.length() > maxRawBytes || !template.match(frame.buffer(), frame.offset(), frame.length()))
        {
            return false;
        }
        // A negative index, "-0" included, is left to the full path, which decides (the byte scan refuses a sign).
        final long index = template.integer(INDEX_SLOT);
        if (index < 0 || template.input()[template.valueStart(INDEX_SLOT)] == '-')
        {
            return false;
        }
        starts.startTextBlock(index, template.stringChars(TEXT_SLOT), template.stringLength(TEXT_SLOT));
        return true;
    }
}
