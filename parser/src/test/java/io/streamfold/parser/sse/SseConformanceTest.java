package io.streamfold.parser.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.streamfold.testkit.SharedFiles;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Every vector of {@code shared/conformance/sse/vectors.json}, fed whole, in the source's own reads, split
 * at every position, byte by byte, and through heap and direct ByteBuffers. Where a source disagrees
 * with the spec, the vector's {@code expected} (the spec's result) is what is checked.
 */
class SseConformanceTest
{
    @TestFactory
    Stream<DynamicNode> vectors()
    {
        final Path file = SharedFiles.require().resolve("conformance").resolve("sse").resolve("vectors.json");
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(SharedFiles.read(file));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        assertTrue(root.isArray() && root.size() > 0, "vectors.json holds an array of vectors");

        final List<DynamicNode> nodes = new ArrayList<>();
        for (final JsonNode vector : root)
        {
            nodes.add(dynamicContainer(vector.get("name").asText(), tests(new Vector(vector))));
        }
        return nodes.stream();
    }

    private static Stream<DynamicTest> tests(final Vector v)
    {
        final List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("whole", () -> v.check("whole", t -> t.feed(v.input, 0, v.input.length))));
        if (v.chunks != null)
        {
            tests.add(dynamicTest("source chunks", () -> v.check("chunks", t ->
            {
                for (final byte[] chunk : v.chunks)
                {
                    t.feed(chunk, 0, chunk.length);
                }
            })));
        }
        tests.add(dynamicTest("byte by byte", () -> v.check("byte by byte", t ->
        {
            // One reused receive buffer, scribbled over after each feed: views kept too long read garbage.
            final byte[] scratch = new byte[1];
            for (int i = 0; i < v.input.length; i++)
            {
                scratch[0] = v.input[i];
                t.feed(scratch, 0, 1);
                scratch[0] = '#';
            }
        })));
        tests.add(dynamicTest("heap ByteBuffer, 7-byte slices", () -> v.check("heap 7", t ->
            feedByteBuffers(t, v.input, 7, false))));
        tests.add(dynamicTest("direct ByteBuffer, 3-byte slices", () -> v.check("direct 3", t ->
            feedByteBuffers(t, v.input, 3, true))));
        if (v.splitInvariant)
        {
            tests.add(dynamicTest("every two-way split", () ->
            {
                final SseRecorder recorder = new SseRecorder();
                final SseTokenizer tokenizer = new SseTokenizer(recorder);
                final byte[] scratch = new byte[v.input.length];
                for (int split = 1; split < v.input.length; split++)
                {
                    tokenizer.reset();
                    recorder.clear();
                    System.arraycopy(v.input, 0, scratch, 0, split);
                    tokenizer.feed(scratch, 0, split);
                    Arrays.fill(scratch, 0, split, (byte)'#');
                    tokenizer.feed(v.input, split, v.input.length - split);
                    tokenizer.end();
                    v.verify("split at " + split, tokenizer, recorder);
                }
            }));
        }
        return tests.stream();
    }

    private static void feedByteBuffers(final SseTokenizer t, final byte[] input, final int slice, final boolean direct)
    {
        for (int i = 0; i < input.length; i += slice)
        {
            final int n = Math.min(slice, input.length - i);
            final ByteBuffer b = direct ? ByteBuffer.allocateDirect(n + 2) : ByteBuffer.allocate(n + 2);
            // Start the slice at a non-zero position to check the position is honoured.
            b.put((byte)'x').put(input, i, n).put((byte)'\n').flip();
            b.position(1).limit(1 + n);
            t.feed(b);
            assertEquals(b.limit(), b.position(), "feed(ByteBuffer) consumes the buffer");
        }
    }

    private static final class Vector
    {
        final String name;
        final byte[] input;
        final List<byte[]> chunks;
        final boolean splitInvariant;
        final List<SseRecorder.Event> expected = new ArrayList<>();
        final List<Long> retryUpdates;
        final boolean checkLastEventId;
        final String lastEventIdAtEnd;

        Vector(final JsonNode node)
        {
            final Base64.Decoder base64 = Base64.getDecoder();
            name = node.get("name").asText();
            input = base64.decode(node.get("input_b64").asText());
            if (node.has("chunks_b64"))
            {
                chunks = new ArrayList<>();
                node.get("chunks_b64").forEach(c -> chunks.add(base64.decode(c.asText())));
            }
            else
            {
                chunks = null;
            }
            splitInvariant = node.path("split_invariant").asBoolean(false);
            for (final JsonNode e : node.get("expected"))
            {
                final JsonNode id = e.get("id");
                expected.add(new SseRecorder.Event(
                    e.get("event").asText(), e.get("data").asText(), id == null || id.isNull() ? null : id.asText(), 0));
            }
            if (node.has("retry_updates"))
            {
                retryUpdates = new ArrayList<>();
                node.get("retry_updates").forEach(r -> retryUpdates.add(r.asLong()));
            }
            else
            {
                retryUpdates = null;
            }
            checkLastEventId = node.has("last_event_id_at_end");
            lastEventIdAtEnd = checkLastEventId && !node.get("last_event_id_at_end").isNull() ?
                node.get("last_event_id_at_end").asText() : null;
        }

        void check(final String mode, final Consumer<SseTokenizer> feeder)
        {
            final SseRecorder recorder = new SseRecorder();
            final SseTokenizer tokenizer = new SseTokenizer(recorder);
            feeder.accept(tokenizer);
            tokenizer.end();
            assertEquals(input.length, tokenizer.bytesFed(), mode + ": bytes fed");
            verify(mode, tokenizer, recorder);
        }

        void verify(final String mode, final SseTokenizer tokenizer, final SseRecorder recorder)
        {
            final List<SseRecorder.Event> actual = new ArrayList<>();
            for (final SseRecorder.Event e : recorder.events)
            {
                assertTrue(e.streamOffset >= 0 && e.streamOffset < input.length, mode + ": event offset " + e.streamOffset);
                actual.add(new SseRecorder.Event(e.type, e.data, e.id, 0));
            }
            assertEquals(expected, actual, name + " (" + mode + "): events");
            assertEquals(expected.size(), tokenizer.framesDelivered(), name + " (" + mode + "): framesDelivered");
            if (retryUpdates != null)
            {
                assertEquals(retryUpdates, recorder.retries, name + " (" + mode + "): retry updates");
                assertEquals(retryUpdates.isEmpty() ? -1 : retryUpdates.get(retryUpdates.size() - 1),
                    tokenizer.reconnectionTime(), name + " (" + mode + "): reconnection time");
            }
            if (checkLastEventId)
            {
                assertEquals(lastEventIdAtEnd, tokenizer.lastEventId(), name + " (" + mode + "): last event id at end");
            }
            for (final StreamError error : recorder.errors)
            {
                assertEquals(ErrorKind.TRUNCATED, error.kind(), name + " (" + mode + "): only truncation errors: " + error);
            }
        }
    }
}
