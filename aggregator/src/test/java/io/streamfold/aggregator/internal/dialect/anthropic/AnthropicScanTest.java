package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Feeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block events read scan-first (content_block_start, _delta, _stop and pings checked by the byte scan and folded
 * from its members, search results and citations kept as their bytes) show exactly what the token reader shows, on
 * the shapes where the two could part: what the scan hands back (fields in another order, repeated or mistyped
 * fields, unknown deltas, escaped names, ill-formed UTF-8, bad escapes, cut or trailing bytes, deep nesting, values
 * over a limit) and what it keeps itself (whitespace, escapes, long opaque strings, odd citation elements).
 */
class AnthropicScanTest
{
    private static final String ENCRYPTED = "EroTCioIBxgCIiQ0NGFlNjc2Yy05NThmLTRkNjgtOTEwOC1lYWU5ZGU3YjM2NmISDGwpqkFZ9MrXRilipBoMkaFQ" +
        "rDK2VBha5sdoIjDvKSy6OkyPcFjuZ5KLzUqVR96F1F7CMrc/ON8ZDG1+CbRPNE/JvbWdVA6JiBvF9ZAqvRK8Q57eDwlaDNidwAd2cnmQUIBGEDvYySUWwLvem" +
        "lQGAdurhHZR8W5942iwICdA/PHtIX36y4yKZOF5u2lpB0N82TkccXarRKuv8uM6TgviUiePChpTLppaX3s+kU0457sxeXhFr2bGfgPnEAi0IrowzrgBapC18";
    private static final String RESULT = "{\"type\":\"web_search_result\",\"title\":\"San Francisco \\u00e9 Weather\",\"url\":" +
        "\"https://example.com/sf\",\"encrypted_content\":\"" + ENCRYPTED + "\",\"page_age\":null}";
    private static final String CITATION = "{\"type\":\"web_search_result_location\",\"cited_text\":\"It is 72\u00b0F \\\"sunny\\\"\"," +
        "\"url\":\"https://example.com/sf\",\"title\":\"SF\",\"encrypted_index\":\"" + ENCRYPTED.substring(0, 120) + "\"}";

