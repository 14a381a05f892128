package io.streamfold.aggregator.internal.dialect.anthropic;

import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.parser.Frame;

/**
 * The repeated block deltas on the shared fast path ({@link EventTemplate}): one learnt event per delta shape (text,
 * thinking, partial JSON, citation), kept until an event of that shape no longer matches it. A learnt delta folds as
 * the full path folds it (the block it names is looked up again), whatever came between, so deltas after a ping, a
 * citation or another block's deltas still take the fast path. The block index is literal while a kind of delta stays
 * in one block, and becomes a slot once that kind comes for a second block (a web search answer: many short text
 * blocks, each with its citations), so one learnt delta then serves every block.
 */
final class DeltaTemplates
{
    static final int TEXT_SHAPE = 0;
    static final int THINKING_SHAPE = 1;
    static final int PARTIAL_JSON_SHAPE = 2;
    static final int CITATION_SHAPE = 3;
    /** Each with the value that varies (slot 0). */
    private static final EventShape[] SHAPES = {
        EventShape.of(TEXT_SHAPE).string("delta", "text").build(),
        EventShape.of(THINKING_SHAPE).string("delta", "thinking").build(),
        EventShape.of(PARTIAL_JSON_SHAPE).string("delta", "partial_json").build(),
        EventShape.of(CITATION_SHAPE).raw("delta", "citation").build(),
    };
    /** The same with the block index as slot 1. */
    private static final int INDEX_SLOT = 1;
    private static final EventShape[] ANY_INDEX_SHAPES = {
        EventShape.of(TEXT_SHAPE).string("delta", "text").integer("index").build(),
        EventShape.of(THINKING_SHAPE).string("delta", "thinking").integer("index").build(),
        EventShape.of(PARTIAL_JSON_SHAPE).string("delta", "partial_json").integer("index").build(),
        EventShape.of(CITATION_SHAPE).raw("delta", "citation").integer("index").build(),
    };

    private final MutableAggregate aggregate;
    private final ContentBlocks blocks;
    private final EventTemplate[] templates = new EventTemplate[SHAPES.length];
    /** Per shape: the block index of the delta last learnt (-1: none yet), and whether one came for another block. */
    private final long[] learntIndex = new long[SHAPES.length];
    private final boolean[] anyIndex = new boolean[SHAPES.length];
    /** The template tried first: the one that matched or was learnt last. */
    private int last;

    DeltaTemplates(final MutableAggregate aggregate, final ContentBlocks blocks, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.blocks = blocks;
        for (int k = 0; k < templates.length; k++)
        {
            templates[k] = new EventTemplate(limits);
        }
        Arrays.fill(learntIndex, -1);
        enabled(EventTemplate.ENABLED);
    }

    /**
     * A new stream on the same aggregator: what was learnt is kept, with the block index each template holds. A learnt
     * delta folds as the full path folds it whatever came before it (see above), so a pooled aggregator's next stream,
     * whose deltas mostly repeat the last one's bytes, does not learn them again (learning is a tenth of a short
     * stream's cost); a delta that differs goes to the full path at its first differing byte, as in one stream.
     */
    void reset()
    {
        for (final EventTemplate t : templates)
        {
            t.newStream();
        }
    }

    /** Turns the fast path on or off (tests compare both). */
    void enabled(final boolean on)
    {
        for (final EventTemplate t : templates)
        {
            t.enabled(on);
        }
    }

    /** @return events folded by a template so far. */
    long matches()
    {
        long folds = 0;
        for (final EventTemplate t : templates)
        {
            folds += t.matches();
        }
        return folds;
    }

    /**
     * Learns a delta event the full path has just folded as its one effect.
     *
     * @param shape one of the shapes above (what {@link ContentBlocks#learnShape()} says).
     * @param index the block index the event named.
     * @param checked whether the byte scan read it, checking it whole (see {@code EventTemplate.learn}).
     */
    void learn(final Frame frame, final int shape, final long index, final boolean checked)
    {
        anyIndex[shape] |= learntIndex[shape] >= 0 && learntIndex[shape] != index;
        learntIndex[shape] = index;
        last = shape;
        templates[shape].learn(frame.buffer(), frame.offset(), frame.length(), anyIndex[shape] ? ANY_INDEX_SHAPES[shape] : SHAPES[shape],
            checked);
    }

    /**
     * Folds the event when it repeats a learnt delta around new values (the last template used tried first), as the
     * full path folds it. A negative block index is not one (the token reader refuses it): no template takes it.
     *
     * @return false when no template matches: the full path must read the event.
     */
    boolean foldRepeated(final Frame frame)
    {
        for (int k = 0; k < templates.length; k++)
        {
            final int shape = k == 0 ? last : k == last ? 0 : k;
            final EventTemplate t = templates[shape];
            // The template tried first answered the framer's hint on this very line, if it was asked: not matched again.
            if (t.match(frame.buffer(), frame.offset(), frame.length(), frame.streamOffset()))
            {
                return fold(t, shape);
            }
        }
        return false;
    }

    /**
     * The framer's line-end hint: the template tried first (the one used last) matches the data line, which its frame
     * then does not match again, whether it matched or not.
     */
    int matchLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        return templates[last].matchLine(src, from, to, lineOffset);
    }

    /** Folds the event the framer offers whole in place of its frame: the data line {@link #matchLine} matched last. */
    boolean foldHinted()
    {
        final EventTemplate t = templates[last];
        return t.matchHinted() && fold(t, last);
    }

    /** @return false, nothing changed, for a negative block index (not one: the token reader refuses it). */
    private boolean fold(final EventTemplate t, final int shape)
    {
        final boolean indexSlot = t.shape().slotCount() > INDEX_SLOT;
        final long index = indexSlot ? t.integer(INDEX_SLOT) : learntIndex[shape];
        if (index < 0)
        {
            return false;
        }
        last = shape;
        fold(t, shape, index);
        return true;
    }

    private void fold(final EventTemplate t, final int shape, final long index)
    {
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        switch (shape)
        {
            case TEXT_SHAPE:
                blocks.appendDelta(choice, index, MutablePart.Kind.TEXT, "text", t.stringChars(0), t.stringLength(0));
                break;
            case THINKING_SHAPE:
                blocks.appendDelta(choice, index, MutablePart.Kind.REASONING, "thinking", t.stringChars(0), t.stringLength(0));
                break;
            case PARTIAL_JSON_SHAPE:
                blocks.appendDelta(choice, index, MutablePart.Kind.TOOL_CALL, "partial_json", t.stringChars(0), t.stringLength(0));
                break;
            default:
                blocks.appendCitation(choice, index, t.input(), t.valueStart(0), t.valueEnd(0) - t.valueStart(0));
        }
    }
}
