package io.streamfold.aggregator;

/** How a stream ended, or that it has not. */
public enum Outcome
{
    /** Still receiving. */
    IN_PROGRESS,
    /** The provider's terminal event arrived and every choice finished. */
    COMPLETE,
    /** The input ended before the provider said the response was complete. */
    TRUNCATED,
    /** The provider reported an error, or strict mode stopped at a malformed event. */
    ERROR
}
