package io.streamfold.parser;

/**
 * What went wrong, for every error streamfold reports. One vocabulary for framing and aggregation so
 * that a gateway can log, count and alert on errors the same way whatever stage raised them.
 */
public enum ErrorKind
{
    /** A line (SSE, NDJSON) was longer than {@link FramingLimits#maxLineBytes()}; its event was skipped. */
    LINE_TOO_LONG,
    /** An event, element or message exceeded {@link FramingLimits#maxFrameBytes()}; it was skipped. */
    FRAME_TOO_LARGE,
    /** Bytes that break the framing itself: a streamed JSON array that is not an array, a bad eventstream prelude. */
    MALFORMED_FRAMING,
    /** Structures nested deeper than the configured limit. */
    NESTING_TOO_DEEP,
    /** A checksum (AWS eventstream CRC32) did not match; the message was dropped. */
    CHECKSUM_MISMATCH,
    /** The stream ended before it was complete: a partial frame, or no terminal event. */
    TRUNCATED,
    /** One event's payload was not valid JSON, or not the shape its dialect expects. */
    MALFORMED_JSON,
    /** A configured aggregation limit (argument bytes, choices, tool calls, index value) was exceeded. */
    LIMIT_EXCEEDED,
    /** The provider reported an error in the stream itself. */
    PROVIDER_ERROR,
    /**
     * A caller's listener callback threw; the message names the callback and the exception. The event was
     * still folded completely; the stream's outcome is not affected.
     */
    LISTENER_ERROR,
    /**
     * Text, reasoning or arguments for a block or choice that had already stopped or finished (or for an
     * output item the stream never opened): reported and not folded, so the finished answer cannot change.
     */
    LATE_DATA,
    /** The provider's usage does not add up: its total differs from the sum of its counts (the counts are kept). */
    INCONSISTENT_USAGE
}
