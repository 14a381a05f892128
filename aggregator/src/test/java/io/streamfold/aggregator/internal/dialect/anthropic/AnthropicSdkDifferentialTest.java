package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official anthropic-java {@code MessageAccumulator} as an oracle over the corpus: same text,
 * thinking, signatures, tool ids / names / inputs, stop reason and usage, wherever the SDK itself does
 * not fail.
 *
 * <p>The SDK does not fail on any corpus stream. Differences in scope, not in results:
 * <ul>
 *   <li>The SDK's typed model drops fields it does not know (a tool block's {@code caller}, message-level
 *       {@code context_management}); only fields both sides model are compared.</li>
 *   <li>The SDK parses a tool's input only at {@code content_block_stop}; a block that never stops (the
 *       max_tokens stream) keeps the {@code {}} of its start. streamfold writes the partial text as a string
 *       instead, marks the call incomplete and reports it (see AnthropicCorpusTest); the comparison reads
 *       that string as the SDK's {@code {}}.</li>
 *   <li>The SDK gives no way to tell a truncated stream from a complete one; streamfold's outcome does.</li>
 * </ul>
 */
class AnthropicSdkDifferentialTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> sameMessageAsTheSdk()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path file : SharedFiles.corpus("anthropic-messages", ".sse"))
        {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> compare(SharedFiles.read(file))));
        }
        return tests.stream();
    }

    private static void compare(final byte[] bytes) throws Exception
    {
        final SdkResult sdk = sdk(bytes);
        final AnthropicStreams.Run ours = AnthropicStreams.whole(bytes);
        final JsonNode mine = MAPPER.readTree(ours.json());
        assertNull(sdk.failure, "the SDK failed on a corpus stream");
        final JsonNode theirs = MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(sdk.message));
        assertTrue(theirs.path("content").size() > 0, "the SDK folded no content: nothing would be compared");
        assertEquals(project(theirs), project(mine));
    }

    static final class SdkResult
    {
        Message message;
        String failure;
    }

    /** Feeds each event's payload, parsed by the SDK's own mapper, to its accumulator. */
    static SdkResult sdk(final byte[] bytes)
    {
        final SdkResult result = new SdkResult();
        final MessageAccumulator accumulator = MessageAccumulator.create();
        final List<String> payloads = payloads(bytes);
        try
        {
            for (final String payload : payloads)
            {
                accumulator.accumulate(ObjectMappers.jsonMapper().readValue(payload, RawMessageStreamEvent.class));
            }
            result.message = accumulator.message();
        }
        catch (final Exception e)
        {
            result.failure = e.toString();
        }
        return result;
    }

    static List<String> payloads(final byte[] bytes)
    {
        final List<String> payloads = new ArrayList<>();
        final SseTokenizer tokenizer = new SseTokenizer(new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                payloads.add(frame.payloadAsString());
            }

            @Override
            public void onError(final StreamError error)
            {
                throw new AssertionError(error.toString());
            }
        }, io.streamfold.parser.FramingLimits.DEFAULT);
        tokenizer.feed(bytes, 0, bytes.length);
        tokenizer.end();
        return payloads;
    }

    /** The fields both the SDK's typed Message and streamfold's output model, in a canonical form. */
    static JsonNode project(final JsonNode message)
    {
        final ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (final String f : new String[]{"id", "type", "role", "model", "stop_reason", "stop_sequence"})
        {
            out.set(f, message.path(f).isMissingNode() ? JsonNodeFactory.instance.nullNode() : message.get(f));
        }
        final ArrayNode content = out.putArray("content");
        for (final JsonNode block : message.path("content"))
        {
            final ObjectNode b = content.addObject();
            final String type = block.path("type").asText();
            b.put("type", type);
            switch (type)
            {
                case "text":
                    b.set("text", block.get("text"));
                    final JsonNode citations = block.path("citations");
                    b.set("citations", citations.isArray() && citations.size() > 0 ? citations : JsonNodeFactory.instance.arrayNode());
                    break;
                case "thinking":
                    b.set("thinking", block.get("thinking"));
                    b.set("signature", block.get("signature"));
                    break;
                case "redacted_thinking":
                    b.set("data", block.get("data"));
                    break;
                case "tool_use":
                case "server_tool_use":
                    b.set("id", block.get("id"));
                    b.set("name", block.get("name"));
                    // An incomplete input is kept as its partial text (a string) where the SDK keeps {}.
                    b.set("input", block.path("input").isTextual() ? MAPPER.createObjectNode() : block.get("input"));
                    break;
                default:
                    b.set("tool_use_id", block.get("tool_use_id"));
                    b.set("content", block.get("content"));
            }
        }
        final ObjectNode usage = out.putObject("usage");
        final JsonNode u = message.path("usage");
        for (final Iterator<String> it = u.fieldNames(); it.hasNext(); )
        {
            final String name = it.next();
            if (!u.get(name).isNull())
            {
                usage.set(name, u.get(name));
            }
        }
        return out;
    }
}
