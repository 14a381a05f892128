package io.streamfold.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.testkit.SharedFiles;

/**
 * An aggregator of every format folds the same result from bytes fed as arrays, heap and direct
 * {@link ByteBuffer}s, on whichever buffers this JVM allows. The build also runs it in a surefire execution
 * without Agrona's JVM flag, where {@code streamfold.expectSafeBuffers} makes it check that the flag-free
 * buffers were chosen: before them, every {@code feed} there threw {@link IllegalAccessError}.
 */
class NoJvmFlagTest
{
    static Stream<Object[]> streams()
    {
        final List<Object[]> streams = new ArrayList<>();
        for (final String[] pick : new String[][] {
            {"openai-chat", ".sse", "OPENAI_CHAT"}, {"openai-responses", ".sse", "OPENAI_RESPONSES"},
            {"anthropic-messages", ".sse", "ANTHROPIC"}, {"gemini", ".sse", "GEMINI"}, {"gemini", ".json", "GEMINI"},
            {"ollama", ".ndjson", "OLLAMA"}})
        {
            final Path file = SharedFiles.corpus(pick[0], pick[1]).get(0);
            streams.add(new Object[] {Format.valueOf(pick[2]), file.getFileName().toString(), SharedFiles.read(file)});
            streams.add(new Object[] {Format.AUTO, file.getFileName().toString(), SharedFiles.read(file)});
        }
        final byte[] bedrock = EventStreamEncoder.concat(
            EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
            EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi \u00e9\"}}"),
            EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
            EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
        streams.add(new Object[] {Format.BEDROCK, "bedrock", bedrock});
        streams.add(new Object[] {Format.AUTO, "bedrock", bedrock});
        return streams.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streams")
    void foldsAlikeFromEveryEntryPoint(final Format format, final String name, final byte[] data)
    {
        if (Boolean.getBoolean("streamfold.expectSafeBuffers"))
        {
            assertFalse(Buffers.UNSAFE, "no --add-exports: the flag-free buffers must be chosen");
        }

        final StreamAggregator arrays = StreamAggregator.create(format);
        for (int from = 0; from < data.length; from += 7)
        {
            arrays.feed(data, from, Math.min(7, data.length - from));
        }
        arrays.end();
        final String expected = arrays.result().toJson();
        assertNotEquals(Outcome.IN_PROGRESS, arrays.result().outcome(), name);
        assertEquals(List.of(), arrays.result().errors(), name);

        final StreamAggregator heap = StreamAggregator.create(format);
        heap.feed(ByteBuffer.wrap(data));
        heap.end();
        assertEquals(expected, heap.result().toJson(), name + " heap");

        final StreamAggregator direct = StreamAggregator.create(format);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(data.length);
        buffer.put(data).flip();
        for (int from = 0; from < data.length; from += 13)
        {
            direct.feed(buffer.duplicate().position(from).limit(Math.min(from + 13, data.length)));
        }
        direct.end();
        assertEquals(expected, direct.result().toJson(), name + " direct");
        assertEquals(data.length, direct.bytesFed(), name);
        assertFalse(new String(data, StandardCharsets.UTF_8).isEmpty());
    }
}
