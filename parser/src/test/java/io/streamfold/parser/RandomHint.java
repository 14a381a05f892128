package io.streamfold.parser;

import java.util.Random;

import org.agrona.DirectBuffer;

/**
 * Answers for a test's line-end hint ({@code DataLineHint}) drawn at random within the hint's contract, which promises
 * only that no CR or LF lies before the index it answers: the framer must report the same whatever it is told.
 */
public final class RandomHint
{
    /** Kinds of answer {@link #answer} draws from: unknown, a byte short of the end, past the bytes, the end. */
    public static final int KINDS = 4;

    private RandomHint()
    {
    }

    /** @return the index of the first CR or LF in {@code [lineStart, to)}, or {@code to}. */
    public static int trueEnd(final DirectBuffer buffer, final int lineStart, final int to)
    {
        int end = lineStart;
        while (end < to && buffer.getByte(end) != '\n' && buffer.getByte(end) != '\r')
        {
            end++;
        }
        return end;
    }

    /**
     * @param kind 0: unknown (-1); 1: somewhere before the true end; 2: past the bytes available; any other: the true end.
     * @param end  the line's true end ({@link #trueEnd}).
     * @return an answer of that kind.
     */
    public static int answer(final int kind, final int lineStart, final int end, final int to, final Random hints)
    {
        switch (kind)
        {
            case 0:
                return -1;
            case 1:
                return end > lineStart ? end - 1 - hints.nextInt(end - lineStart) : -1;
            case 2:
                return to + hints.nextInt(3);
            default:
                return end;
        }
    }
}
