package io.streamfold.aggregator.internal.dialect.ollama;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repeated line's {@code created_at} is checked and kept as its bytes, not decoded: every value it may take
 * (escaped, non-ASCII, empty, long, over a limit, ill-formed UTF-8) shows the same with the fast path as without,
 * under limits on raw values, fields and the whole result's bytes, whether the stream ends on a done line or on a
 * repeated line (whose timestamp is then written from its bytes).
 */
class OllamaCreatedAtTest
{
    private static final String PLAIN = "\"2025-10-26T17:15:10.123456Z\"";

    /** Values of created_at, as sent ({@code %XX} is the raw byte XX: {@link FastPathRun#rawBytes}). */
    private static final String[] VALUES = {
        PLAIN,
        "\"2025-10-26T17:15:11Z\"",
        "\"\"",
        "\"2025-10-26T17:15:12.5Z\"",
        "\"2025\\u002d10\\u002d26T17:15:13\\/\\\"Z\\\\\"",
        "\"2025-10-26T17:15:14 é 数据 🙂\"",
        "\"\\ud83d\\ude42\\ud800 lone\"",
        "\"bad %C0%AF overlong\"",
        "\"bad %ED%A0%80 surrogate\"",
        "\"bad %FF byte\"",
        "\"cut %E2%82\"",
        "\"control %01 byte\"",
        "\"" + "t".repeat(200) + "\"",
        "\"" + "é".repeat(127) + "x\"",
        "\"" + "u".repeat(255) + "\"",
        "\"" + "v".repeat(256) + "\"",
        "\"" + "w".repeat(300) + "é\"",
        "\"" + "\\u0041".repeat(50) + "\"",
        "\"2025-10-26T17:15:15.1Z\"",
    };

    static Stream<Arguments> streams()
    {
        final List<Arguments> streams = new ArrayList<>();
        for (final boolean chat : new boolean[] { true, false })
        {
            for (final boolean done : new boolean[] { true, false })
            {
                final String kind = (chat ? "chat" : "generate") + (done ? ", done line" : ", no done line");
                streams.add(Arguments.of(kind + ", every value in turn", stream(chat, done, VALUES)));
                streams.add(Arguments.of(kind + ", lengthening", stream(chat, done, PLAIN, "\"a\"", "\"abcdefghijklmnopqrstuvwxyz0123456789\"",
                    "\"" + "é".repeat(40) + "\"", "\"" + "🙂".repeat(30) + "\"", "\"" + "x".repeat(120) + "\"", "\"" + "y".repeat(255) + "\"",
                    "\"" + "z".repeat(400) + "\"", "\"short again\"")));
                for (int v = 1; v < VALUES.length; v++)
                {
                    streams.add(Arguments.of(kind + ", " + v + " among plain ones and last", stream(chat, done, PLAIN, PLAIN, VALUES[v], PLAIN, VALUES[v], PLAIN,
                        VALUES[v], VALUES[v])));
                }
            }
        }
        return streams.stream();
    }

    /** Lines of one shape around each created_at given, in turn; then the done line (its own timestamp) if asked. */
    private static byte[] stream(final boolean chat, final boolean done, final String... createdAt)
    {
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < createdAt.length; i++)
        {
            lines.append("{\"model\":\"llama3.2\",\"created_at\":").append(createdAt[i])
                .append(chat ? ",\"message\":{\"role\":\"assistant\",\"content\":\"t" + i + "\"}" : ",\"response\":\"t" + i + "\"")
                .append(",\"done\":false}\n");
        }
        if (done)
        {
            lines.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:16:00Z\",\"message\":{\"role\":\"assistant\",")
                .append("\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"eval_count\":9}\n");
        }
        return FastPathRun.rawBytes(lines.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void createdAtFoldsAsTheFullDecoderFoldsIt(final String name, final byte[] stream)
    {
        final List<AggregationLimits> limits = new ArrayList<>(List.of(AggregationLimits.DEFAULT,
            AggregationLimits.builder().maxRawBytes(20).build(), AggregationLimits.builder().maxRawBytes(27).build(),
            AggregationLimits.builder().maxRawBytes(255).build(), AggregationLimits.builder().maxRawFields(1).build(),
            AggregationLimits.builder().maxTextChars(20).build()));
        // Every bound a created_at's growth can meet: its field, its characters' room, a long one's bytes.
        for (long bytes = AggregationLimits.PART_BYTES; bytes < 2 * AggregationLimits.PART_BYTES + 1400; bytes += 31)
        {
            limits.add(AggregationLimits.builder().maxResultBytes(bytes).build());
        }
        FastPathRun.assertInvisible(Format.OLLAMA, stream, name, limits.toArray(new AggregationLimits[0]));
    }

    @Test
    void theFastPathFoldsEveryKindOfValidTimestamp()
    {
        final byte[] stream = stream(true, false, VALUES);
        final FastPathRun fast = FastPathRun.of(Format.OLLAMA, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        // Each valid value after the first line; the ill-formed ones (and the line after each) go to the full decoder.
        assertTrue(fast.folds >= 9, "folded " + fast.folds);
        assertTrue(fast.json.contains("\"created_at\":\"2025-10-26T17:15:15.1Z\""), fast.json);
    }

    @Test
    void aTimestampKeptAsBytesReadsAsItsCharacters()
    {
        final byte[] stream = stream(true, false, PLAIN, PLAIN, "\"é\\u0041\\\"🙂\"");
        final StreamAggregator a = StreamAggregator.create(Format.OLLAMA);
        a.feed(stream, 0, stream.length);
        assertEquals(2, AggregatorInternals.dialect(a).fastFolds());
        final RawJson createdAt = a.result().meta().get("created_at");
        assertEquals(RawJson.Type.STRING, createdAt.type());
        assertEquals("éA\"🙂", createdAt.text().toString());
        assertEquals("\"éA\\\"🙂\"", createdAt.json());
        assertFalse(createdAt.isNullish());
        // A snapshot copies it; the source is replaced afterwards and the copy keeps its value.
        final Aggregate snapshot = a.snapshot();
        final byte[] more = "{\"model\":\"llama3.2\",\"created_at\":\"later\",\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"done\":false}\n"
            .getBytes(StandardCharsets.UTF_8);
        a.feed(more, 0, more.length);
        assertEquals("éA\"🙂", snapshot.meta().get("created_at").text().toString());
        assertTrue(snapshot.toJson().contains("\"created_at\":\"éA\\\"\\uD83D\\uDE42\""), snapshot.toJson());
        assertEquals("later", a.result().meta().get("created_at").text().toString());
    }
}
