package io.streamfold.aggregator.internal;

/** How an error caused by a defect in streamfold itself, rather than by the input, is told apart. */
public final class InternalErrors
{
    /** Messages of errors caused by a defect in streamfold itself start with this; fuzzers look for it. */
    public static final String PREFIX = "internal error: ";

    private InternalErrors()
    {
    }
}
