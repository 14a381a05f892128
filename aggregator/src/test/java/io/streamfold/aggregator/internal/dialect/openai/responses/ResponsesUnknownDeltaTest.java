package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesDialectTest.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code response.*.delta} events this dialect does not know are folded into their item, never dropped. */
class ResponsesUnknownDeltaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CREATED =
        "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":7," +
        "\"status\":\"in_progress\",\"model\":\"m-1\",\"output\":[],\"usage\":null}}";
    private static final String ADDED = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" +
        "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"in_progress\",\"code\":\"\",\"container_id\":\"c1\"}}";
    private static final String DONE = "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" +
        "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"completed\",\"code\":\"print(1)\",\"container_id\":\"c1\"}}";
    private static final String COMPLETED = "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\"," +
        "\"created_at\":7,\"status\":\"completed\",\"model\":\"m-1\",\"output\":[],\"usage\":null}}";

    private static String code(final String delta)
    {
        return "{\"type\":\"response.code_interpreter_call_code.delta\",\"output_index\":0,\"item_id\":\"ci_1\",\"delta\":\"" + delta + "\"}";
    }

    private static JsonNode item(final Aggregate a) throws Exception
    {
        return MAPPER.readTree(a.toJson()).get("output").get(0);
    }

    @Test
    void aCutStreamKeepsTheCodeItsDeltasCarried() throws Exception
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, ADDED, code("print("), code("1)")), new RecordingListener());
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(MAPPER.readTree("{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"in_progress\"," +
            "\"code\":\"print(1)\",\"container_id\":\"c1\"}"), item(a));
        assertEquals("\"print(1)\"", a.choice(0).parts().get(0).deltas().json("code"));
        assertEquals(MAPPER.readTree("[{\"index\":0,\"type\":\"code_interpreter_call\",\"fields\":{\"code\":\"print(1)\"}}]"),
            MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("unknown_deltas"));
    }

    @Test
    void theDoneItemWinsOverItsDeltas() throws Exception
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, ADDED, code("print("), code("2)"), DONE, COMPLETED), new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals("print(1)", item(a).get("code").asText());
    }

    @Test
    void anUnknownDeltaOnAMessageItemIsKeptBesideIt() throws Exception
    {
        final String added = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"," +
            "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}";
        final String hum = "{\"type\":\"response.output_hum.delta\",\"output_index\":0,\"item_id\":\"msg_1\",\"delta\":\"mm\"}";
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, added, hum, hum, COMPLETED), new RecordingListener());
        assertEquals("mmmm", item(a).get("output_hum").asText());
    }

    @Test
    void anUnknownDeltaAfterItsItemIsDoneIsLate() throws Exception
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, ADDED, code("print("), DONE, code("oops"), COMPLETED),
            new RecordingListener());
        assertEquals(List.of(ErrorKind.LATE_DATA), a.errors().stream().map(StreamError::kind).collect(java.util.stream.Collectors.toList()));
        assertEquals("print(1)", item(a).get("code").asText());
        assertEquals("\"print(\"", a.choice(0).parts().get(0).deltas().json("code"));
    }

    @Test
    void anUnknownDeltaForAnItemNoEventOpenedIsLate()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, code("x"), COMPLETED), new RecordingListener());
        assertEquals(ErrorKind.LATE_DATA, a.errors().get(0).kind());
        assertEquals("response.code_interpreter_call_code.delta for output_index 0, which no earlier event opened; not folded",
            a.errors().get(0).message());
    }
}
