package io.streamfold.aggregator.internal.fold;

/**
 * The {@link EventShape#COUNTER} of a learnt template, when its shape has one: where its digits lie in the learnt
 * bytes, which are counted up by one after each event the template folds (one digit more past all nines), so the
 * number every event carries is matched as literal bytes and costs no slot.
 */
final class TemplateCounter
{
    /** Most digits a counter holds: 19 would be longer than an integer slot takes. */
    private static final int MAX_DIGITS = 18;

    /** Where the digits lie in the learnt bytes; -1 when the shape has no counter. */
    private int at = -1;
    private int end;
    /** The counter needed a digit more than it can take: nothing matches until the next event is learnt. */
    private boolean spent;

    /**
     * Finds the counter among the learnt slots, if any: at most one, whose learnt value is a non-negative integer
     * without sign or leading zero of at most {@link #MAX_DIGITS} digits (counting up keeps it one).
     *
     * @param offset where the learnt event started in the array the slot offsets refer to
     * @param bytes  the learnt bytes (from the event's first byte)
     * @return false when the counter is not such a value (the event is not learnt).
     */
    boolean find(final int[] type, final int[] start, final int[] end, final int slotCount, final int offset, final byte[] bytes)
    {
        at = -1;
        spent = false;
        for (int s = 0; s < slotCount; s++)
        {
            if (type[s] != EventShape.COUNTER)
            {
                continue;
            }
            final int from = start[s] - offset;
            final int to = end[s] - offset;
            if (at >= 0 || to - from < 1 || to - from > MAX_DIGITS || (bytes[from] == '0' && to - from > 1))
            {
                return false;
            }
            for (int i = from; i < to; i++)
            {
                if (bytes[i] < '0' || bytes[i] > '9')
                {
                    return false;
                }
            }
            at = from;
            this.end = to;
        }
        return true;
    }

    /**
     * The matched (or learnt) event is folded: the learnt digits go up by one, for the next event, one digit more past
     * all nines. Where that cannot be (past {@link #MAX_DIGITS} digits, or an object slot whose brackets would move),
     * the counter is spent: the template matches nothing more (the next event is learnt again), while the slots of the
     * event just matched stay readable.
     */
    void countUp(final TemplatePieces pieces)
    {
        if (at < 0)
        {
            return;
        }
        final byte[] b = pieces.bytes;
        for (int i = end - 1; i >= at; i--)
        {
            if (b[i] != '9')
            {
                b[i]++;
                return;
            }
            b[i] = '0';
        }
        // All nines: a one before the zeros.
        if (end - at < MAX_DIGITS && pieces.insertLiteral(at, (byte)'1'))
        {
            end++;
            return;
        }
        spent = true;
    }

    /** @return whether the learnt shape has a counter. */
    boolean present()
    {
        return at >= 0;
    }

    /** @return whether the counter could not count up: the template matches nothing until it learns again. */
    boolean spent()
    {
        return spent;
    }
}
