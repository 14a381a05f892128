package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.parser.Frame;

/**
 * The repeated start of a plain text block, {@code {"type":"content_block_start","index":N,"content_block":{"type":"text",
 * "text":""}}}, on the shared fast path ({@link EventTemplate}): a web search answer opens a text block for every cited
 * sentence, {@code {"citations":[],"type":"text","text":""}} for the cited ones and the plain form between them, so each
 * form has its template. Learnt from one the byte scan folded whose block held exactly those members; a match folds as
 * {@link BlockStarts#startTextBlock} (what the full path does with such a block), with the index and text as slots.
 * Kept across a pooled aggregator's streams, as {@link DeltaTemplates} are.
 */
final class TextBlockStarts
{
    private static final EventShape SHAPE = EventShape.of(0).string("content_block", "text").integer("index").build();
    private static final int TEXT_SLOT = 0;
    private static final int INDEX_SLOT = 1;
    private static final int PLAIN = 0;
    private static final int CITED = 1;

    private final BlockStarts starts;
    /** The plain form's template and the cited form's (its empty citations array literal bytes of it). */
    private final EventTemplate[] templates = new EventTemplate[2];
    /** The template tried first: the one that matched or was learnt last. */
    private int last;
    /** An event longer than this could hold a block the full path finds too large: it goes there. */
    private final int maxRawBytes;

    TextBlockStarts(final BlockStarts starts, final AggregationLimits limits)
    {
        this.starts = starts;
        templates[PLAIN] = new EventTemplate(limits);
        templates[CITED] = new EventTemplate(limits);
        maxRawBytes = limits.maxRawBytes();
    }

    /** A new stream on the same aggregator: what was learnt is kept (see {@link DeltaTemplates#reset}). */
    void reset()
    {
        templates[PLAIN].newStream();
        templates[CITED].newStream();
    }

    /** Turns the fast path on or off (tests compare both). */
    void enabled(final boolean on)
    {
        templates[PLAIN].enabled(on);
        templates[CITED].enabled(on);
    }

    /** @return events folded by the templates so far. */
    long matches()
    {
        return templates[PLAIN].matches() + templates[CITED].matches();
    }

    /**
     * Learns a plain text block start the byte scan has just folded as its one effect.
     *
     * @param cited whether its block was the cited form ({@link BlockStarts#cited()}).
     */
    void learn(final Frame frame, final boolean cited)
    {
        last = cited ? CITED : PLAIN;
        // The scan checked it whole.
        templates[last].learn(frame.buffer(), frame.offset(), frame.length(), SHAPE, true);
    }

    /**
     * Folds the event when it repeats a learnt block start around a new index and text, as the full path folds it.
     *
     * @return false when it does not: the full path must read the event.
     */
    boolean foldRepeated(final Frame frame)
    {
        if (frame.length() > maxRawBytes)
        {
            return false;
        }
        int form = last;
        EventTemplate template = templates[form];
        if (!template.match(frame.buffer(), frame.offset(), frame.length()))
        {
            form ^= 1;
            template = templates[form];
            if (!template.match(frame.buffer(), frame.offset(), frame.length()))
            {
                return false;
            }
        }
        // A negative index, "-0" included, is left to the full path, which decides (the byte scan refuses a sign).
        final long index = template.integer(INDEX_SLOT);
        if (index < 0 || template.input()[template.valueStart(INDEX_SLOT)] == '-')
        {
            return false;
        }
        last = form;
        starts.startTextBlock(index, form == CITED, template.stringChars(TEXT_SLOT), template.stringLength(TEXT_SLOT));
        return true;
    }
}
