package io.streamfold.aggregator.internal.dialect.bedrock;

import java.util.List;

import io.streamfold.aggregator.Outcome;
import io.streamfold.parser.ErrorKind;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.MESSAGE_START;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.messageStop;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.run;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.stop;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.text;
import static io.streamfold.testkit.EventStreamEncoder.concat;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A contentBlockDelta member this dialect does not know is folded into its block by the generic rule. */
class BedrockUnknownDeltaTest
{
    private static byte[] hologram(final String caption, final int frames, final String note)
    {
        return event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"hologram\":{\"caption\":\"" + caption +
            "\",\"frames\":" + frames + ",\"meta\":{\"note\":\"" + note + "\"}}}}");
    }

    @Test
    void anUnknownDeltaMemberIsFoldedNotReplaced()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "Hi"), stop(0), hologram("A ", 1, "x"), hologram("cat", 2, "y"),
            event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"status\":\"draw\"}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"status\":\"ing\"}}"),
            stop(1), messageStop("end_turn"));
        final BedrockDialectTest.Run r = run(bytes);
        assertEquals(List.of(), r.result().errors());
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi\"}," +
            "{\"hologram\":{\"caption\":\"A cat\",\"frames\":2,\"meta\":{\"note\":\"xy\"}}},{\"status\":\"drawing\"}]}}," +
            "\"stopReason\":\"end_turn\"}", r.result().toJson());
        assertTrue(r.result().toNormalizedJson().contains(
            "\"unknown_deltas\":[{\"index\":1,\"type\":\"\",\"fields\":{\"hologram\":{\"caption\":\"A cat\",\"frames\":2," +
            "\"meta\":{\"note\":\"xy\"}},\"status\":\"drawing\"}}]"), r.result().toNormalizedJson());
    }

    @Test
    void aStringMemberContinuesTheBlockStartValue()
    {
        final byte[] bytes = concat(MESSAGE_START,
            event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"status\":\"dr\"}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"status\":\"aw\"}}"),
            stop(0), messageStop("end_turn"));
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"status\":\"draw\"}]}}," +
            "\"stopReason\":\"end_turn\"}", run(bytes).result().toJson());
    }

    @Test
    void anUnknownMemberAfterTheBlockStoppedIsLate()
    {
        final byte[] bytes = concat(MESSAGE_START, hologram("A ", 1, "x"), stop(1), hologram("cat", 2, "y"), messageStop("end_turn"));
        final BedrockDialectTest.Run r = run(bytes);
        assertEquals(List.of(ErrorKind.LATE_DATA), r.errorKinds());
        assertTrue(r.result().toJson().contains("{\"hologram\":{\"caption\":\"A \",\"frames\":1,\"meta\":{\"note\":\"x\"}}}"),
            r.result().toJson());
    }
}
