package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Feeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-scanned events (the scan-first gather, the response and items kept without tokenizing) show exactly
 * what the full reader shows, on the shapes where the two could part: anything the scan hands back to the full
 * reader (escaped names, values that are not what a field wants, values over a limit, malformed or ill-formed
 * UTF-8 anywhere, text after the object), and what the scan keeps itself (escapes in strings, numbers and
 * literals kept raw, whitespace, duplicate fields).
 */
class ResponsesScanTest
{
    private static final String ITEM_ID = "msg_1";
    private static final String ENCRYPTED = "gAAAAABoydL8ifhOG-FyLv1LaSVN3jCOFqfiwyNGWqfNc7hfzpL7qrPI93ncsLSzehCqeEVuKpO";

    /** A stream with a reasoning item (opaque encrypted content), a message and a terminal response repeating both. */
    static String stream(final String reasoningDone, final String textDelta, final String completed)
    {
        final String reasoning = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"encrypted_content\":\"" + ENCRYPTED + "\",\"summary\":[]}";
        final String message = "{\"id\":\"" + ITEM_ID + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[" +
            "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"Hi \\u00e9\\ud83d\\ude42\\n\"}],\"role\":\"assistant\"}";
        return event("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\"," +
            "\"created_at\":1757540001,\"status\":\"in_progress\",\"output\":[],\"usage\":null,\"metadata\":{},\"temperature\":1.0}}") +
            event("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":" +
                "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]}}") +
            event(reasoningDone == null ? "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":0,\"item\":" +
                reasoning + "}" : reasoningDone) +
            event("{\"type\":\"response.output_item.added\",\"sequence_number\":3,\"output_index\":1,\"item\":{\"id\":\"" + ITEM_ID +
                "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}") +
            event("{\"type\":\"response.content_part.added\",\"sequence_number\":4,\"item_id\":\"" + ITEM_ID +
                "\",\"output_index\":1,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"text\":\"\"}}") +
            event(textDelta == null ? "{\"type\":\"response.output_text.delta\",\"sequence_number\":5,\"item_id\":\"" + ITEM_ID +
                "\",\"output_index\":1,\"content_index\":0,\"delta\":\"Hi \\u00e9\",\"logprobs\":[]}" : textDelta) +
            event("{\"type\":\"response.output_text.delta\",\"sequence_number\":6,\"item_id\":\"" + ITEM_ID +
                "\",\"output_index\":1,\"content_index\":0,\"delta\":\"\\ud83d\\ude42\\n\",\"logprobs\":[]}") +
            event("{\"type\":\"response.output_text.done\",\"sequence_number\":7,\"item_id\":\"" + ITEM_ID +
                "\",\"output_index\":1,\"content_index\":0,\"text\":\"Hi \u00e9\uD83D\uDE42\\n\",\"logprobs\":[]}") +
            event("{\"type\":\"response.output_item.done\",\"sequence_number\":8,\"output_index\":1,\"item\":" + message + "}") +
            event(completed == null ? "{\"type\":\"response.completed\",\"sequence_number\":9,\"response\":{\"id\":\"resp_1\"," +
                "\"object\":\"response\",\"created_at\":1757540001,\"status\":\"completed\",\"error\":null,\"output\":[" + reasoning + "," +
                message + "],\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":3," +
                "\"total_tokens\":40},\"metadata\":{\"k\":\"v\"},\"temperature\":1.0,\"top_p\":-0.5e+1,\"store\":true}}" : completed);
    }

    private static String event(final String data)
    {
        return "data: " + data + "\n\n";
    }

    private static String done(final String item)
    {
        return "{\"type\":\"response.output_item.done\",\"sequence_number\":2,\"output_index\":0,\"item\":" + item + "}";
    }

    private static String delta(final String fields)
    {
        return "{\"type\":\"response.output_text.delta\",\"item_id\":\"" + ITEM_ID + "\",\"output_index\":1,\"content_index\":0," + fields + "}";
    }

    private static String completed(final String response)
    {
        return "{\"type\":\"response.completed\",\"response\":" + response + "}";
    }

    static Stream<Arguments> variants()
    {
        return Stream.of(
            Arguments.of("as recorded", stream(null, null, null)),
            Arguments.of("escaped event field name", stream(null, delta("\"d\\u0065lta\":\"x\",\"logprobs\":[]"), null)),
            Arguments.of("escaped names inside the response", stream(null, null, completed(
                "{\"st\\u0061tus\":\"completed\",\"outp\\u0075t\":[{\"id\":\"rs_1\",\"typ\\u0065\":\"reasoning\"}],\"usage\":{\"to\\u0074al_tokens\":4}}"))),
            Arguments.of("duplicate delta, the second not a string", stream(null, delta("\"delta\":\"a\",\"delta\":7"), null)),
            Arguments.of("delta null", stream(null, delta("\"delta\":null"), null)),
            Arguments.of("type not a string", stream(null, "{\"type\":7,\"delta\":\"x\"}", null)),
            Arguments.of("unknown type", stream(null, "{\"type\":\"response.custom_thing.delta\",\"output_index\":1,\"delta\":\"x\"}", null)),
            Arguments.of("unknown type escaped", stream(null,
                "{\"type\":\"response.custom\\u005fthing.delta\",\"output_index\":1,\"delta\":\"x\"}", null)),
            Arguments.of("unknown type beyond ASCII", stream(null, "{\"type\":\"response.caf\u00e9.delta\",\"output_index\":1,\"delta\":\"x\"}", null)),
            Arguments.of("unknown type not a lifecycle one", stream(null, "{\"type\":\"responses.thing\",\"output_index\":1}", null)),
            Arguments.of("the prefix alone", stream(null, "{\"type\":\"response.\",\"output_index\":1}", null)),
            Arguments.of("item id escaped", stream(null, "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg\\u005f1\"," +
                "\"output_index\":1,\"content_index\":0,\"delta\":\"x\"}", null)),
            Arguments.of("item id beyond ASCII", stream(null, "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_\u00e9\"," +
                "\"output_index\":1,\"content_index\":0,\"delta\":\"x\"}", null)),
            Arguments.of("fractional index", stream(null, "{\"type\":\"response.output_text.delta\",\"output_index\":1.0,\"delta\":\"x\"}", null)),
            Arguments.of("negative index", stream(null, "{\"type\":\"response.output_text.delta\",\"output_index\":-1,\"delta\":\"x\"}", null)),
            Arguments.of("minus zero index", stream(null, "{\"type\":\"response.output_text.delta\",\"output_index\":-0,\"delta\":\"x\"}", null)),
            Arguments.of("index past a long", stream(null,
                "{\"type\":\"response.output_text.delta\",\"output_index\":99999999999999999999,\"delta\":\"x\"}", null)),
            Arguments.of("index past the limit", stream(null,
                "{\"type\":\"response.output_text.delta\",\"output_index\":9223372036854775807,\"delta\":\"x\"}", null)),
            Arguments.of("fractional sequence number", stream(null, delta("\"sequence_number\":1.5,\"delta\":\"x\""), null)),
            Arguments.of("logprob entries of every kind on a delta", stream(null, delta("\"delta\":\"x\",\"logprobs\":[" +
                "{\"token\":\"x\",\"logprob\":-0.5,\"bytes\":[120],\"top_logprobs\":[{\"token\":\"y\",\"logprob\":-9.25}]},7,null," +
                "{\"logprob\":1e-300,\"token\":\"\\u00e9\\ud83d\"},{\"token\":\"a\",\"token\":\"b\",\"logprob\":-1,\"logprob\":-2}," +
                "{\"logprob\":\"x\",\"token\":7},{\"token\":null,\"logprob\":123456789012345678901234567890}, { } ]"), null)),
            Arguments.of("a logprob the scanner cannot read exactly", stream(null, delta("\"delta\":\"x\",\"logprobs\":[" +
                "{\"token\":\"x\",\"logprob\":-0.12345678901234567890123456789},{\"token\":\"z\",\"logprob\":-1}]"), null)),
            Arguments.of("a learnt delta, then a sequence number longer than the number limit", stream(null,
                delta("\"sequence_number\":5,\"delta\":\"x\"") + "\n\ndata: " + delta("\"sequence_number\":123456789012345,\"delta\":\"y\""),
                null)),
            Arguments.of("whitespace everywhere", stream(" {\t\"type\" :\"response.output_item.done\" , \"output_index\": 0 ,\"item\" : " +
                "{ \"id\" : \"rs_1\" , \"type\":\"reasoning\" ,\"encrypted_content\" : \"" + ENCRYPTED + "\" , \"n\" : -0.0e+1 , " +
                "\"t\":true,\"f\":false , \"z\":null } } ", null, null)),
            Arguments.of("lone surrogate escapes", stream(null, delta("\"delta\":\"\\ud800x\\udfff\""), null)),
            Arguments.of("overlong UTF-8 in opaque content", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
                "\"encrypted_content\":\"ab%C0%80cd\"}"), null, null)),
            Arguments.of("encoded surrogate in opaque content", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
                "\"encrypted_content\":\"ab%ED%A0%80cd\"}"), null, null)),
            Arguments.of("control character in opaque content", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
                "\"encrypted_content\":\"ab\tcd\"}"), null, null)),
            Arguments.of("bad escape in opaque content", stream(done("{\"id\":\"rs_1\",\"encrypted_content\":\"a\\qb\"}"), null, null)),
            Arguments.of("cut short", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]"), null, null)),
            Arguments.of("text after the object", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"}} x"), null, null)),
            Arguments.of("two objects", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"}}{\"a\":1"), null, null)),
            Arguments.of("leading zero", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\",\"n\":01}"), null, null)),
            Arguments.of("item an array", stream(done("[1,2]"), null, null)),
            Arguments.of("item a string", stream(done("\"rs_1\""), null, null)),
            Arguments.of("response an empty array", stream(null, null, completed("[]"))),
            Arguments.of("response an array", stream(null, null, completed("[{\"status\":\"completed\"}]"))),
            Arguments.of("usage a string", stream(null, null, completed("{\"status\":\"completed\",\"usage\":\"none\"}"))),
            Arguments.of("usage null over a usage", stream(null, null, completed("{\"status\":\"completed\",\"usage\":null,\"model\":\"\"}"))),
            Arguments.of("output not an array, elements not objects", stream(null, null,
                completed("{\"status\":\"completed\",\"output\":{\"a\":1},\"output\":[1,\"x\",null,{\"id\":\"" + ITEM_ID + "\"}]}"))),
            Arguments.of("error event", stream(null,
                "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"boom\",\"param\":null,\"sequence_number\":5}", null)),
            Arguments.of("failed with an error object", stream(null, null,
                "{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"x\",\"message\":\"y\"}}}")),
            Arguments.of("annotation", stream(null, "{\"type\":\"response.output_text.annotation.added\",\"item_id\":\"" + ITEM_ID +
                "\",\"output_index\":1,\"content_index\":0,\"annotation_index\":0,\"annotation\":{\"type\":\"url_citation\",\"url\":\"u\"}}",
                null)),
            Arguments.of("deep nesting", stream(done("{\"id\":\"rs_1\",\"x\":" + "[".repeat(300) + "]".repeat(300) + "}"), null, null)),
            Arguments.of("content part with annotations of every kind and unstreamed logprobs", stream(null,
                "{\"type\":\"response.content_part.done\",\"item_id\":\"" + ITEM_ID + "\",\"output_index\":1,\"content_index\":1," +
                "\"part\":{\"type\":\"output_text\",\"text\":\"Yes\",\"annotations\":[1,\"x\",null,{\"type\":\"url_citation\"},[2]]," +
                "\"logprobs\":[{\"token\":\"Yes\",\"logprob\":-0.25,\"bytes\":[89,101,115],\"top_logprobs\":[]}],\"extra\":{\"k\":[]}}}",
                null)),
            Arguments.of("content part of odd shapes", stream(null,
                "{\"type\":\"response.content_part.added\",\"item_id\":\"" + ITEM_ID + "\",\"output_index\":1,\"content_index\":2," +
                "\"part\":{\"type\":7,\"text\":null,\"refusal\":\"no\",\"annotations\":{},\"logprobs\":\"none\",\"x\":\"\"}}", null)),
            Arguments.of("content part an array", stream(null,
                "{\"type\":\"response.content_part.done\",\"output_index\":1,\"content_index\":0,\"part\":[{\"text\":\"x\"}]}", null)),
            Arguments.of("summary parts and a message with odd content", stream(done("{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
                "\"summary\":[{\"type\":\"summary_text\",\"text\":\"thought\"},7,{\"type\":\"summary_text\",\"text\":\"more\"}]," +
                "\"content\":[{\"type\":\"reasoning_text\",\"text\":\"r\"}]}"), null, completed("{\"status\":\"completed\"," +
                "\"output\":[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":\"flat\"},{\"id\":\"" + ITEM_ID + "\",\"type\":\"message\"," +
                "\"content\":[null,{\"type\":\"refusal\",\"refusal\":\"no\"},{\"type\":\"output_text\",\"text\":\"Hi \u00e9\"}]}]}"))),
            Arguments.of("function call with arguments", stream(null,
                "{\"type\":\"response.output_item.done\",\"output_index\":2,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\"," +
                "\"call_id\":\"call_1\",\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"SF\\\"}\",\"status\":\"completed\"}}", null)),
            Arguments.of("incomplete", stream(null, null, "{\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\"," +
                "\"incomplete_details\":{\"reason\":\"max_output_tokens\"}}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theScanShowsWhatTheFullReaderShows(final String name, final String sse)
    {
        final AggregationLimits small = AggregationLimits.builder().maxTextChars(20).maxRawBytes(60).maxNestingDepth(8).build();
        final AggregationLimits shortNumbers = AggregationLimits.builder().maxNumberLength(10).build();
        FastPathRun.assertInvisible(Format.OPENAI_RESPONSES, FastPathRun.rawBytes(sse), name, AggregationLimits.DEFAULT, small, shortNumbers);
    }

    @Test
    void theLargeEventsAreScannedNotTokenized()
    {
        final byte[] bytes = stream(null, null, null).getBytes(StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.create(Format.OPENAI_RESPONSES);
        Feeding.feedWhole(aggregator, bytes, Feeding.Via.SCRIBBLED);
        aggregator.end();
        final Aggregate result = aggregator.result();
        assertTrue(result.errors().isEmpty(), result.errors().toString());
        final OpenAiResponsesDialect dialect = (OpenAiResponsesDialect)AggregatorInternals.dialect(aggregator);
        // Every event but the repeated delta the learnt-event fast path folds.
        assertEquals(9, dialect.scannedEvents());
        final String json = result.toJson();
        assertTrue(json.contains("\"encrypted_content\":\"" + ENCRYPTED + "\""), json);
        assertTrue(json.contains("\"top_p\":-0.5e+1") || json.contains("\"top_p\":-5.0"), json);
        assertEquals("Hi \u00e9\uD83D\uDE42\n", result.choice(0).joined(io.streamfold.aggregator.model.Part.Kind.TEXT).toString());
    }

    @Test
    void aStreamWithOnlyScannedEventsReadsAsTheRecordingSays() throws Exception
    {
        // Pretty-printed the way a proxy might re-serialise: the scan keeps it (whitespace is allowed anywhere).
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final String data : ResponsesTestSupport.dataPayloads(stream(null, null, null)))
        {
            out.write(("data: " + data.replace(",\"", ", \"").replace(":", " : ") + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        final FastPathRun full = FastPathRun.of(Format.OPENAI_RESPONSES, out.toByteArray(), AggregationLimits.DEFAULT, false, false, 0, false);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_RESPONSES, out.toByteArray(), AggregationLimits.DEFAULT, false, false, 0, true);
        FastPathRun.assertSame(full, fast, "spaced");
        assertTrue(full.errors.isEmpty(), full.errors.toString());
    }
}
