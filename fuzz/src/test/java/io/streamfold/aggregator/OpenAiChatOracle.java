package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A deliberately simple OpenAI chat aggregator: SSE split line by line, each event's data parsed whole
 * into a Jackson tree (an event that does not parse is counted and skipped as a whole), then folded by
 * the plain rules: choices by index, content and reasoning appended, tool calls by index with id and
 * name from their first fragment (a fragment bringing a different id at an index already used starts a new
 * call, which then owns the index: the dialect's documented rule for servers that reuse an index), arguments appended, token ids appended, usage merged field by field
 * with null never replacing a value. Slow and obviously right; the fast path must agree with it.
 */
final class OpenAiChatOracle
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    final Message.Builder message = new Message.Builder();
    int malformed;
    boolean done;
    /**
     * A tool-call fragment without an {@code index}: outside these plain rules (the fast path keys such
     * fragments by id or order, as Gemini's and Ollama's OpenAI-compatible endpoints need), so no verdict.
     */
    boolean unmodelled;
    /** Per choice index: the call (its key in the choice's calls) each tool-call index continues now. */
    private final Map<Long, Map<Long, Long>> callAt = new HashMap<>();

    static OpenAiChatOracle fold(final byte[] stream)
    {
        final OpenAiChatOracle oracle = new OpenAiChatOracle();
        for (final String data : events(stream))
        {
            if (oracle.done)
            {
                break;
            }
            oracle.event(data);
        }
        return oracle;
    }

    /** The data of each dispatched SSE event (LF line ends only, as generated), per the WHATWG field rules. */
    static List<String> events(final byte[] stream)
    {
        final String text = new String(stream, StandardCharsets.ISO_8859_1);
        final List<String> events = new ArrayList<>();
        boolean poisoned = false;
        StringBuilder data = null;
        int from = 0;
        while (true)
        {
            final int lf = text.indexOf('\n', from);
            if (lf < 0)
            {
                break; // an unterminated last line, and any event it belongs to, is discarded
            }
            final String line = text.substring(from, lf);
            from = lf + 1;
            if (line.isEmpty())
            {
                if (data != null)
                {
                    // Invalid UTF-8 in the data can never be valid JSON for a strict byte-level parser.
                    events.add(poisoned ? "\u0000invalid UTF-8" : utf8(data.toString()));
                }
                data = null;
                poisoned = false;
                continue;
            }
            final int colon = line.indexOf(':');
            final String name = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" "))
            {
                value = value.substring(1);
            }
            if ("data".equals(name))
            {
                poisoned |= !validUtf8(value);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return events;
    }

    /** The stream is split as Latin-1 (one char per byte, LF never inside a UTF-8 sequence), then decoded. */
    private static String utf8(final String latin1)
    {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static boolean validUtf8(final String latin1)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)));
            return true;
        }
        catch (final java.nio.charset.CharacterCodingException e)
        {
            return false;
        }
    }

    private void event(final String data)
    {
        if (data.isEmpty())
        {
            return;
        }
        if ("[DONE]".equals(data))
        {
            done = true;
            return;
        }
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(data);
        }
        catch (final Exception e)
        {
            malformed++;
            return;
        }
        if (root == null || !root.isObject())
        {
            malformed++;
            return;
        }
        for (final JsonNode choice : root.path("choices"))
        {
            final Message.Builder.ChoiceBuilder c = message.choice(choice.path("index").asLong(0));
            final JsonNode delta = choice.path("delta");
            if (delta.path("content").isTextual())
            {
                c.text.append(delta.get("content").textValue());
            }
            else if (!choice.has("delta") && choice.path("text").isTextual())
            {
                // Legacy completions shape: a choice without a delta carries its text at choice level. Together
                // repeats the text there beside delta.content, which then takes precedence.
                c.text.append(choice.get("text").textValue());
            }
            if (delta.path("reasoning_content").isTextual())
            {
                c.reasoning.append(delta.get("reasoning_content").textValue());
            }
            for (final JsonNode call : delta.path("tool_calls"))
            {
                unmodelled |= !call.path("index").isIntegralNumber();
                final Message.Builder.ChoiceBuilder owner = message.choice(choice.path("index").asLong(0));
                final Map<Long, Long> at = callAt.computeIfAbsent(choice.path("index").asLong(0), k -> new HashMap<>());
                final String id = call.path("id").isTextual() ? call.get("id").textValue() : "";
                Long key = at.get(call.path("index").asLong());
                if (key == null || (!id.isEmpty() && !owner.calls.get(key).id.isEmpty() && !owner.calls.get(key).id.equals(id)))
                {
                    // Calls are listed by their wire index, then in order of arrival (a reused index is a new call).
                    key = (call.path("index").asLong() << 20) + owner.calls.size();
                    at.put(call.path("index").asLong(), key);
                }
                final Message.Builder.CallBuilder b = owner.call(key);
                if (b.id.isEmpty() && call.path("id").isTextual())
                {
                    b.id = call.get("id").textValue();
                }
                final JsonNode function = call.path("function");
                if (b.name.isEmpty() && function.path("name").isTextual())
                {
                    b.name = function.get("name").textValue();
                }
                if (function.path("arguments").isTextual())
                {
                    b.arguments.append(function.get("arguments").textValue());
                }
            }
            if (delta.path("token_id").isIntegralNumber())
            {
                c.tokenIds.add(delta.get("token_id").longValue());
            }
            for (final JsonNode id : choice.path("token_ids"))
            {
                c.tokenIds.add(id.longValue());
            }
            if (choice.path("finish_reason").isTextual())
            {
                c.finishReason = choice.get("finish_reason").textValue();
            }
        }
        final JsonNode usage = root.path("usage");
        final Iterator<Map.Entry<String, JsonNode>> fields = usage.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> f = fields.next();
            if (!f.getValue().isNull() || !message.usage.containsKey(f.getKey()))
            {
                message.usage.put(f.getKey(), f.getValue().toString());
            }
        }
    }
}
