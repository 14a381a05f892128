package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.json.JsonSyntaxCheck;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, class 4: an event that is malformed anywhere, or nested too deep, is skipped whole: nothing before
 * the damage is folded (no delta text, no kept field), in every dialect.
 */
class HalfSkippedEventTest
{
    private static final int DEPTH = AggregationLimits.DEFAULT.maxNestingDepth();

    /** Damage placed after the event's delta, each a syntax error the parser would only reach late. */
    private static final String[] DAMAGE = {
        "\"extra\":[1,2 3]",
        "\"extra\":tru",
        "\"extra\":01",
        "\"extra\":\"\\q\"",
        "\"extra\":1.}",
        "\"extra\" 1",
        "\"extra\":[1,]",
        "\"extra\":NaN",
        "\"extra\":\"a\tb\"",
        "\"extra\":{\"a\":1,}",
        "\"extra\":{\"a\":1]",
        "\"extra\":'x'",
        "\"deep\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH),
    };

    @Test
    void syntaxCheckAgreesWithTheParser() throws Exception
    {
        final JsonFactory jackson = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(DEPTH).build()).build();
        final JsonSyntaxCheck check = new JsonSyntaxCheck();
        final String[] docs = {
            "{}", " {\"a\":1} ", "{\"a\":[]}", "{\"a\":[1,-0,0.5,1e5,1E-5,-1.5e+3,true,false,null,\"\\u00e9\\n\\\"\",{}]}",
            "{\"a\":{\"b\":{\"c\":[[[]]]}}}", "{\"a\":\"\\uD800\"}", "{\"a\":\"\\/\"}",
            "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
            "{\"a\":01}", "{\"a\":+1}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":nul}", "{\"a\":nulll}",
            "{\"a\":[}", "{\"a\":]}", "{\"a\":[1 2]}", "{\"a\":{\"b\"::1}}", "{1:2}", "{\"a\":1 \"b\":2}",
            "{\"a\":\"\u0001\"}", "{\"a\":Infinity}", "{\"a\":[1],}", "{\"a\":[1]]}",
            "{\"d\":" + "[".repeat(DEPTH - 1) + "]".repeat(DEPTH - 1) + "}",
            "{\"d\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}",
            "{\"d\":" + "{\"e\":".repeat(DEPTH - 1) + "1" + "}".repeat(DEPTH - 1) + "}",
            "{\"d\":" + "{\"e\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH) + "}",
        };
        for (final String doc : docs)
        {
            final byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            boolean parsed = true;
            try (JsonParser p = jackson.createParser(bytes))
            {
                while (p.nextToken() != null)
                {
                    p.getText();
                }
            }
            catch (final Exception e)
            {
                parsed = false;
            }
            assertEquals(parsed, check.check(bytes, 0, bytes.length, DEPTH), doc.length() > 80 ? doc.substring(0, 80) : doc);
        }
    }

    @Test
    void chat()
    {
        for (final String damage : DAMAGE)
        {
            final String stream = ChatFeeding.sse(
                chat("{\"role\":\"assistant\",\"content\":\"ok\"}", ""),
                chat("{\"content\":\"BAD\"}", "," + damage),
                chat("{\"content\":\"!\"}", "")) + "data: [DONE]\n\n";
            assertSkippedWhole(fold(Format.OPENAI_CHAT, stream), "ok!", damage);
        }
    }

    @Test
    void anthropic()
    {
        for (final String damage : DAMAGE)
        {
            final String stream = anthropicText(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"BAD\"}," + damage + "}"));
            assertSkippedWhole(fold(Format.ANTHROPIC, stream), "ok", damage);
        }
    }

    @Test
    void gemini()
    {
        for (final String damage : DAMAGE)
        {
            final String stream = ChatFeeding.sse(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"index\":0}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"BAD\"}],\"role\":\"model\"},\"index\":0}]," + damage + "}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}");
            assertSkippedWhole(fold(Format.GEMINI, stream), "ok!", damage);
        }
    }

    @Test
    void ollama()
    {
        for (final String damage : DAMAGE)
        {
            final String stream =
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"done\":false}\n" +
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"BAD\"},\"done\":false," + damage + "}\n" +
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"!\"},\"done\":true,\"done_reason\":\"stop\"}\n";
            assertSkippedWhole(fold(Format.OLLAMA, stream), "ok!", damage);
        }
    }

    @Test
    void bedrock()
    {
        for (final String damage : DAMAGE)
        {
            final byte[] stream = EventStreamEncoder.concat(
                EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ok\"}}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"BAD\"}," + damage + "}"),
                EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
            assertSkippedWhole(fold(Format.BEDROCK, stream), "ok", damage);
        }
    }

    @Test
    void openAiResponses()
    {
        for (final String damage : DAMAGE)
        {
            final String stream =
                responses("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}") +
                responses("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"i\",\"type\":\"message\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":2,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"ok\"}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":3,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"BAD\"," + damage + "}") +
                responses("{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}");
            assertSkippedWhole(fold(Format.OPENAI_RESPONSES, stream), "ok", damage);
        }
    }

    private static void assertSkippedWhole(final Aggregate a, final String text, final String damage)
    {
        assertEquals(text, a.choice(0).joined(Part.Kind.TEXT), damage);
        final List<StreamError> errors = a.errors();
        assertEquals(1, errors.size(), damage + " " + errors);
        assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind());
        assertFalse(errors.get(0).message().startsWith(InternalErrors.PREFIX), errors.get(0).message());
        final String json = a.toJson() + a.toNormalizedJson();
        assertFalse(json.contains("BAD") || json.contains("\"extra\"") || json.contains("\"deep\""), damage + " " + json);
        assertTrue(a.outcome() == Outcome.COMPLETE, damage + " " + a.outcome());
    }

    private static String chat(final String delta, final String tail)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            delta + ",\"finish_reason\":null}]" + tail + "}";
    }
}