    /** A web search turn: a server tool call, its results block, a text block with citation deltas. */
    static String stream(final String searchResult, final String citationDelta, final String extra)
    {
        return event("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"model\":\"claude-sonnet-4\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20," +
            "\"output_tokens\":1}}}") +
            event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\"," +
                "\"name\":\"web_search\",\"input\":{}}}") +
            event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \"}}") +
            event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"sf\\\"}\"}}  ") +
            event("{\"type\":\"content_block_stop\",\"index\":0}") +
            event(searchResult == null ? "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"web_search_tool_result\"," +
                "\"tool_use_id\":\"srvtoolu_1\",\"content\":[" + RESULT + "," + RESULT + "]}}" : searchResult) +
            event("{\"type\":\"content_block_stop\",\"index\":1}") +
            event("{\"type\": \"ping\"}") +
            event("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":[]}}") +
            event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"It is \"}}") +
            event(citationDelta == null ? "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"citations_delta\"," +
                "\"citation\":" + CITATION + "}}" : citationDelta) +
            event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"72\u00b0F.\"}}      ") +
            (extra == null ? "" : event(extra)) +
            event("{\"type\":\"content_block_stop\",\"index\":2}") +
            event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}," +
                "\"usage\":{\"output_tokens\":30}}") +
            event("{\"type\":\"message_stop\"}");
    }

    private static String event(final String data)
    {
        return "data: " + data + "\n\n";
    }

    private static String start(final String block)
    {
        return "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":" + block + "}";
    }

    private static String delta(final int index, final String delta)
    {
        return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}";
    }

    static Stream<Arguments> variants()
    {
        final String results = "\"tool_use_id\":\"srvtoolu_1\",\"content\":[" + RESULT + "]";
        return Stream.of(
            Arguments.of("as recorded", stream(null, null, null)),
            Arguments.of("index before type", stream("{\"index\":1,\"type\":\"content_block_start\",\"content_block\":" +
                "{\"type\":\"web_search_tool_result\"," + results + "}}", null, null)),
            Arguments.of("block before index", stream("{\"type\":\"content_block_start\",\"content_block\":" +
                "{\"type\":\"web_search_tool_result\"," + results + "},\"index\":1}", null, null)),
            Arguments.of("type twice", stream(null, "{\"type\":\"content_block_delta\",\"index\":2,\"type\":\"ping\"," +
                "\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}", null)),
            Arguments.of("index twice", stream(null, "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\"," +
                "\"text\":\"x\"},\"index\":0}", null)),
            Arguments.of("type not a string", stream(null, "{\"type\":3,\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}", null)),
            Arguments.of("fractional index", stream(null, "{\"type\":\"content_block_delta\",\"index\":2.0,\"delta\":{\"type\":\"text_delta\"," +
                "\"text\":\"x\"}}", null)),
            Arguments.of("minus zero index", stream(null, "{\"type\":\"content_block_delta\",\"index\":-0,\"delta\":{\"type\":\"text_delta\"," +
                "\"text\":\"x\"}}", null)),
            Arguments.of("index past a long", stream(null, "{\"type\":\"content_block_stop\",\"index\":99999999999999999999}", null)),
            Arguments.of("index past the limit", stream(null, "{\"type\":\"content_block_start\",\"index\":9223372036854775807," +
                "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}", null)),
            Arguments.of("no index", stream(null, "{\"type\":\"content_block_stop\"}", null)),
            Arguments.of("delta not an object", stream(null, "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":[1]}", null)),
            Arguments.of("two deltas", stream(null, "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\"," +
                "\"text\":\"a\"},\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}", null)),
            Arguments.of("block not an object", stream(start("\"text\""), null, null)),
            Arguments.of("two blocks", stream("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\"}," +
                "\"content_block\":{\"type\":\"thinking\"}}", null, null)),
            Arguments.of("unknown delta type", stream(null, delta(2, "{\"type\":\"shiny_delta\",\"shine\":\"x\",\"n\":1}"), null)),
            Arguments.of("compaction delta", stream(null, delta(3, "{\"type\":\"compaction_delta\",\"content\":\"summary\"}"), null)),
            Arguments.of("unknown field in a known delta", stream(null, delta(2, "{\"type\":\"text_delta\",\"text\":\"a\",\"extra\":1}"), null)),
            Arguments.of("delta type after its text", stream(null, delta(2, "{\"text\":\"a\",\"type\":\"text_delta\"}"), null)),
            Arguments.of("delta without a type", stream(null, delta(2, "{\"text\":\"a\"}"), null)),
            Arguments.of("delta type not a string", stream(null, delta(2, "{\"type\":null,\"text\":\"a\"}"), null)),
            Arguments.of("text not a string", stream(null, delta(2, "{\"type\":\"text_delta\",\"text\":5}"), null)),
            Arguments.of("citation not an object", stream(null, delta(2, "{\"type\":\"citations_delta\",\"citation\":\"x\"}"), null)),
            Arguments.of("delta for a block of another kind", stream(null, delta(1, "{\"type\":\"text_delta\",\"text\":\"a\"}"), null)),
            Arguments.of("thinking and signature for a new block", stream(null, delta(5, "{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}"),
                delta(5, "{\"type\":\"signature_delta\",\"signature\":\"" + ENCRYPTED + "\"}"))),
            Arguments.of("escaped event field name", stream(null, "{\"type\":\"content_block_delta\",\"ind\\u0065x\":2,\"delta\":" +
                "{\"type\":\"text_delta\",\"text\":\"x\"}}", null)),
            Arguments.of("escaped names inside the block", stream(start("{\"typ\\u0065\":\"web_search_tool_result\",\"cont\\u0065nt\":[" +
                RESULT + "]}"), null, null)),
            Arguments.of("block type not first, twice, not a string", stream(start("{\"tool_use_id\":\"srvtoolu_1\",\"type\":{\"a\":1}," +
                "\"type\":\"web_search_tool_result\",\"content\":[]}"), null, null)),
            Arguments.of("text block with a second type of another type", stream(null, null, start("{\"type\":\"text\",\"type\":[1,2]," +
                "\"text\":\"t\"}").replace("\"index\":1", "\"index\":6"))),
            Arguments.of("citations of every kind", stream(start("{\"type\":\"text\",\"text\":\"t\",\"citations\":[" + CITATION +
                ",1,\"x\",null,[2],\"" + ENCRYPTED + "\"],\"extra\":\"\"}"), null, null)),
            Arguments.of("tool use with long input and caller", stream(start("{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\"," +
                "\"input\":{\"q\":\"" + ENCRYPTED + "\"},\"caller\":\"" + ENCRYPTED + "\"}"), null, null)),
            Arguments.of("whitespace everywhere", stream(" {\t\"type\" :\"content_block_start\" , \"index\": 1 ,\"content_block\" : " +
                "{ \"type\" : \"web_search_tool_result\" , \"content\" : [ " + RESULT + " ] , \"n\" : -0.0e+1 , " +
                "\"t\":true,\"f\":false , \"z\":null } } ", null, null)),
            Arguments.of("overlong UTF-8 in a search result", stream(start("{\"type\":\"web_search_tool_result\",\"content\":" +
                "[{\"encrypted_content\":\"ab%C0%80cd\"}]}"), null, null)),
            Arguments.of("encoded surrogate in a citation", stream(null, delta(2, "{\"type\":\"citations_delta\",\"citation\":" +
                "{\"cited_text\":\"ab%ED%A0%80cd\"}}"), null)),
            Arguments.of("control character in a search result", stream(start("{\"type\":\"web_search_tool_result\",\"content\":" +
                "[{\"title\":\"a\tb\"}]}"), null, null)),
            Arguments.of("bad escape in a search result", stream(start("{\"type\":\"web_search_tool_result\",\"content\":" +
                "[{\"title\":\"a\\qb\"}]}"), null, null)),
            Arguments.of("lone surrogate escapes", stream(null, delta(2, "{\"type\":\"text_delta\",\"text\":\"\\ud800x\\udfff\"}"), null)),
            Arguments.of("cut short", stream(start("{\"type\":\"web_search_tool_result\",\"content\":[" + RESULT).replace("}}", ""), null, null)),
            Arguments.of("text after the object", stream(null, "{\"type\":\"content_block_stop\",\"index\":2} x", null)),
            Arguments.of("two objects", stream(null, "{\"type\":\"ping\"}{\"type\":\"ping\"}", null)),
            Arguments.of("leading zero", stream(start("{\"type\":\"web_search_tool_result\",\"content\":[{\"n\":01}]}"), null, null)),
            Arguments.of("deep nesting", stream(start("{\"type\":\"web_search_tool_result\",\"content\":" + "[".repeat(300) +
                "]".repeat(300) + "}"), null, null)),
            Arguments.of("ping with fields and an index", stream(null, "{\"type\":\"ping\",\"at\":{\"x\":[1]},\"index\":3}", null)),
            Arguments.of("ping with a bad index", stream(null, "{\"type\":\"ping\",\"index\":\"3\"}", null)),
            Arguments.of("stop with fields", stream(null, "{\"type\":\"content_block_stop\",\"index\":1,\"extra\":[\"" + ENCRYPTED + "\"]}", null)),
            Arguments.of("unknown block event", stream(null, "{\"type\":\"content_block_paused\",\"index\":1}", null)),
            Arguments.of("delta before any block", stream(null, delta(7, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}"), null)),
            Arguments.of("text deltas for several blocks, then negative and odd indexes", stream(null,
                delta(2, "{\"type\":\"text_delta\",\"text\":\"a\"}").replace("\"index\":2", "\"index\":3"),
                delta(2, "{\"type\":\"text_delta\",\"text\":\"b\"}") + "\n\n" +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"c\"}").replace("\"index\":2", "\"index\":-1")) +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"d\"}").replace("\"index\":2", "\"index\":-0")) +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"e\"}").replace("\"index\":2", "\"index\":2.5")) +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"f\"}").replace("\"index\":2", "\"index\":123456789012345678")) +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"g\"}").replace("\"index\":2", "\"index\":00")) +
                event(delta(2, "{\"type\":\"text_delta\",\"text\":\"h\"}")) +
                event(delta(1, "{\"type\":\"text_delta\",\"text\":\"i\"}")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theScanShowsWhatTheTokenReaderShows(final String name, final String sse)
    {
        final AggregationLimits small = AggregationLimits.builder().maxTextChars(20).maxRawBytes(300).maxNestingDepth(8).build();
        final AggregationLimits shortNumbers = AggregationLimits.builder().maxNumberLength(10).build();
        final AggregationLimits tinyBudget = AggregationLimits.builder().maxResultBytes(4 * AggregationLimits.PART_BYTES).build();
        FastPathRun.assertInvisible(Format.ANTHROPIC, FastPathRun.rawBytes(sse), name, AggregationLimits.DEFAULT, small, shortNumbers,
            tinyBudget);
    }

    @Test
    void blockEventsAreScannedNotTokenized()
    {
        final byte[] bytes = stream(null, null, null).getBytes(StandardCharsets.UTF_8);
        final StreamAggregator aggregator = StreamAggregator.create(Format.ANTHROPIC);
        Feeding.feedWhole(aggregator, bytes, Feeding.Via.SCRIBBLED);
        aggregator.end();
        final Aggregate result = aggregator.result();
        assertTrue(result.errors().isEmpty(), result.errors().toString());
        final AnthropicDialect dialect = (AnthropicDialect)AggregatorInternals.dialect(aggregator);
        // Every event: the block events and the ping (no delta here repeats the one before it byte for byte around its
        // value), and message_start, message_delta and message_stop.
        assertEquals(15, dialect.scannedEvents());
        final String json = result.toJson();
        assertTrue(json.contains("\"content\":[" + RESULT + "," + RESULT + "]"), json);
        assertTrue(json.contains("\"citations\":[" + CITATION + "]"), json);
        assertEquals("It is 72\u00b0F.", result.choice(0).joined(Part.Kind.TEXT).toString());
        assertEquals("{\"query\": \"sf\"}", result.choice(0).toolCalls().get(0).text().toString());
    }
}
