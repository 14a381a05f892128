package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.parser.ErrorKind;

/**
 * What goes into a choice's parts and the listener events it fires: new parts under the per-choice limits,
 * text and argument fragments charged to the result budget, parts closing, token ids and logprobs. One per
 * aggregate, reached only through the {@link MutableAggregate} mutators so each event keeps one meaning.
 */
final class PartContent
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ResultBudget budget;
    private final LateData late;
    private final ToolArgumentCheck toolArguments;
    private final CharView view = new CharView();

    PartContent(final MutableAggregate aggregate, final AggregationLimits limits, final ResultBudget budget,
        final LateData late, final ToolArgumentCheck toolArguments)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.budget = budget;
        this.late = late;
        this.toolArguments = toolArguments;
    }

    MutablePart newPart(final MutableChoice choice, final MutablePart.Kind kind, final long wireIndex)
    {
        if (late.finishedForGood(choice))
        {
            late.report(choice, kind + " part");
            return null;
        }
        if (wireIndex > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "index " + wireIndex + " above " + limits.maxIndex());
            return null;
        }
        if (choice.partCount() >= limits.maxPartsPerChoice())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxPartsPerChoice() + " parts in choice " +
                choice.index());
            return null;
        }
        if (!budget.keepBytes(AggregationLimits.PART_BYTES))
        {
            budget.refused(kind + " part of choice " + choice.index());
            return null;
        }
        return choice.addPart(kind, wireIndex);
    }

    void appendText(final MutableChoice choice, final MutablePart.Kind kind, final char[] chars, final int offset, final int length)
    {
        if (late.finishedForGood(choice))
        {
            // An empty string after the finish (a repeated finish chunk) carries nothing: no part, no error.
            if (length > 0)
            {
                late.report(choice, kind.toString());
            }
            return;
        }
        MutablePart part = choice.lastPart();
        if (part == null || part.kind() != kind || part.isEnded())
        {
            part = newPart(choice, kind, -1);
            if (part == null)
            {
                return;
            }
        }
        appendText(choice, part, chars, offset, length);
    }

    void appendText(final MutableChoice choice, final MutablePart part, final char[] chars, final int offset, final int length)
    {
        final int kept = keep(choice, part, chars, offset, length, limits.maxTextChars());
        if (kept <= 0)
        {
            return;
        }
        final int ci = (int)choice.index();
        final StreamListener listener = aggregate.listener();
        view.wrap(chars, offset, kept);
        switch (part.kind())
        {
            case REASONING:
                listener.onReasoningDelta(ci, view);
                break;
            case REFUSAL:
                listener.onRefusalDelta(ci, view);
                break;
            case OTHER:
                // Opaque text (Bedrock's redacted reasoning): charged and kept like any content, read by nobody as it streams.
                break;
            default:
                listener.onTextDelta(ci, view);
        }
    }

    void appendArguments(final MutableChoice choice, final MutablePart call, final char[] chars, final int offset, final int length)
    {
        final int kept = keep(choice, call, chars, offset, length, limits.maxArgumentChars());
        if (kept > 0)
        {
            final StreamListener listener = aggregate.listener();
            listener.onToolCallArgumentsDelta((int)choice.index(), call.ordinal(), view.wrap(chars, offset, kept));
            if (listener.wantsToolArgumentFields() && !call.freeformArguments())
            {
                toolArguments.feed(choice, call, chars, offset, kept);
            }
        }
    }

    /**
     * Appends what {@code part} may keep of a fragment: nothing when it comes late (reported) or the part was already
     * cut; otherwise up to its own {@code limit} and the result's budget, saying once when its own limit cuts it.
     *
     * @return characters kept; 0 or less when none were.
     */
    private int keep(final MutableChoice choice, final MutablePart part, final char[] chars, final int offset, final int length,
        final int limit)
    {
        if (length > 0 && late.isLate(choice, part))
        {
            late.report(choice, part);
            return -1;
        }
        if (part.isTruncated())
        {
            return -1;
        }
        final int kept = budget.keep(part, length, limit);
        // Text, reasoning and refusal were heard as deltas; a call's arguments are handed over whole again at its end,
        // and opaque text (OTHER) is heard by nobody: those two stay in every fold.
        if (aggregate.keepsContent() || part.kind() == MutablePart.Kind.TOOL_CALL || part.kind() == MutablePart.Kind.OTHER)
        {
            part.text().appendFitted(chars, offset, kept);
        }
        else
        {
            part.dropped(chars, offset, kept);
        }
        if (kept < length && !part.overBudget())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, (part.kind() == MutablePart.Kind.TOOL_CALL ?
                "arguments of tool call " + part.ordinal() : part.kind() + " of choice " + choice.index()) + " longer than " +
                limit + " characters; the rest is dropped");
        }
        return kept;
    }

    void endPart(final MutableChoice choice, final MutablePart part, final Outcome outcome)
    {
        if (!part.isEnded())
        {
            part.end();
            if (part.isTruncated())
            {
                part.incomplete(part.overBudget() ? "cut at the result's limit of " + limits.maxResultChars() + " characters" :
                    "cut at the limit of " +
                    (part.kind() == MutablePart.Kind.TOOL_CALL ? limits.maxArgumentChars() : limits.maxTextChars()) +
                    " characters");
            }
            if (part.kind() == MutablePart.Kind.TOOL_CALL)
            {
                toolArguments.ended(part, outcome);
                aggregate.listener().onToolCallEnd((int)choice.index(), part.ordinal(), part);
            }
        }
    }

    void endAllParts(final MutableChoice choice, final Outcome outcome)
    {
        for (int i = 0; i < choice.partCount(); i++)
        {
            endPart(choice, choice.part(i), outcome);
        }
    }

    void tokenId(final MutableChoice choice, final long tokenId)
    {
        if (choice.tokenIdsHeard() >= limits.maxTokenIds())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxTokenIds() + " token ids in choice " +
                choice.index());
            return;
        }
        if (!aggregate.keepsContent())
        {
            choice.dropTokenId();
            aggregate.listener().onTokenId((int)choice.index(), tokenId);
        }
        else if (choice.addTokenId(tokenId))
        {
            aggregate.listener().onTokenId((int)choice.index(), tokenId);
        }
    }
}
