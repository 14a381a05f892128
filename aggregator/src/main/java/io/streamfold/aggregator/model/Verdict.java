package io.streamfold.aggregator.model;

/**
 * One reason for the whole result: why it stopped, or that it has not. More precise than
 * {@link io.streamfold.aggregator.Outcome}: it tells a length stop from a content filter, and a cut inside an
 * event from a missing terminal event.
 *
 * <p>Precedence when several apply: a provider error, then a limit that cut the result, then a malformed stream
 * (strict mode), then truncation, then the choices' stop reasons (with several choices, the first of
 * CONTENT_FILTER, PROVIDER_ERROR, LENGTH, TOOL_CALLS, OTHER, COMPLETE that any choice has).
 */
public interface Verdict
{
    /** How a truncated stream was cut. */
    enum Truncation
    {
        /** Not truncated. */
        NONE,
        /** The bytes stopped inside an event. */
        MID_EVENT,
        /** Every choice finished but the provider's terminal event never came. */
        TERMINAL_EVENT_MISSING,
        /** A choice never finished. */
        CHOICE_UNFINISHED
    }

    /** @return the normalized reason. */
    StopReason reason();

    /** @return how the stream was cut when {@link #reason()} is TRUNCATED, else NONE. */
    Truncation truncation();

    /** @return the provider's own finish word the reason was mapped from, or empty. */
    CharSequence providerReason();

    /** @return the provider's error object for PROVIDER_ERROR when the stream carried one, else ABSENT. */
    RawJson providerError();

    /** @return a human-readable detail (which limit, what was missing, the error message), or empty. */
    String detail();
}
