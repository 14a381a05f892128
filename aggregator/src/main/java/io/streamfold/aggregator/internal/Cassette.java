package io.streamfold.aggregator.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.internal.json.Utf8Check;

/**
 * Recorded "cassettes" (a JSON object whose {@code response.body} is the array of streamed chunks, each
 * under {@code __data__}, as the project's seed stream) turned back into the SSE bytes the provider sent:
 * {@code data: <chunk>} and a blank line per chunk. Chunks are copied byte for byte, never re-serialized.
 * Not for hot paths.
 */
public final class Cassette
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private Cassette()
    {
    }

    /**
     * @param bytes the start of a stream.
     * @param length how many bytes to look at.
     * @return true when the bytes look like a cassette: a JSON object with a {@code "response"} field
     * and {@code "__data__"} chunks, rather than a stream.
     */
    public static boolean looksLikeCassette(final byte[] bytes, final int length)
    {
        int i = 0;
        while (i < length && Character.isWhitespace(bytes[i]))
        {
            i++;
        }
        if (i >= length || bytes[i] != '{')
        {
            return false;
        }
        final String head = new String(bytes, i, Math.min(length - i, 1 << 20), StandardCharsets.UTF_8);
        return head.contains("\"__data__\"") && head.contains("\"response\"");
    }

    /**
     * @param json a cassette.
     * @return the SSE body it records.
     * @throws IOException when it is not valid JSON or has no {@code response.body} array.
     */
    public static byte[] toSse(final byte[] json) throws IOException
    {
        // JSON text is UTF-8; the parser would decode some ill-formed sequences (C0 AF as '/') into the body.
        final int malformed = Utf8Check.firstMalformed(json, 0, json.length);
        if (malformed >= 0)
        {
            throw new IOException("the cassette is not well-formed UTF-8 (" +
                Utf8Check.describe(json, malformed, json.length) + " at byte " + malformed + ")");
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        try (JsonParser p = FACTORY.createParser(json))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                throw new IOException("a cassette is a JSON object");
            }
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = p.currentName();
                p.nextToken();
                if ("response".equals(name) && p.currentToken() == JsonToken.START_OBJECT)
                {
                    while (p.nextToken() == JsonToken.FIELD_NAME)
                    {
                        final String field = p.currentName();
                        p.nextToken();
                        if ("body".equals(field) && p.currentToken() == JsonToken.START_ARRAY)
                        {
                            found = true;
                            readBody(p, json, out);
                        }
                        else
                        {
                            p.skipChildren();
                        }
                    }
                }
                else
                {
                    p.skipChildren();
                }
            }
            if (!found)
            {
                throw new IOException("no response.body array in the cassette");
            }
        }
        return out.toByteArray();
    }

    private static void readBody(final JsonParser p, final byte[] json, final ByteArrayOutputStream out) throws IOException
    {
        while (p.nextToken() != JsonToken.END_ARRAY)
        {
            if (p.currentToken() == JsonToken.VALUE_STRING)
            {
                // A body recorded as raw text chunks: they are the wire bytes themselves.
                out.write(p.getText().getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (p.currentToken() != JsonToken.START_OBJECT)
            {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = p.currentName();
                p.nextToken();
                if ("__data__".equals(field))
                {
                    final int start = (int)p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    final int end = (int)p.currentLocation().getByteOffset();
                    out.write("data: ".getBytes(StandardCharsets.US_ASCII));
                    out.write(json, start, end - start);
                    out.write('\n');
                    out.write('\n');
                }
                else
                {
                    p.skipChildren();
                }
            }
        }
    }
}
