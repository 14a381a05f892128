package io.streamfold.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.testkit.JsonTree;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest
{
    private static final String SEED = "seed/000_5fd678bb3025000e.txt";

    @TempDir
    Path temp;

    private static Path seed()
    {
        return SharedFiles.require().resolve(SEED);
    }

    private static byte[] seedSse() throws IOException
    {
        return Cassette.toSse(SharedFiles.read(seed()));
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        final Path path = temp.resolve(name);
        Files.write(path, bytes);
        return path;
    }

    private static void assertSeedResponse(final CliRun run) throws IOException
    {
        assertEquals(0, run.exitCode, run::toString);
        assertEquals("", run.err, run::toString);
        final Object json = JsonTree.parse(run.out);
        assertEquals("[1]", JsonTree.at(json, "choices", 0, "message", "content"));
        assertEquals(List.of(new BigDecimal(58), new BigDecimal(16), new BigDecimal(60), new BigDecimal(128009)), JsonTree.at(json, "choices", 0, "token_ids"));
        assertEquals("stop", JsonTree.at(json, "choices", 0, "finish_reason"));
        assertEquals(new BigDecimal("9314001608812126000"), JsonTree.at(json, "choices", 0, "seed"));
        assertEquals(new BigDecimal(96), JsonTree.at(json, "usage", "total_tokens"));
    }

    @Test
    void aggregatesTheSeedCassetteToTheProvidersOwnShape() throws IOException
    {
        final CliRun run = CliRun.run("aggregate", seed().toString());
        assertSeedResponse(run);
        assertEquals(1, run.outLines().size(), "compact: one line");
    }

    @Test
    void prettyIsTheSameJsonIndented() throws IOException
    {
        final CliRun compact = CliRun.run("aggregate", seed().toString());
        final CliRun pretty = CliRun.run("aggregate", "--pretty", seed().toString());
        assertSeedResponse(pretty);
        assertTrue(pretty.outLines().size() > 10, pretty::toString);
        assertEquals(JsonTree.parse(compact.out), JsonTree.parse(pretty.out));
    }

    @Test
    void normalizedViewOfTheSeed() throws IOException
    {
        final CliRun run = CliRun.run("aggregate", "--normalized", seed().toString());
        assertEquals(0, run.exitCode, run::toString);
        final Object json = JsonTree.parse(run.out);
        assertEquals("openai-chat", JsonTree.at(json, "format"));
        assertEquals("complete", JsonTree.at(json, "outcome"));
        assertEquals("[1]", JsonTree.at(json, "choices", 0, "text"));
        assertEquals(new BigDecimal(92), JsonTree.at(json, "usage", "input_tokens"));
        assertEquals("complete", JsonTree.at(json, "verdict", "reason"));
        assertEquals("reported", JsonTree.at(json, "usage", "source"));
    }

    @Test
    void normalizedViewMarksAnIncompleteToolCall() throws IOException
    {
        final Path cut = SharedFiles.require().resolve("corpus/anthropic-messages/anthropic-sonnet37-max-tokens-partial-tool-json.sse");
        final CliRun run = CliRun.run("aggregate", "--normalized", "--format", "anthropic", cut.toString());
        // The stream reports the broken input as an error, so the result is usable but incomplete.
        assertEquals(Main.EXIT_INCOMPLETE, run.exitCode, run::toString);
        final Object json = JsonTree.parse(run.out);
        assertEquals("length", JsonTree.at(json, "verdict", "reason"));
        assertEquals("max_tokens", JsonTree.at(json, "verdict", "provider_reason"));
        assertEquals(Boolean.FALSE, JsonTree.at(json, "choices", 0, "tool_calls", 0, "complete"));
        assertTrue(JsonTree.at(json, "choices", 0, "tool_calls", 0, "arguments").toString().startsWith("{\"filename\""));
    }

    @Test
    void rawSseFileAndCassetteFoldTheSame() throws IOException
    {
        final Path sse = write("seed.sse", seedSse());
        final CliRun fromSse = CliRun.run("aggregate", "--format", "openai-chat", sse.toString());
        assertSeedResponse(fromSse);
        assertEquals(CliRun.run("aggregate", seed().toString()).out, fromSse.out);
    }

    @Test
    void readsStdinForDash() throws IOException
    {
        final CliRun fromFile = CliRun.run("aggregate", seed().toString());
        final CliRun fromStdin = CliRun.withStdin(new ByteArrayInputStream(SharedFiles.read(seed())), "aggregate", "-");
        assertSeedResponse(fromStdin);
        assertEquals(fromFile.out, fromStdin.out);
    }

    @Test
    void cassetteArrivingOneByteAtATimeIsStillRecognised() throws IOException
    {
        final CliRun run = CliRun.withStdin(new Trickle(SharedFiles.read(seed()), 1, false), "aggregate", "-");
        assertSeedResponse(run);
    }

    @Test
    void prettyPrintedCassetteIsRecognisedFromAFileAndATrickle() throws IOException
    {
        final String pretty = new String(SharedFiles.read(seed()), StandardCharsets.UTF_8)
            .replace("{ ", "{\r\n\t\t").replace(", \"", ",\n    \"");
        assertTrue(pretty.contains("\"__data__\": {\r\n\t\t\"id\""), pretty.substring(0, 400));
        final byte[] bytes = pretty.getBytes(StandardCharsets.UTF_8);
        assertSeedResponse(CliRun.run("aggregate", write("pretty.json", bytes).toString()));
        assertSeedResponse(CliRun.withStdin(new Trickle(bytes, 3, false), "aggregate", "-"));
    }

    private static String chatChunk(final String content)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0," +
            "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    @Test
    void cassetteChunkPastTheFrameLimitKeepsWhatCameBeforeAndExits3() throws IOException
    {
        final String big = chatChunk("y".repeat(17 << 20));
        final byte[] bytes = ("{\"response\":{\"body\":[{\"__data__\":" + chatChunk("Hel") + "},{\"__data__\":" + big +
            "},{\"__data__\":" + chatChunk("lo") + "}]}}").getBytes(StandardCharsets.UTF_8);
        final CliRun run = CliRun.run("aggregate", write("big.json", bytes).toString());
        assertEquals(3, run.exitCode, run::toString);
        assertEquals("Hel", JsonTree.at(JsonTree.parse(run.out), "choices", 0, "message", "content"));
        assertTrue(run.err.contains("cassette LIMIT_EXCEEDED: a cassette chunk larger than the frame limit (16777216 bytes)"), run.err);

        final byte[] first = ("{\"response\":{\"body\":[{\"__data__\":" + big + "}]}}").getBytes(StandardCharsets.UTF_8);
        final CliRun refused = CliRun.run("aggregate", write("first.json", first).toString());
        assertEquals(2, refused.exitCode, refused::toString);
        assertTrue(refused.err.startsWith("streamfold: not a readable cassette: a cassette chunk larger than"), refused.err);
    }

    @Test
    void sseArrivingInSmallReadsFoldsTheSame() throws IOException
    {
        for (final int readSize : new int[]{1, 7, 100})
        {
            final CliRun run = CliRun.withStdin(new Trickle(seedSse(), readSize, false), "aggregate", "-");
            assertSeedResponse(run);
        }
    }

    @Test
    void stopsReadingALivePipeOnceTheTerminalEventArrived() throws IOException
    {
        final byte[] done = concat(seedSse(), "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        // The pipe stays open after [DONE]: reading on would fail the read, which would exit 3.
        final CliRun run = CliRun.withStdin(new Trickle(done, 8192, true), "aggregate", "-");
        assertSeedResponse(run);
    }

    @Test
    void truncatedStreamStillPrintsWhatWasRebuiltAndExits3() throws IOException
    {
        final byte[] sse = seedSse();
        final String full = "[1]";
        final int firstEventEnd = new String(sse, StandardCharsets.UTF_8).indexOf("\n\n") + 2;
        int checked = 0;
        for (int cut = firstEventEnd; cut < sse.length - 2; cut += (sse.length - firstEventEnd) / 10)
        {
            final byte[] head = java.util.Arrays.copyOf(sse, cut);
            final CliRun run = CliRun.withStdin(new ByteArrayInputStream(head), "aggregate", "-");
            assertEquals(3, run.exitCode, run::toString);
            final String content = (String)JsonTree.at(JsonTree.parse(run.out), "choices", 0, "message", "content");
            assertTrue(full.startsWith(content), run::toString);
            assertFalse(run.errLines().isEmpty(), run::toString);
            for (final String line : run.errLines())
            {
                assertTrue(line.matches("streamfold: error TRUNCATED event \\d+ offset \\d+: .+"), line);
            }
            checked++;
        }
        assertTrue(checked >= 8);
    }

    @Test
    void limitsAreSetFromTheCommandLine() throws IOException
    {
        final Path stream = write("long.sse", ("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "a".repeat(2000) +
            "\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, CliRun.run("aggregate", stream.toString()).exitCode);
        final CliRun tight = CliRun.run("aggregate", "--limit", "framing.maxLineBytes=1k", stream.toString());
        assertEquals(3, tight.exitCode, tight::toString);
        assertTrue(tight.err.contains("LINE_TOO_LONG") && tight.err.contains("1024"), tight::toString);
        final CliRun text = CliRun.run("aggregate", "--normalized", "--limit", "maxTextChars=10", "--limit", "maxErrors=5", stream.toString());
        assertEquals(3, text.exitCode, text::toString);
        assertTrue(text.out.contains("\"text\":\"aaaaaaaaaa\""), text::toString);
        final CliRun unknown = CliRun.run("aggregate", "--limit", "maxLines=3", stream.toString());
        assertEquals(2, unknown.exitCode);
        assertTrue(unknown.err.contains("no limit named 'maxLines'"), unknown::toString);
        final CliRun badSize = CliRun.run("events", "--limit", "framing.maxLineBytes=lots", stream.toString());
        assertEquals(2, badSize.exitCode);
        assertTrue(badSize.err.contains("is no size"), badSize::toString);
    }

    @Test
    void aFormatWithNoSupportedMarkerIsUnusableNotAnEmptyAnswer() throws IOException
    {
        // Cohere v2's events end with [DONE]: auto-detection falls back to chat, which folds none of them.
        final Path cohere = write("cohere.sse", ("event: message-start\ndata: {\"id\":\"e6\",\"type\":\"message-start\"," +
            "\"delta\":{\"message\":{\"role\":\"assistant\"}}}\n\n" +
            "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hi\"}}}}\n\n" +
            "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        final CliRun run = CliRun.run("aggregate", cohere.toString());
        assertEquals(2, run.exitCode, run::toString);
        assertEquals("", run.out);
        assertTrue(run.err.contains("nothing recognisable as openai-chat") && run.err.contains("not a chat completion chunk"), run::toString);
    }

    @Test
    void streamCutInsideItsFirstEventHasNothingToPrint() throws IOException
    {
        final byte[] sse = seedSse();
        final int firstEventEnd = new String(sse, StandardCharsets.UTF_8).indexOf("\n\n") + 2;
        final CliRun run = CliRun.withStdin(new ByteArrayInputStream(java.util.Arrays.copyOf(sse, firstEventEnd - 3)), "aggregate", "-");
        assertEquals(2, run.exitCode, run::toString);
        assertEquals("", run.out);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err.contains("nothing recognisable as openai-chat") && run.err.contains("TRUNCATED"), run::toString);
    }

    @Test
    void malformedEventIsReportedAndTheRestKept() throws IOException
    {
        final byte[] sse = seedSse();
        final int secondEvent = new String(sse, StandardCharsets.UTF_8).indexOf("\n\ndata: ") + 2;
        final byte[] broken = concat(
            java.util.Arrays.copyOf(sse, secondEvent),
            "data: {\"choices\": [oops\n\n".getBytes(StandardCharsets.US_ASCII),
            java.util.Arrays.copyOfRange(sse, secondEvent, sse.length));
        final CliRun run = CliRun.withStdin(new ByteArrayInputStream(broken), "aggregate", "-");
        assertEquals(3, run.exitCode, run::toString);
        assertEquals("[1]", JsonTree.at(JsonTree.parse(run.out), "choices", 0, "message", "content"));
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).startsWith("streamfold: error MALFORMED_JSON event 1 offset " + secondEvent + ": "), run::toString);
    }

    /**
     * An HTTP error body saved pretty-printed is one JSON document, not NDJSON: it reads as the provider error it is, as
     * the same body on one line does, from a file or as it trickles in.
     */
    @Test
    void aPrettyPrintedErrorBodyIsTheProviderError() throws IOException
    {
        final byte[] pretty = ("{\n  \"error\": {\n    \"message\": \"The model does not exist\",\n    \"type\": " +
            "\"invalid_request_error\",\r\n    \"code\": \"model_not_found\"\n  }\n}\n").getBytes(StandardCharsets.US_ASCII);
        for (final CliRun run : new CliRun[]{CliRun.run("aggregate", "--normalized", write("error.json", pretty).toString()),
            CliRun.withStdin(new Trickle(pretty, 5, false), "aggregate", "--normalized", "-")})
        {
            assertEquals(3, run.exitCode, run::toString);
            assertEquals("provider_error", JsonTree.at(JsonTree.parse(run.out), "verdict", "reason"), run::toString);
            assertEquals("The model does not exist", JsonTree.at(JsonTree.parse(run.out), "provider_error", "message"), run::toString);
        }
    }

    @Test
    void unusableInputExits2WithOneLine() throws IOException
    {
        final Path garbage = write("garbage.txt", "this is not a stream\nat all\n".getBytes(StandardCharsets.US_ASCII));
        final Path empty = write("empty.txt", new byte[0]);
        final Path binary = write("binary.bin", new byte[]{0, 0, 0, 42, 1, 2, 3});
        final List<String[]> cases = new ArrayList<>();
        cases.add(new String[]{"aggregate", temp.resolve("missing.txt").toString()});
        cases.add(new String[]{"aggregate", temp.toString()});
        cases.add(new String[]{"aggregate", garbage.toString()});
        cases.add(new String[]{"aggregate", empty.toString()});
        cases.add(new String[]{"aggregate", binary.toString()});
        cases.add(new String[]{"aggregate", "--format", "anthropic", garbage.toString()});
        cases.add(new String[]{"aggregate", "--format", "nope", garbage.toString()});
        cases.add(new String[]{"aggregate"});
        cases.add(new String[]{"events", temp.resolve("missing.txt").toString()});
        cases.add(new String[]{"events", empty.toString()});
        cases.add(new String[]{"events", garbage.toString()});
        cases.add(new String[]{"events", "--chunk", "0", garbage.toString()});
        cases.add(new String[]{"bench", "--seconds", "0.1", garbage.toString()});
        for (final String[] args : cases)
        {
            final CliRun run = CliRun.run(args);
            final String what = String.join(" ", args) + "\n" + run;
            assertEquals(2, run.exitCode, what);
            assertEquals("", run.out, what);
            assertEquals(1, run.errLines().size(), what);
            assertTrue(run.err.startsWith("streamfold"), what);
        }
    }

    @Test
    void reasonsNameTheProblem() throws IOException
    {
        assertTrue(CliRun.run("aggregate", temp.resolve("missing.txt").toString()).err.contains("no such file"));
        assertTrue(CliRun.run("aggregate", "-").err.contains("stdin: empty input"));
        assertTrue(CliRun.run("aggregate", "--format", "nope", "-").err.contains("unknown format 'nope'"));
    }

    @Test
    void eventsPrintsOneJsonLinePerEvent() throws IOException
    {
        final CliRun run = CliRun.run("events", seed().toString());
        assertEquals(0, run.exitCode, run::toString);
        final List<String> lines = run.outLines();
        final String[] chunks = new String(seedSse(), StandardCharsets.UTF_8).split("\n\n");
        assertEquals(chunks.length, lines.size());
        for (int i = 0; i < lines.size(); i++)
        {
            final Object event = JsonTree.parse(lines.get(i));
            assertEquals("message", JsonTree.at(event, "event"));
            assertEquals(chunks[i].substring("data: ".length()), JsonTree.at(event, "data"));
            assertTrue(((java.util.Map<?, ?>)event).containsKey("id"));
            assertEquals(null, JsonTree.at(event, "id"));
        }
    }

    @Test
    void eventsByteByByteMatchWholeReads() throws IOException
    {
        final Path mixed = write("mixed.sse", (
            "event: start\ndata: {\"a\":1}\n\n" +
            ": a comment\r\ndata: line one\r\ndata: line two\r\n\r\n" +
            "id: 7\nevent: delta\ndata: \"ü€😀\"\n\n" +
            "data: after id\n\n" +
            "id\ndata: id cleared\r\r").getBytes(StandardCharsets.UTF_8));
        for (final Path file : new Path[]{seed(), mixed})
        {
            final CliRun whole = CliRun.run("events", file.toString());
            assertEquals(0, whole.exitCode, whole::toString);
            for (final String chunk : new String[]{"1", "2", "5", "64"})
            {
                final CliRun split = CliRun.run("events", "--chunk", chunk, file.toString());
                assertEquals(whole.exitCode, split.exitCode, split::toString);
                assertEquals(whole.out, split.out, "chunk " + chunk);
            }
        }
        final List<String> lines = CliRun.run("events", mixed.toString()).outLines();
        assertEquals(List.of(
            "{\"event\":\"start\",\"data\":\"{\\\"a\\\":1}\",\"id\":null}",
            "{\"event\":\"message\",\"data\":\"line one\\nline two\",\"id\":null}",
            "{\"event\":\"delta\",\"data\":\"\\\"ü€😀\\\"\",\"id\":\"7\"}",
            "{\"event\":\"message\",\"data\":\"after id\",\"id\":\"7\"}",
            "{\"event\":\"message\",\"data\":\"id cleared\",\"id\":\"\"}"), lines);
    }

    @Test
    void eventsReportsFramingErrorsAndExits3() throws IOException
    {
        final Path cut = write("cut.sse", "data: one\n\ndata: two\n\ndata: thr".getBytes(StandardCharsets.US_ASCII));
        final CliRun run = CliRun.run("events", "--chunk", "3", cut.toString());
        assertEquals(3, run.exitCode, run::toString);
        assertEquals(2, run.outLines().size(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).matches("streamfold: error TRUNCATED event 2 offset \\d+: .+"), run::toString);
    }

    @Test
    void eventsReadsStdin() throws IOException
    {
        final CliRun fromStdin = CliRun.withStdin(new Trickle(SharedFiles.read(seed()), 13, false), "events", "-");
        assertEquals(0, fromStdin.exitCode, fromStdin::toString);
        assertEquals(CliRun.run("events", seed().toString()).out, fromStdin.out);
    }

    @Test
    void benchEndsWithThroughputLine() throws IOException
    {
        final Path sse = write("seed.sse", seedSse());
        final CliRun run = CliRun.run("bench", "--seconds", "0.2", seed().toString(), sse.toString());
        assertEquals(0, run.exitCode, run::toString);
        final List<String> lines = run.outLines();
        final String last = lines.get(lines.size() - 1);
        assertTrue(Pattern.matches("MB/s \\d+(\\.\\d+)? events/s \\d+", last), last);
        final int events = CliRun.run("events", seed().toString()).outLines().size();
        assertTrue(run.out.contains(" " + (2 * events) + " events per pass"), run::toString);
        assertNotEquals("MB/s 0.0 events/s 0", last);
    }

    @Test
    void helpAndVersion()
    {
        final CliRun help = CliRun.run("--help");
        assertEquals(0, help.exitCode);
        for (final String command : new String[]{"aggregate", "events", "bench"})
        {
            assertTrue(help.out.contains(command), help::toString);
            final CliRun sub = CliRun.run(command, "--help");
            assertEquals(0, sub.exitCode, sub::toString);
            assertTrue(sub.out.startsWith("Usage: streamfold " + command), sub::toString);
        }
        final String aggregateHelp = CliRun.run("aggregate", "--help").out;
        for (final String name : new String[]{"auto,", "openai-chat,", "anthropic,", "bedrock", "Exit codes"})
        {
            assertTrue(aggregateHelp.contains(name), aggregateHelp);
        }
        final CliRun version = CliRun.run("--version");
        assertEquals(0, version.exitCode);
        assertTrue(version.out.startsWith("streamfold "), version::toString);
        assertEquals(2, CliRun.run().exitCode);
    }

    private static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A pipe: at most {@code readSize} bytes per read; optionally still open (reads fail) after the data. */
    private static final class Trickle extends InputStream
    {
        private final byte[] data;
        private final int readSize;
        private final boolean staysOpen;
        private int position;

        Trickle(final byte[] data, final int readSize, final boolean staysOpen)
        {
            this.data = data;
            this.readSize = readSize;
            this.staysOpen = staysOpen;
        }

        @Override
        public int read()
        {
            throw new UnsupportedOperationException("single-byte reads are not how the CLI reads");
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException
        {
            if (position == data.length)
            {
                if (staysOpen)
                {
                    throw new IOException("read past the terminal event of a live stream");
                }
                return -1;
            }
            final int n = Math.min(Math.min(len, readSize), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }
}
