package io.streamfold.aggregator.internal.dialect.anthropic;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicStreams.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delta types this dialect does not interpret, and the compaction block, are folded into their block, never dropped. */
class AnthropicUnknownDeltaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String START =
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
        "\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
        "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";
    private static final String COMPACTION_START =
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"compaction\",\"content\":null,\"encrypted_content\":null}}";
    private static final String TEXT_START = "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
    private static final String TEXT = "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}";
    private static final String END =
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}";
    private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";

    private static String compactionDelta(final String content, final String encrypted)
    {
        return "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"compaction_delta\",\"content\":" +
            MAPPER.valueToTree(content) + ",\"encrypted_content\":" + MAPPER.valueToTree(encrypted) + "}}";
    }

    private static String stop(final int index)
    {
        return "{\"type\":\"content_block_stop\",\"index\":" + index + "}";
    }

    private static String compactionStream()
    {
        return sse(START, COMPACTION_START, compactionDelta("Summary ", "old"), compactionDelta("of the talk", "opaque-final"),
            stop(0), TEXT_START, TEXT, stop(1), END, MESSAGE_STOP);
    }

    @Test
    void compactionSummaryIsJoinedAndItsEncryptedContentIsTheLastSent() throws Exception
    {
        final byte[] bytes = compactionStream().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (final AnthropicStreams.Run run : List.of(AnthropicStreams.whole(bytes), AnthropicStreams.byteByByte(bytes)))
        {
            assertEquals(Outcome.COMPLETE, run.result().outcome());
            assertEquals(List.of(), run.result().errors());
            final JsonNode content = MAPPER.readTree(run.json()).get("content");
            assertEquals(MAPPER.readTree("{\"type\":\"compaction\",\"content\":\"Summary of the talk\",\"encrypted_content\":\"opaque-final\"}"),
                content.get(0));
            assertEquals(MAPPER.readTree("{\"type\":\"text\",\"text\":\"Hi\"}"), content.get(1));
            final Part block = run.choice().parts().get(0);
            assertEquals(Part.Kind.OTHER, block.kind());
            assertEquals("\"Summary of the talk\"", block.deltas().json("content"));
            // The summary is not answer text.
            assertEquals("Hi", run.choice().joined(Part.Kind.TEXT));
            final JsonNode normalized = MAPPER.readTree(run.result().toNormalizedJson()).get("choices").get(0);
            assertEquals(MAPPER.readTree("[{\"index\":0,\"type\":\"compaction\",\"fields\":" +
                "{\"content\":\"Summary of the talk\",\"encrypted_content\":\"opaque-final\"}}]"), normalized.get("unknown_deltas"));
        }
    }

    @Test
    void aFailedCompactionKeepsItsNullContent() throws Exception
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, COMPACTION_START, stop(0), TEXT_START, TEXT, stop(1), END,
            MESSAGE_STOP));
        assertEquals(MAPPER.readTree("{\"type\":\"compaction\",\"content\":null,\"encrypted_content\":null}"),
            MAPPER.readTree(run.json()).get("content").get(0));
        assertFalse(MAPPER.readTree(run.result().toNormalizedJson()).get("choices").get(0).has("unknown_deltas"));
    }

    @Test
    void aDeltaTypeNobodyKnowsIsFoldedGenericallyIntoItsBlock() throws Exception
    {
        final String start = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":" +
            "{\"type\":\"hologram\",\"caption\":\"A \",\"frames\":1,\"meta\":{\"lang\":\"en\",\"note\":\"x\"}}}";
        final String d1 = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"hologram_delta\"," +
            "\"caption\":\"cat\",\"frames\":2,\"meta\":{\"note\":\"y\"},\"tags\":[\"a\"]}}";
        final String d2 = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"hologram_delta\"," +
            "\"caption\":\" sits\",\"frames\":3,\"meta\":{\"note\":\"z\"},\"tags\":[\"b\"]}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, start, d1, d2, stop(0), END, MESSAGE_STOP));
        assertEquals(List.of(), run.result().errors());
        // Strings continue the block's own value, numbers are states, objects fold field by field, arrays join.
        assertEquals(MAPPER.readTree("{\"type\":\"hologram\",\"caption\":\"A cat sits\",\"frames\":3," +
            "\"meta\":{\"note\":\"yz\"},\"tags\":[\"a\",\"b\"]}"), MAPPER.readTree(run.json()).get("content").get(0));
        assertTrue(MAPPER.readTree(run.result().toNormalizedJson()).get("choices").get(0).get("unknown_deltas").get(0)
            .get("fields").get("caption").asText().equals("A cat sits"));
    }

    @Test
    void anUnknownDeltaWithoutABlockStartOpensABlockOfItsType() throws Exception
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, compactionDelta("Sum", "e"), stop(0), END, MESSAGE_STOP));
        assertEquals(MAPPER.readTree("{\"type\":\"compaction\",\"content\":\"Sum\",\"encrypted_content\":\"e\"}"),
            MAPPER.readTree(run.json()).get("content").get(0));
    }

    @Test
    void anUnknownDeltaAfterItsBlockStoppedIsLateAndNotFolded() throws Exception
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, COMPACTION_START, compactionDelta("Sum", "e"), stop(0),
            compactionDelta("more", "f"), END, MESSAGE_STOP));
        assertEquals(ErrorKind.LATE_DATA, run.result().errors().get(0).kind());
        assertEquals(MAPPER.readTree("{\"type\":\"compaction\",\"content\":\"Sum\",\"encrypted_content\":\"e\"}"),
            MAPPER.readTree(run.json()).get("content").get(0));
    }

    @Test
    void anUnknownFieldOfAKnownDeltaIsKeptOnItsBlock() throws Exception
    {
        final String textStart = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
        final String delta = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\",\"tone\":\"warm\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, textStart, delta, delta, stop(0), END, MESSAGE_STOP));
        assertEquals(MAPPER.readTree("{\"type\":\"text\",\"text\":\"HiHi\",\"tone\":\"warmwarm\"}"),
            MAPPER.readTree(run.json()).get("content").get(0));
    }
}
