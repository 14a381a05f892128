package io.streamfold.aggregator.internal.fold;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * The errors of one stream: the first {@link AggregationLimits#maxErrors()} kept in order, the rest only
 * counted, and the first limit error remembered because it decides the verdict.
 */
final class ErrorLog
{
    private final AggregationLimits limits;
    private final ArrayList<StreamError> kept = new ArrayList<>();
    private StreamError firstLimit;
    private int dropped;

    ErrorLog(final AggregationLimits limits)
    {
        this.limits = limits;
    }

    void keep(final StreamError error)
    {
        if (firstLimit == null && isLimit(error.kind()))
        {
            firstLimit = error;
        }
        if (kept.size() < limits.maxErrors())
        {
            kept.add(error);
        }
        else
        {
            dropped++;
        }
    }

    private static boolean isLimit(final ErrorKind kind)
    {
        return kind == ErrorKind.LIMIT_EXCEEDED || kind == ErrorKind.LINE_TOO_LONG ||
            kind == ErrorKind.FRAME_TOO_LARGE || kind == ErrorKind.NESTING_TOO_DEEP;
    }

    void clear()
    {
        kept.clear();
        firstLimit = null;
        dropped = 0;
    }

    void copyFrom(final ErrorLog other)
    {
        kept.addAll(other.kept);
        firstLimit = other.firstLimit;
        dropped = other.dropped;
    }

    /** @return the kept errors, read-only (allocates the view). */
    List<StreamError> kept()
    {
        return Collections.unmodifiableList(kept);
    }

    int dropped()
    {
        return dropped;
    }

    /** @return errors reported so far, kept or dropped. */
    int count()
    {
        return kept.size() + dropped;
    }

    /** @return the first error about a limit, or null. */
    StreamError firstLimit()
    {
        return firstLimit;
    }

    /** @return the last kept error's message, or empty. */
    String lastMessage()
    {
        return kept.isEmpty() ? "" : kept.get(kept.size() - 1).message();
    }

    /** @return the last kept {@link ErrorKind#TRUNCATED} error's message, or empty. */
    String lastTruncationMessage()
    {
        for (int i = kept.size() - 1; i >= 0; i--)
        {
            if (kept.get(i).kind() == ErrorKind.TRUNCATED)
            {
                return kept.get(i).message();
            }
        }
        return "";
    }
}
