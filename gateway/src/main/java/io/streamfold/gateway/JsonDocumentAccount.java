package io.streamfold.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Accounting of a non-streaming JSON response ({@code "stream": false}) of any supported provider: id,
 * model, usage, finish reasons and tool calls, read with Jackson's streaming parser by the providers'
 * field names. Runs once per such response, off the streaming hot path.
 */
final class JsonDocumentAccount
{
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String[] INPUT = {"prompt_tokens", "promptTokenCount", "prompt_eval_count", "inputTokens"};
    private static final String[] OUTPUT =
        {"completion_tokens", "output_tokens", "candidatesTokenCount", "eval_count", "outputTokens"};
    private static final String[] CACHE_READ = {"prompt_tokens_details.cached_tokens",
        "input_tokens_details.cached_tokens", "cache_read_input_tokens", "cachedContentTokenCount",
        "cacheReadInputTokens"};
    private static final String[] CACHE_WRITE = {"cache_creation_input_tokens", "cacheWriteInputTokens"};
    private static final String[] REASONING = {"completion_tokens_details.reasoning_tokens",
        "output_tokens_details.reasoning_tokens", "thoughtsTokenCount"};

    boolean parsed;
    boolean providerError;
    String id;
    String model;
    final Map<String, Long> usage = new HashMap<>();
    final List<String> finishReasons = new ArrayList<>();
    final List<String> toolNames = new ArrayList<>();
    long argumentBytes;

    static JsonDocumentAccount read(final byte[] body, final int length)
    {
        final JsonDocumentAccount account = new JsonDocumentAccount();
        try (JsonParser p = FACTORY.createParser(body, 0, length))
        {
            if (p.nextToken() == JsonToken.START_OBJECT)
            {
                account.object(p, 1, null);
                account.parsed = true;
            }
        }
        catch (final IOException e)
        {
            account.parsed = false;
        }
        return account;
    }

    /** Reads the object whose START_OBJECT is current; a tool call's name goes to {@link #toolNames}. */
    private void object(final JsonParser p, final int depth, final String fieldOfObject) throws IOException
    {
        String type = null;
        String name = null;
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = p.currentName();
            final JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT)
            {
                if ("usage".equals(field) || "usageMetadata".equals(field))
                {
                    usage(p, "");
                }
                else if (depth == 1 && "error".equals(field))
                {
                    providerError = true;
                    p.skipChildren();
                }
                else if ("input".equals(field) || "args".equals(field))
                {
                    final long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    argumentBytes += p.currentLocation().getByteOffset() - start;
                }
                else
                {
                    object(p, depth + 1, field);
                }
            }
            else if (t == JsonToken.START_ARRAY)
            {
                array(p, depth + 1, field);
            }
            else if (t == JsonToken.VALUE_STRING)
            {
                final String value = p.getText();
                switch (field)
                {
                    case "id":
                    case "responseId":
                        if (depth == 1 && id == null)
                        {
                            id = value;
                        }
                        break;
                    case "model":
                    case "modelVersion":
                        if (depth == 1 && model == null)
                        {
                            model = value;
                        }
                        break;
                    case "finish_reason":
                    case "stop_reason":
                    case "finishReason":
                    case "done_reason":
                    case "stopReason":
                        finishReasons.add(value);
                        break;
                    case "type":
                        type = value;
                        break;
                    case "name":
                        name = value;
                        break;
                    case "arguments":
                        argumentBytes += value.getBytes(StandardCharsets.UTF_8).length;
                        break;
                    default:
                        break;
                }
            }
        }
        final boolean call = "tool_use".equals(type) || "function_call".equals(type) ||
            "function".equals(fieldOfObject) || "functionCall".equals(fieldOfObject) || "toolUse".equals(fieldOfObject);
        if (call && name != null)
        {
            toolNames.add(name);
        }
    }

    private void array(final JsonParser p, final int depth, final String field) throws IOException
    {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null)
        {
            if (t == JsonToken.START_OBJECT)
            {
                object(p, depth, null);
            }
            else
            {
                p.skipChildren();
            }
        }
    }

    private void usage(final JsonParser p, final String prefix) throws IOException
    {
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final String field = p.currentName();
            final JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_INT)
            {
                usage.put(prefix + field, p.getLongValue());
            }
            else if (t == JsonToken.START_OBJECT && prefix.isEmpty())
            {
                usage(p, field + ".");
            }
            else
            {
                p.skipChildren();
            }
        }
    }

    long inputTokens()
    {
        final long anthropic = get("input_tokens");
        if (anthropic >= 0 && (usage.containsKey("cache_read_input_tokens") ||
            usage.containsKey("cache_creation_input_tokens")))
        {
            // Anthropic counts uncached, cache-write and cache-read input apart; the convention's input is the sum.
            return Math.max(0, anthropic) + Math.max(0, get("cache_read_input_tokens")) +
                Math.max(0, get("cache_creation_input_tokens"));
        }
        return anthropic >= 0 ? anthropic : first(INPUT);
    }

    long outputTokens()
    {
        return first(OUTPUT);
    }

    long cacheReadTokens()
    {
        return first(CACHE_READ);
    }

    long cacheWriteTokens()
    {
        return first(CACHE_WRITE);
    }

    long reasoningTokens()
    {
        return first(REASONING);
    }

    private long first(final String[] keys)
    {
        for (final String k : keys)
        {
            final long v = get(k);
            if (v >= 0)
            {
                return v;
            }
        }
        return -1;
    }

    private long get(final String key)
    {
        final Long v = usage.get(key);
        return v == null ? -1 : v;
    }
}
