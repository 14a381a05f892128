package io.streamfold.gateway;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reads {@code gen_ai.request.model}: the top-level {@code "model"} of a JSON request body. */
public final class RequestModel
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private RequestModel()
    {
    }

    /**
     * @param body   the request body.
     * @param offset first byte.
     * @param length bytes.
     * @return the top-level {@code model} string, or null when absent or not JSON.
     */
    public static String find(final byte[] body, final int offset, final int length)
    {
        try (JsonParser p = FACTORY.createParser(body, offset, length))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = p.currentName();
                final JsonToken t = p.nextToken();
                if ("model".equals(name) && t == JsonToken.VALUE_STRING)
                {
                    return p.getText();
                }
                p.skipChildren();
            }
        }
        catch (final IOException e)
        {
            return null;
        }
        return null;
    }
}
