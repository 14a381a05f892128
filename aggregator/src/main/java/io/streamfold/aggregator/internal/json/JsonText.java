package io.streamfold.aggregator.internal.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;

/**
 * Checks on JSON held as text, for writing a tool call's streamed arguments back as the JSON value the
 * provider's non-streaming response holds (Anthropic {@code input}, Bedrock {@code input}, Gemini
 * {@code args}) when, and only when, the joined fragments really form one. Output time only, never per chunk.
 */
public final class JsonText
{
    /** The nesting {@link #isOneValue} accepts: Jackson's default, which {@link JsonSyntaxCheck} callers match. */
    public static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText()
    {
    }

    /** @return true when the characters are exactly one JSON value, surrounding whitespace allowed. */
    public static boolean isOneValue(final char[] chars, final int offset, final int length)
    {
        try (JsonParser p = FACTORY.createParser(chars, offset, length))
        {
            if (p.nextToken() == null)
            {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** @return true when the text is exactly one JSON value. */
    public static boolean isOneValue(final MutableTextBuffer text)
    {
        return isOneValue(text.array(), 0, text.length());
    }

    /** @return true when the string is exactly one JSON value. */
    public static boolean isOneValue(final String text)
    {
        return isOneValue(text.toCharArray(), 0, text.length());
    }

    /**
     * Writes arguments text as the JSON value it holds; text that is not one JSON value (a call cut off by
     * the end of the stream) is written as a string, so the output is never broken JSON.
     */
    public static void write(final JsonGenerator g, final MutableTextBuffer text) throws IOException
    {
        if (isOneValue(text))
        {
            g.writeRawValue(text.array(), 0, text.length());
        }
        else
        {
            g.writeString(text.array(), 0, text.length());
        }
    }

    /** As {@link #write}, as field {@code field}; nothing at all when the text is empty. */
    public static void writeField(final JsonGenerator g, final String field, final MutableTextBuffer text) throws IOException
    {
        if (text.length() > 0)
        {
            g.writeFieldName(field);
            write(g, text);
        }
    }
}
