package io.streamfold.aggregator.internal.dialect;

import io.streamfold.parser.Frame;

/**
 * Names payloads that look like OpenAI's terminal {@code [DONE]} without being it ({@code "[DONE] "},
 * {@code "[done]"}, {@code "DONE"}, {@code "[DONE]x"}), so the error says what was seen instead of a JSON
 * parser's complaint. Looked at only after a payload has failed to parse: it costs the common path nothing.
 * A near miss is not taken as the end of the stream (the provider did not send the marker).
 */
public final class DoneMarker
{
    /** Longer payloads are not near misses of a six-byte marker. */
    private static final int MAX_LENGTH = 64;

    private DoneMarker()
    {
    }

    /** @return a description of how {@code frame}'s payload misses {@code [DONE]}, or null when it does not look like it. */
    public static String nearMiss(final Frame frame)
    {
        final int length = frame.length();
        if (length == 0 || length > MAX_LENGTH)
        {
            return null;
        }
        final String payload = frame.payloadAsString();
        final String trimmed = payload.strip();
        final String seen = "payload '" + escape(payload) + "' is not the terminal event [DONE]";
        if ("[DONE]".equals(payload))
        {
            // The marker itself, in a format that has none (an Assistants stream's done event read as Anthropic's).
            return "payload '[DONE]' is OpenAI chat's terminal event, not this format's; not taken as the end of the stream";
        }
        if ("[DONE]".equals(trimmed))
        {
            return seen + " (whitespace around it); not taken as the end of the stream";
        }
        if ("[DONE]".equalsIgnoreCase(trimmed))
        {
            return seen + " (the marker is upper case); not taken as the end of the stream";
        }
        if ("DONE".equalsIgnoreCase(trimmed))
        {
            return seen + " (no brackets); not taken as the end of the stream";
        }
        if (trimmed.regionMatches(true, 0, "[DONE]", 0, 6))
        {
            return seen + " (more after the marker); not taken as the end of the stream";
        }
        return null;
    }

    private static String escape(final String s)
    {
        final StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F)
            {
                b.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        return b.toString();
    }
}
