package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.CREATED;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.completed;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.whole;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesDialectTest.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code response.*.delta} events this dialect does not know are folded into their item, never dropped. The item here,
 * {@code sandbox_call} with a streamed {@code script}, stands for a hosted tool the dialect does not know yet.
 */
class ResponsesUnknownDeltaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADDED = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" +
        "{\"id\":\"ci_1\",\"type\":\"sandbox_call\",\"status\":\"in_progress\",\"script\":\"\",\"container_id\":\"c1\"}}";
    private static final String DONE = "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" +
        "{\"id\":\"ci_1\",\"type\":\"sandbox_call\",\"status\":\"completed\",\"script\":\"print(1)\",\"container_id\":\"c1\"}}";
    private static final String COMPLETED = completed("");

    private static String script(final String delta)
    {
        return "{\"type\":\"response.sandbox_call_script.delta\",\"output_index\":0,\"item_id\":\"ci_1\",\"delta\":\"" + delta + "\"}";
    }

    private static JsonNode item(final Aggregate a) throws Exception
    {
        return MAPPER.readTree(a.toJson()).get("output").get(0);
    }

    @Test
    void aCutStreamKeepsWhatItsDeltasCarried() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, ADDED, script("print("), script("1)")), new RecordingListener());
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(MAPPER.readTree("{\"id\":\"ci_1\",\"type\":\"sandbox_call\",\"status\":\"in_progress\"," +
            "\"script\":\"print(1)\",\"container_id\":\"c1\"}"), item(a));
        assertEquals("\"print(1)\"", a.choice(0).parts().get(0).deltas().json("script"));
        assertEquals(MAPPER.readTree("[{\"index\":0,\"type\":\"sandbox_call\",\"fields\":{\"script\":\"print(1)\"}}]"),
            MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("unknown_deltas"));
    }

    @Test
    void theDoneItemWinsOverItsDeltas() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, ADDED, script("print("), script("2)"), DONE, COMPLETED), new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals("print(1)", item(a).get("script").asText());
        assertEquals(null, MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("unknown_deltas"));
    }

    private static final String PATCH_ADDED = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" +
        "{\"id\":\"apc_1\",\"type\":\"apply_patch_call\",\"status\":\"in_progress\",\"call_id\":\"call_1\"," +
        "\"operation\":{\"type\":\"create_file\",\"diff\":\"\",\"path\":\"a.md\"}}}";
    private static final String PATCH_ITEM = "{\"id\":\"apc_1\",\"type\":\"apply_patch_call\",\"status\":\"completed\"," +
        "\"call_id\":\"call_1\",\"operation\":{\"type\":\"create_file\",\"diff\":\"+hi\\n\",\"path\":\"a.md\"}}";

    private static String diff(final String delta)
    {
        return "{\"type\":\"response.apply_patch_call_operation_diff.delta\",\"output_index\":0,\"item_id\":\"apc_1\"," +
            "\"delta\":\"" + delta + "\"}";
    }

    @Test
    void theDoneItemIsWrittenAsSentWhateverFieldItsDeltasGuessed() throws Exception
    {
        // The deltas stream operation.diff, but their name says operation_diff: a field the item does not have.
        final String done = "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + PATCH_ITEM + "}";
        final Aggregate a = whole(sse(CREATED, PATCH_ADDED, diff("+h"), diff("i\\n"), done, completed(PATCH_ITEM)),
            new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.readTree(PATCH_ITEM), item(a));
        assertEquals(null, MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("unknown_deltas"));
    }

    @Test
    void theTerminalResponsesItemReplacesTheDeltasOfAnItemWithoutItsDone() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, PATCH_ADDED, diff("+h"), diff("i\\n"), completed(PATCH_ITEM)),
            new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.readTree(PATCH_ITEM), item(a));
    }

    private static final String SHELL_ADDED = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" +
        "{\"id\":\"sh_1\",\"type\":\"shell_call\",\"status\":\"in_progress\",\"action\":{\"commands\":[]},\"call_id\":\"call_2\"}}";

    private static String command(final String index, final String delta)
    {
        return "{\"type\":\"response.shell_call_command.delta\",\"output_index\":0,\"command_index\":" + index + ",\"delta\":\"" +
            delta + "\"}";
    }

    @Test
    void deltasOfDifferentIndexesAreKeptApartOnACutStream() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, SHELL_ADDED, command("0", "ls"), command("0", " -a"),
            command("1", "pw"), command("1", "d")), new RecordingListener());
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(MAPPER.readTree("{\"0\":\"ls -a\",\"1\":\"pwd\"}"), item(a).get("command"));
        assertEquals(MAPPER.readTree("[{\"index\":0,\"type\":\"shell_call\",\"fields\":{\"command\":{\"0\":\"ls -a\",\"1\":\"pwd\"}}}]"),
            MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("unknown_deltas"));
    }

    @Test
    void anIndexThatIsNotOneKeepsItsDeltaOut() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, SHELL_ADDED, command("0", "ls"), command("\"x\"", "pwd")),
            new RecordingListener());
        assertEquals(List.of(ErrorKind.MALFORMED_JSON, ErrorKind.TRUNCATED),
            a.errors().stream().map(StreamError::kind).collect(java.util.stream.Collectors.toList()));
        assertEquals("command_index must be a non-negative integer, got the string \"x\"", a.errors().get(0).message());
        assertEquals(MAPPER.readTree("{\"0\":\"ls\"}"), item(a).get("command"));
    }

    @Test
    void indexedDeltasFoldTheSameWithTheFastPathAndWithout()
    {
        final String done = "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"sh_1\",\"type\":\"shell_call\"," +
            "\"status\":\"completed\",\"action\":{\"commands\":[\"ls\",\"pwd\"]},\"call_id\":\"call_2\"}}";
        for (final String[] events : List.of(
            new String[] {CREATED, SHELL_ADDED, command("0", "ls"), command("1", "pwd"), done, COMPLETED},
            new String[] {CREATED, SHELL_ADDED, command("0", "ls"), command("1", "pwd")},
            new String[] {CREATED, SHELL_ADDED, command("0", "ls"), command("-1", "pwd")},
            new String[] {CREATED, PATCH_ADDED, diff("+h"), diff("i"), completed(PATCH_ITEM)}))
        {
            FastPathRun.assertInvisible(Format.OPENAI_RESPONSES, sse(events).getBytes(StandardCharsets.UTF_8), String.join("\n", events));
        }
    }

    @Test
    void anUnknownDeltaOnAMessageItemIsKeptBesideIt() throws Exception
    {
        final String added = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"," +
            "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}";
        final String hum = "{\"type\":\"response.output_hum.delta\",\"output_index\":0,\"item_id\":\"msg_1\",\"delta\":\"mm\"}";
        final Aggregate a = whole(sse(CREATED, added, hum, hum, COMPLETED), new RecordingListener());
        assertEquals("mmmm", item(a).get("output_hum").asText());
    }

    @Test
    void anUnknownDeltaAfterItsItemIsDoneIsLate() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, ADDED, script("print("), DONE, script("oops"), COMPLETED),
            new RecordingListener());
        assertEquals(List.of(ErrorKind.LATE_DATA), a.errors().stream().map(StreamError::kind).collect(java.util.stream.Collectors.toList()));
        assertEquals("print(1)", item(a).get("script").asText());
        // The done item replaced what the deltas gave, and the late one was not folded.
        assertEquals(null, a.choice(0).parts().get(0).deltas().json("script"));
    }

    @Test
    void anUnknownDeltaForAnItemNoEventOpenedIsLate()
    {
        final Aggregate a = whole(sse(CREATED, script("x"), COMPLETED), new RecordingListener());
        assertEquals(ErrorKind.LATE_DATA, a.errors().get(0).kind());
        assertEquals("response.sandbox_call_script.delta for output_index 0, which no earlier event opened; not folded",
            a.errors().get(0).message());
    }
}
