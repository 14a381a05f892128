package io.streamfold.aggregator.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FramingLimits;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cassette is read as it arrives, recognised by structure, and bounded by the framing limits. */
class CassetteTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String chunk(final String text, final String finish) throws Exception
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0," +
            "\"delta\":{\"content\":" + MAPPER.writeValueAsString(text) + "},\"finish_reason\":" +
            (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static String cassette(final String request, final String... chunks) throws Exception
    {
        final StringBuilder sb = new StringBuilder("{\"request\":{\"body\":{\"prompt\":").append(MAPPER.writeValueAsString(request))
            .append("}},\"response\":{\"status\":200,\"body\":[");
        for (int i = 0; i < chunks.length; i++)
        {
            sb.append(i == 0 ? "" : ",").append("{\"__type__\":\"Chunk\",\"__data__\":").append(chunks[i]).append('}');
        }
        return sb.append("]}}").toString();
    }

    private static String pretty(final String json) throws Exception
    {
        return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(MAPPER.readTree(json))
            .replace("  ", "\t").replace("\n", "\r\n");
    }

    /** Feeds {@code bytes} in slices of {@code slice} bytes; returns the SSE and the decision at the end. */
    private static List<Object> run(final byte[] bytes, final int slice, final FramingLimits limits) throws Exception
    {
        final ByteArrayOutputStream sse = new ByteArrayOutputStream();
        final Cassette cassette = new Cassette(limits, sse::write);
        for (int at = 0; at < bytes.length; at += slice)
        {
            cassette.feed(bytes, at, Math.min(slice, bytes.length - at));
        }
        final int decision = cassette.end();
        final List<Object> result = new ArrayList<>();
        result.add(decision);
        result.add(sse.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static Aggregate fold(final String sse)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        final byte[] b = sse.getBytes(StandardCharsets.UTF_8);
        a.feed(b, 0, b.length);
        a.end();
        return a.result();
    }

    @Test
    void aPrettyPrintedReindentedCassetteIsRecognisedAndFoldsLikeTheCompactOne() throws Exception
    {
        final String compact = cassette("Say hi", chunk("Hel", null), chunk("lo", "stop"));
        final String pretty = pretty(compact);
        assertTrue(pretty.contains("\"__data__\" : {\r\n\t"), pretty);
        final String expected = (String)run(compact.getBytes(StandardCharsets.UTF_8), 1 << 20, FramingLimits.DEFAULT).get(1);
        for (final int slice : new int[]{1, 3, 64, 1 << 20})
        {
            final List<Object> r = run(pretty.getBytes(StandardCharsets.UTF_8), slice, FramingLimits.DEFAULT);
            assertEquals(Cassette.CASSETTE, r.get(0));
            final Aggregate a = fold((String)r.get(1));
            assertEquals(List.of(), a.errors());
            assertEquals(Outcome.COMPLETE, a.outcome());
            assertEquals(fold(expected).toJson(), a.toJson());
        }
    }

    @Test
    void fieldOrderAndAHugeRequestDoNotHideTheCassette() throws Exception
    {
        // Far past the 1 MiB head the recogniser used to look at, and with the response first.
        final String request = "x".repeat(3 << 20);
        final String json = "{\"response\":{\"body\":[{\"__data__\":" + chunk("ok", "stop") + "}]},\"request\":{\"p\":\"" + request + "\"}}";
        assertEquals(Cassette.CASSETTE, run(json.getBytes(StandardCharsets.UTF_8), 8192, FramingLimits.DEFAULT).get(0));
        final String late = cassette(request, chunk("ok", "stop"));
        final List<Object> r = run(late.getBytes(StandardCharsets.UTF_8), 8192, FramingLimits.DEFAULT);
        assertEquals(Cassette.CASSETTE, r.get(0));
        assertEquals("ok", fold((String)r.get(1)).choice(0).joined(io.streamfold.aggregator.model.Part.Kind.TEXT));
    }

    @Test
    void aStreamIsNotACassetteAndIsDecidedAtItsFirstObject() throws Exception
    {
        final ByteArrayOutputStream sse = new ByteArrayOutputStream();
        final Cassette c = new Cassette(FramingLimits.DEFAULT, sse::write);
        final byte[] ndjson = "{\"model\":\"m\",\"response\":\"hi\",\"done\":false}\n{\"model\":\"m\"".getBytes(StandardCharsets.UTF_8);
        assertEquals(Cassette.NOT_A_CASSETTE, c.feed(ndjson, 0, ndjson.length));
        final byte[] sseBytes = "data: {}\n\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Cassette.NOT_A_CASSETTE, new Cassette(FramingLimits.DEFAULT, sse::write).feed(sseBytes, 0, sseBytes.length));
        assertEquals(0, sse.size());
    }

    @Test
    void aChunkPastTheFrameLimitIsATypedErrorAfterTheChunksBeforeIt() throws Exception
    {
        final FramingLimits limits = FramingLimits.builder().maxLineBytes(1024).maxFrameBytes(4096).build();
        final String json = cassette("q", chunk("Hel", null), chunk("y".repeat(8000), null), chunk("lo", "stop"));
        final ByteArrayOutputStream sse = new ByteArrayOutputStream();
        final Cassette c = new Cassette(limits, sse::write);
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final Cassette.CassetteException e = assertThrows(Cassette.CassetteException.class, () ->
        {
            for (int at = 0; at < bytes.length; at += 100)
            {
                c.feed(bytes, at, Math.min(100, bytes.length - at));
            }
        });
        assertEquals(ErrorKind.LIMIT_EXCEEDED, e.kind());
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        // The chunk before the big one was handed on, and nothing of the big one.
        final Aggregate a = fold(sse.toString(StandardCharsets.UTF_8));
        assertEquals("Hel", a.choice(0).joined(io.streamfold.aggregator.model.Part.Kind.TEXT));
    }

    @Test
    void aStringOrNestingPastTheirLimitsAreTypedErrorsOnceItIsACassette() throws Exception
    {
        final FramingLimits limits = FramingLimits.builder().maxLineBytes(1024).maxFrameBytes(4096).maxNestingDepth(8).build();
        final byte[] big = cassette("q", "\"" + "z".repeat(9000) + "\"").getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorKind.LIMIT_EXCEEDED, assertThrows(Cassette.CassetteException.class,
            () -> run(big, 512, limits)).kind());
        final byte[] deep = cassette("q", "[".repeat(20) + "]".repeat(20)).getBytes(StandardCharsets.UTF_8);
        assertEquals(ErrorKind.LIMIT_EXCEEDED, assertThrows(Cassette.CassetteException.class,
            () -> run(deep, 7, limits)).kind());
        // Before it showed a cassette's shape, input past a limit is a stream for the framers to judge.
        final byte[] bigRequest = cassette("z".repeat(9000), chunk("a", null)).getBytes(StandardCharsets.UTF_8);
        assertEquals(Cassette.NOT_A_CASSETTE, run(bigRequest, 512, limits).get(0));
    }

    @Test
    void aCutCassetteIsTruncatedAndIllFormedUtf8IsRefusedAcrossSlices() throws Exception
    {
        final byte[] whole = cassette("q", chunk("Hel", null), chunk("lo", "stop")).getBytes(StandardCharsets.UTF_8);
        final byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        assertEquals(ErrorKind.TRUNCATED, assertThrows(Cassette.CassetteException.class, () -> run(cut, 5, FramingLimits.DEFAULT)).kind());
        final byte[] bad = cassette("q\u00e9", chunk("a", null)).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bad.length; i++)
        {
            if ((bad[i] & 0xFF) == 0xC3)
            {
                bad[i] = (byte)0xC0; // C0 A9: an overlong form
            }
        }
        for (final int slice : new int[]{1, 2, 1 << 20})
        {
            final Cassette.CassetteException e = assertThrows(Cassette.CassetteException.class, () -> run(bad, slice, FramingLimits.DEFAULT));
            assertEquals(ErrorKind.MALFORMED_JSON, e.kind());
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
        // Nothing from the ill-formed chunk on is handed on, even in one slice: C0 AF would decode as '/'.
        final byte[] smuggled = ("{\"response\":{\"body\":[\"data: {\\\"a\\\":1}\\n\\n\",\"data: {\\\"p\\\":\\\"..#etc\\\"}\\n\\n\"]}}")
            .getBytes(StandardCharsets.UTF_8);
        final int hash = new String(smuggled, StandardCharsets.ISO_8859_1).indexOf('#');
        smuggled[hash] = (byte)0xC0;
        smuggled[hash - 1] = (byte)0xAF;
        smuggled[hash - 1] = '.';
        smuggled[hash + 1] = (byte)0xAF;
        final ByteArrayOutputStream handed = new ByteArrayOutputStream();
        final Cassette c = new Cassette(FramingLimits.DEFAULT, handed::write);
        assertThrows(Cassette.CassetteException.class, () -> c.feed(smuggled, 0, smuggled.length));
        assertEquals("data: {\"a\":1}\n\n", handed.toString(StandardCharsets.UTF_8));
        assertEquals(Cassette.CASSETTE, run(cassette("q\u00e9\ud83d\ude00", chunk("a", null)).getBytes(StandardCharsets.UTF_8), 1,
            FramingLimits.DEFAULT).get(0));
    }

    @Test
    void scalarAndRawTextChunksAreKept() throws Exception
    {
        final String json = "{\"response\":{\"body\":[\"data: {\\\"a\\\":1}\\n\\n\",{\"__data__\":\"s\"},{\"__data__\":12},{\"x\":1}]}}";
        for (final int slice : new int[]{1, 1 << 20})
        {
            assertEquals("data: {\"a\":1}\n\ndata: \"s\"\n\ndata: 12\n\n",
                run(json.getBytes(StandardCharsets.UTF_8), slice, FramingLimits.DEFAULT).get(1));
        }
    }

    @Test
    void theSeedCassetteFoldsTheSameWholeAndByteByByte() throws Exception
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("seed/000_5fd678bb3025000e.txt"));
        final JsonNode whole = MAPPER.readTree(fold(new String(Cassette.toSse(bytes), StandardCharsets.UTF_8)).toJson());
        assertEquals(whole, MAPPER.readTree(fold((String)run(bytes, 1, FramingLimits.DEFAULT).get(1)).toJson()));
        assertEquals(whole, MAPPER.readTree(fold((String)run(pretty(new String(bytes, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8), 13, FramingLimits.DEFAULT).get(1)).toJson()));
    }
}
