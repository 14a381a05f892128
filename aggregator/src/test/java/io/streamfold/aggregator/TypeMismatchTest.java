package io.streamfold.aggregator;

import java.util.List;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.HostileInput.anthropicText;
import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.fold;
import static io.streamfold.aggregator.HostileInput.responses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 9, classes 2 and 11: a value of the wrong JSON type where an index is expected is skipped whole (the
 * reader keeps its place, so none of a choice's fields lands at top level), and reported once as
 * "FIELD must be a non-negative integer, got WHAT", WHAT being the value as sent or its type.
 */
class TypeMismatchTest
{
    /** Values that are not indexes, and how the error must show each. */
    private static final String[][] NOT_INDEXES = {
        {"[1,{\"usage\":{\"prompt_tokens\":7}}]", "an array"},
        {"{\"usage\":{\"prompt_tokens\":7},\"x\":[1]}", "an object"},
        {"\"0\"", "the string \"0\""},
        {"1.5", "1.5"},
        {"1e309", "1e309"},
        {"null", "null"},
        {"true", "true"},
        {"-1", "-1"},
        {"99999999999999999999", "99999999999999999999"},
    };

    @Test
    void chatChoiceIndex()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            // The bad choice carries its own usage and finish reason after the index; a good choice follows.
            final String stream = sse(
                chat("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}"),
                chat("{\"index\":" + bad[0] + ",\"delta\":{\"content\":\"BAD\"},\"usage\":{\"prompt_tokens\":99}," +
                    "\"finish_reason\":\"length\"},{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}")) +
                "data: [DONE]\n\n";
            final Aggregate a = fold(Format.OPENAI_CHAT, stream);
            assertOneMismatch(a, "choices[].index", bad[1]);
            assertEquals(1, a.choices().size());
            assertEquals("ok!", a.choice(0).joined(Part.Kind.TEXT));
            assertEquals("stop", a.choice(0).finishReason().toString());
            assertEquals(-1, a.usage().inputTokens(), bad[0]);
            assertNull(a.meta().get("finish_reason"), bad[0]);
            assertNull(a.meta().get("delta"), bad[0]);
            assertFalse(a.toJson().contains("BAD") || a.toJson().contains("99"), a.toJson());
        }
    }

    @Test
    void chatToolCallIndex()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final String stream = sse(
                chat("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":" + bad[0] +
                    ",\"id\":\"BAD\",\"function\":{\"name\":\"BAD\",\"arguments\":\"{}\"}}," +
                    "{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}"),
                chat("{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}")) + "data: [DONE]\n\n";
            final Aggregate a = fold(Format.OPENAI_CHAT, stream);
            assertOneMismatch(a, "tool_calls[].index", bad[1]);
            assertEquals(1, a.choice(0).toolCalls().size());
            assertEquals("f", a.choice(0).toolCalls().get(0).name().toString());
            assertFalse(a.toJson().contains("BAD"), a.toJson());
        }
    }

    @Test
    void geminiCandidateIndex()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final String stream = sse(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"index\":0}]}",
                "{\"candidates\":[{\"index\":" + bad[0] + ",\"content\":{\"parts\":[{\"text\":\"BAD\"}],\"role\":\"model\"}," +
                    "\"usageMetadata\":{\"promptTokenCount\":99}},{\"content\":{\"parts\":[{\"text\":\"!\"}],\"role\":\"model\"}," +
                    "\"finishReason\":\"STOP\",\"index\":0}]}");
            final Aggregate a = fold(Format.GEMINI, stream);
            assertOneMismatch(a, "candidates[].index", bad[1]);
            assertEquals("ok!", a.choice(0).joined(Part.Kind.TEXT));
            assertEquals(-1, a.usage().inputTokens(), bad[0]);
            assertFalse(a.toJson().contains("BAD"), a.toJson());
        }
    }

    @Test
    void anthropicBlockIndexRefusesTheEvent()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final String stream = anthropicText(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + bad[0] + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"BAD\"}}"));
            final Aggregate a = fold(Format.ANTHROPIC, stream);
            assertOneMismatch(a, "index", bad[1]);
            assertEquals("ok", a.choice(0).joined(Part.Kind.TEXT));
        }
    }

    @Test
    void bedrockBlockIndexRefusesTheEvent()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final byte[] stream = EventStreamEncoder.concat(
                EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ok\"}}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":" + bad[0] + ",\"delta\":{\"text\":\"BAD\"}}"),
                EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
            final Aggregate a = fold(Format.BEDROCK, stream);
            assertOneMismatch(a, "contentBlockIndex", bad[1]);
            assertEquals("ok", a.choice(0).joined(Part.Kind.TEXT));
        }
    }

    @Test
    void responsesOutputIndexRefusesTheEvent()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final String stream =
                responses("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}") +
                responses("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"i\",\"type\":\"message\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"ok\"}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":3,\"item_id\":\"i\",\"output_index\":" + bad[0] + ",\"content_index\":0,\"delta\":\"BAD\"}") +
                responses("{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}");
            final Aggregate a = fold(Format.OPENAI_RESPONSES, stream);
            assertOneMismatch(a, "output_index", bad[1]);
            assertEquals("ok", a.choice(0).joined(Part.Kind.TEXT));
            assertFalse(a.errors().toString().contains(Long.toString(Long.MAX_VALUE)));
        }
    }

    @Test
    void ollamaToolCallIndex()
    {
        for (final String[] bad : NOT_INDEXES)
        {
            final String stream =
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[" +
                    "{\"function\":{\"index\":" + bad[0] + ",\"name\":\"BAD\",\"arguments\":{}}}," +
                    "{\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":{}}}]},\"done\":false}\n" +
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n";
            final Aggregate a = fold(Format.OLLAMA, stream);
            assertOneMismatch(a, "tool_calls[].function.index", bad[1]);
            assertEquals(1, a.choice(0).toolCalls().size());
            assertFalse(a.toJson().contains("BAD"), a.toJson());
        }
    }

    private static void assertOneMismatch(final Aggregate a, final String field, final String seen)
    {
        final List<StreamError> errors = a.errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind());
        assertEquals(field + " must be a non-negative integer, got " + seen, errors.get(0).message());
        assertEquals(Outcome.COMPLETE, a.outcome(), errors.toString());
    }

    private static String chat(final String choices)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[" + choices + "]}";
    }

    private static String sse(final String... payloads)
    {
        return ChatFeeding.sse(payloads);
    }
}
