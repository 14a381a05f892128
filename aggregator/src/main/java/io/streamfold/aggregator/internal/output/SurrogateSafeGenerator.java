package io.streamfold.aggregator.internal.output;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

/**
 * Writes folded text that holds an unpaired UTF-16 surrogate. Such text is legal JSON input (a provider may
 * send {@code "\uD83D"} in one delta and {@code "\uDE00"} in the next, and one of them may be lost with a
 * skipped event), but it has no UTF-8 encoding, so Jackson refuses to write it and the whole result would be
 * lost. Here the string is written with each unpaired surrogate as a {@code \\uXXXX} escape: valid JSON that
 * reads back as exactly the text that was folded. Strings without one (all but pathological ones) take
 * Jackson's own path after a scan; rendering is once per result, never per event.
 *
 * <p>A field name with an unpaired surrogate (an unknown field kept raw) is written with U+FFFD in its place:
 * Jackson has no raw field-name call, and a name, unlike text, is not something a caller accumulates.
 */
public final class SurrogateSafeGenerator extends JsonGeneratorDelegate
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder escaped = new StringBuilder();

    /** @param generator where everything is written. */
    public SurrogateSafeGenerator(final JsonGenerator generator)
    {
        // false: copyCurrentStructure and friends call this class's write methods, not the delegate's.
        super(generator, false);
    }

    @Override
    public void writeString(final char[] text, final int offset, final int length) throws IOException
    {
        if (firstUnpaired(text, offset, length) < 0)
        {
            delegate.writeString(text, offset, length);
            return;
        }
        escaped.setLength(0);
        escaped.append('"');
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final char c = text[i];
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1]))
            {
                escaped.append(c).append(text[++i]);
            }
            else if (Character.isSurrogate(c) || c < 0x20)
            {
                appendEscape(c);
            }
            else if (c == '"' || c == '\\')
            {
                escaped.append('\\').append(c);
            }
            else
            {
                escaped.append(c);
            }
        }
        escaped.append('"');
        delegate.writeRawValue(escaped.toString());
    }

    @Override
    public void writeString(final String text) throws IOException
    {
        if (text == null || firstUnpaired(text) < 0)
        {
            delegate.writeString(text);
            return;
        }
        writeString(text.toCharArray(), 0, text.length());
    }

    @Override
    public void writeRawValue(final String json) throws IOException
    {
        delegate.writeRawValue(firstUnpaired(json) < 0 ? json : escapeUnpaired(json));
    }

    @Override
    public void writeRawValue(final char[] json, final int offset, final int length) throws IOException
    {
        if (firstUnpaired(json, offset, length) < 0)
        {
            delegate.writeRawValue(json, offset, length);
            return;
        }
        writeRawValue(new String(json, offset, length));
    }

    @Override
    public void writeRaw(final String json) throws IOException
    {
        delegate.writeRaw(firstUnpaired(json) < 0 ? json : escapeUnpaired(json));
    }

    @Override
    public void writeFieldName(final String name) throws IOException
    {
        delegate.writeFieldName(firstUnpaired(name) < 0 ? name : replaceUnpaired(name));
    }

    private void appendEscape(final char c)
    {
        escaped.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    /** @return the index of the first unpaired surrogate, or -1. */
    static int firstUnpaired(final char[] text, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final char c = text[i];
            if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1]))
                {
                    i++;
                }
                else
                {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int firstUnpaired(final String text)
    {
        for (int i = 0, end = text.length(); i < end; i++)
        {
            final char c = text.charAt(i);
            if (Character.isSurrogate(c))
            {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    i++;
                }
                else
                {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Raw JSON text is ASCII outside its string literals, so an unpaired surrogate in it stands inside a string,
     * where its escape means the same character.
     */
    private String escapeUnpaired(final String json)
    {
        escaped.setLength(0);
        for (int i = 0, end = json.length(); i < end; i++)
        {
            final char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(json.charAt(i + 1)))
            {
                escaped.append(c).append(json.charAt(++i));
            }
            else if (Character.isSurrogate(c))
            {
                appendEscape(c);
            }
            else
            {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String replaceUnpaired(final String name)
    {
        final char[] chars = name.toCharArray();
        int i;
        while ((i = firstUnpaired(chars, 0, chars.length)) >= 0)
        {
            chars[i] = '\uFFFD';
        }
        return new String(chars);
    }
}
