package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.JsonTree;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every recorded openai-chat stream of the shared corpus: it folds without errors beyond the provider
 * errors it really carries, gives the same result however it is sliced, and where openai-python stated
 * the final result ({@code *.expected.txt}) the output matches it field for field.
 */
class ChatCorpusTest
{
    /**
     * Fields only the Python SDK adds to its objects: {@code parsed} / {@code parsed_arguments} are the
     * SDK parsing content against the caller's pydantic model; {@code annotations} and {@code audio} are
     * printed as None because the SDK's model declares them, the wire never sent them.
     */
    private static final Set<String> SDK_ONLY_FIELDS = Set.of("parsed", "parsed_arguments");
    private static final Set<String> SDK_DECLARED_WHEN_NONE = Set.of("annotations", "audio");

    @TestFactory
    Stream<DynamicTest> everyStreamFoldsWithoutErrors()
    {
        return SharedFiles.corpus("openai-chat", ".sse").stream().map(path -> DynamicTest.dynamicTest(name(path), () ->
        {
            final byte[] bytes = SharedFiles.read(path);
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, bytes);
            a.end();
            final Aggregate r = a.result();
            final boolean carriesError = new String(bytes, StandardCharsets.UTF_8).contains("\"error\"");
            for (final StreamError e : r.errors())
            {
                assertEquals(ErrorKind.PROVIDER_ERROR, e.kind(), () -> "unexpected error " + e);
                assertTrue(carriesError, "provider error reported for a stream without one: " + e);
            }
            assertEquals(r.errors().isEmpty() ? Outcome.COMPLETE : Outcome.ERROR, r.outcome());
            assertFalse(r.choices().isEmpty(), "no choice folded");
            // The output must be one valid JSON object without duplicate fields.
            final Map<String, Object> json = JsonTree.object(r.toJson());
            assertEquals("chat.completion", json.get("object"));
            JsonTree.parse(r.toNormalizedJson());
        }));
    }

    @TestFactory
    Stream<DynamicTest> slicingDoesNotChangeTheResult()
    {
        return SharedFiles.corpus("openai-chat", ".sse").stream().map(path -> DynamicTest.dynamicTest(name(path), () ->
        {
            final byte[] bytes = SharedFiles.read(path);
            final String whole = run(bytes, 0);
            assertEquals(whole, run(bytes, 1), "byte by byte");
            for (long seed = 1; seed <= 5; seed++)
            {
                assertEquals(whole, run(bytes, 100 + seed), "random slices, seed " + seed);
            }
        }));
    }

    @org.junit.jupiter.api.Test
    void oneResetInstanceFoldsEveryStreamAsAFreshOneWould()
    {
        final StreamAggregator pooled = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        for (int round = 0; round < 2; round++)
        {
            for (final Path path : SharedFiles.corpus("openai-chat", ".sse"))
            {
                final byte[] bytes = SharedFiles.read(path);
                pooled.reset();
                ChatFeeding.feedWhole(pooled, bytes);
                pooled.end();
                assertEquals(run(bytes, 0), ChatFeeding.fingerprint(pooled), name(path) + " after reset");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> directByteBuffersGiveTheSameResult()
    {
        return SharedFiles.corpus("openai-chat", ".sse").stream().map(path -> DynamicTest.dynamicTest(name(path), () ->
        {
            final byte[] bytes = SharedFiles.read(path);
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            final java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < bytes.length; )
            {
                final int n = Math.min(bytes.length - i, 1 + random.nextInt(300));
                final java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(n);
                direct.put(bytes, i, n).flip();
                a.feed(direct);
                i += n;
            }
            a.end();
            assertEquals(run(bytes, 0), ChatFeeding.fingerprint(a));
        }));
    }

    @TestFactory
    Stream<DynamicTest> autoDetectionReadsThemAsOpenAiChat()
    {
        return SharedFiles.corpus("openai-chat", ".sse").stream().map(path -> DynamicTest.dynamicTest(name(path), () ->
        {
            final byte[] bytes = SharedFiles.read(path);
            final StreamAggregator auto = ChatFeeding.aggregator(Format.AUTO, StreamListener.NONE, false);
            ChatFeeding.feedRandomSlices(auto, bytes, 7);
            auto.end();
            assertEquals(Format.OPENAI_CHAT, auto.format());
            assertEquals(run(bytes, 0), ChatFeeding.fingerprint(auto));
        }));
    }

    @TestFactory
    Stream<DynamicTest> matchesTheStatedResults()
    {
        return SharedFiles.corpus("openai-chat", ".expected.txt").stream().map(path -> DynamicTest.dynamicTest(name(path), () ->
        {
            final String stem = path.getFileName().toString().replace(".expected.txt", "");
            final Path stream = path.resolveSibling(stem + ".sse");
            final Object expected = PyRepr.parse(Files.readString(path, StandardCharsets.UTF_8));
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, SharedFiles.read(stream));
            a.end();
            assertEquals(List.of(), a.result().errors());
            final Map<String, Object> actual = JsonTree.object(a.result().toJson());
            if (expected instanceof List)
            {
                // A list of choices (print_obj(completion.choices)).
                compare("choices", expected, actual.get("choices"));
            }
            else
            {
                final PyRepr.Obj completion = assertInstanceOf(PyRepr.Obj.class, expected);
                for (final Map.Entry<String, Object> f : completion.fields().entrySet())
                {
                    compare(f.getKey(), f.getValue(), actual.get(f.getKey()));
                }
            }
        }));
    }

    private static String run(final byte[] bytes, final long mode)
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        if (mode == 0)
        {
            ChatFeeding.feedWhole(a, bytes);
        }
        else if (mode == 1)
        {
            ChatFeeding.feedByteByByte(a, bytes);
        }
        else
        {
            ChatFeeding.feedRandomSlices(a, bytes, mode);
        }
        a.end();
        return ChatFeeding.fingerprint(a);
    }

    /** Compares an expected Python value with the JSON value at the same place of our output. */
    @SuppressWarnings("unchecked")
    static void compare(final String path, final Object expected, final Object actual)
    {
        if (expected == null)
        {
            assertNull(actual, path);
        }
        else if (expected instanceof PyRepr.Obj obj)
        {
            final Map<String, Object> map = (Map<String, Object>)assertInstanceOf(Map.class, actual, path);
            for (final Map.Entry<String, Object> f : obj.fields().entrySet())
            {
                final String name = f.getKey();
                final String at = path + "." + name;
                if (SDK_ONLY_FIELDS.contains(name) || (SDK_DECLARED_WHEN_NONE.contains(name) && f.getValue() == null))
                {
                    continue;
                }
                if ("index".equals(name) && obj.name().endsWith("ToolCall"))
                {
                    // The SDK keeps the streaming index on a tool call; the non-streaming shape has none
                    // and orders calls by it instead.
                    final int position = Integer.parseInt(path.substring(path.lastIndexOf('[') + 1, path.length() - 1));
                    assertEquals(((Number)f.getValue()).intValue(), position, at);
                    continue;
                }
                assertTrue(f.getValue() == null || map.containsKey(name), at + " missing in " + map.keySet());
                compare(at, f.getValue(), map.get(name));
            }
        }
        else if (expected instanceof List<?> list)
        {
            final List<Object> got = (List<Object>)assertInstanceOf(List.class, actual, path);
            assertEquals(list.size(), got.size(), path + " size");
            for (int i = 0; i < list.size(); i++)
            {
                compare(path + "[" + i + "]", list.get(i), got.get(i));
            }
        }
        else if (expected instanceof PyRepr.Wrapped w)
        {
            assertTrue(w.matches(actual), path + ": expected (spaces may be missing at wrap points) <" + w.text() +
                "> but was <" + actual + ">");
        }
        else if (expected instanceof String s)
        {
            assertEquals(s, actual, path);
        }
        else if (expected instanceof Long || expected instanceof BigInteger)
        {
            final BigDecimal got = assertInstanceOf(BigDecimal.class, actual, path);
            assertEquals(new BigDecimal(expected.toString()).compareTo(got), 0, path + ": " + expected + " vs " + got);
        }
        else if (expected instanceof Double d)
        {
            final BigDecimal got = assertInstanceOf(BigDecimal.class, actual, path);
            assertEquals(d.doubleValue(), got.doubleValue(), 0.0, path);
        }
        else if (expected instanceof Boolean b)
        {
            assertEquals(b, actual, path);
        }
        else if (expected instanceof Map)
        {
            fail(path + ": dict values are not compared (only parsed_arguments has them)");
        }
        else
        {
            assertNotNull(null, path + ": unknown expected value " + expected);
        }
    }

    private static String name(final Path path)
    {
        return path.getFileName().toString();
    }
}
