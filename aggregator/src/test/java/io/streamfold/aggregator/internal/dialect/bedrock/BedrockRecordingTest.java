package io.streamfold.aggregator.internal.dialect.bedrock;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.testkit.JsonTree;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Bedrock ConverseStream bodies (see {@code recordings/PROVENANCE.md}), each checked against what an
 * independent reader found in it: text and tool calls per content block, the stop reason and the usage, for
 * the Bedrock format and for AUTO, fed whole and in random slices.
 */
class BedrockRecordingTest
{
    static Stream<String> recordings() throws IOException, URISyntaxException
    {
        final Path dir = Paths.get(BedrockRecordingTest.class.getResource("recordings").toURI());
        try (Stream<Path> files = Files.list(dir))
        {
            final List<String> names = files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".eventstream.hex"))
                .map(n -> n.substring(0, n.length() - ".eventstream.hex".length()))
                .sorted().collect(Collectors.toList());
            assertEquals(12, names.size(), "recordings found");
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void foldsWhatTheRecordingSays(final String name) throws Exception
    {
        final Path dir = Paths.get(BedrockRecordingTest.class.getResource("recordings").toURI());
        final byte[] body = HexFormat.of().parseHex(
            Files.readString(dir.resolve(name + ".eventstream.hex"), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        final Map<String, Object> expected = JsonTree.object(
            Files.readString(dir.resolve(name + ".expected.json"), StandardCharsets.UTF_8));
        final Random random = new Random(name.hashCode());
        for (final Format format : new Format[]{Format.BEDROCK, Format.AUTO})
        {
            check(expected, fold(format, body, body.length), format + " whole");
            for (int round = 0; round < 4; round++)
            {
                final int slice = 1 + random.nextInt(round == 0 ? 3 : 200);
                check(expected, fold(format, body, slice), format + " in slices of " + slice);
            }
        }
    }

    private static Aggregate fold(final Format format, final byte[] body, final int slice)
    {
        final StreamAggregator aggregator = StreamAggregator.builder().format(format).strict(true).build();
        for (int at = 0; at < body.length; at += slice)
        {
            aggregator.feed(body, at, Math.min(slice, body.length - at));
        }
        aggregator.end();
        return aggregator.snapshot();
    }

    private static void check(final Map<String, Object> expected, final Aggregate a, final String how)
    {
        assertEquals(Format.BEDROCK, a.format(), how);
        assertEquals(Outcome.COMPLETE, a.outcome(), how + ": " + a.errors());
        assertTrue(a.errors().isEmpty(), how + ": " + a.errors());
        assertTrue(a.terminalEventSeen(), how);
        final Choice choice = a.choice(0);
        final List<Part> parts = new ArrayList<>(choice.parts());
        final List<?> content = (List<?>)expected.get("content");
        assertEquals(content.size(), parts.size(), how + ": content blocks");
        for (int i = 0; i < content.size(); i++)
        {
            final Map<?, ?> block = (Map<?, ?>)content.get(i);
            final Part part = parts.get(i);
            if (block.containsKey("text"))
            {
                assertEquals(Part.Kind.TEXT, part.kind(), how);
                assertEquals(block.get("text"), part.text().toString(), how + ": text of block " + i);
            }
            else
            {
                final Map<?, ?> tool = (Map<?, ?>)block.get("toolUse");
                assertEquals(Part.Kind.TOOL_CALL, part.kind(), how);
                assertEquals(tool.get("toolUseId"), part.id().toString(), how);
                assertEquals(tool.get("name"), part.name().toString(), how);
                assertTrue(part.isComplete(), how);
                assertEquals(tool.get("input"), JsonTree.parse(part.text().toString()), how + ": tool input");
            }
        }
        final String stop = (String)expected.get("stopReason");
        assertEquals(stop, choice.finishReason().toString(), how);
        assertEquals(expectedReason(stop), a.verdict().reason(), how);
        final Map<?, ?> usage = (Map<?, ?>)expected.get("usage");
        final Usage u = a.usage();
        assertEquals(Usage.Source.REPORTED, u.source(), how);
        assertEquals(((Number)usage.get("inputTokens")).longValue(), u.inputTokens(), how);
        assertEquals(((Number)usage.get("outputTokens")).longValue(), u.outputTokens(), how);
        assertEquals(((Number)usage.get("totalTokens")).longValue(), u.totalTokens(), how);
        // The provider JSON is the Converse response: the same content, stop reason and usage.
        final Object written = JsonTree.parse(a.toJson());
        assertEquals(content.size(), ((List<?>)JsonTree.at(written, "output", "message", "content")).size(), how);
        assertEquals(stop, JsonTree.at(written, "stopReason"), how);
        assertEquals(usage.get("outputTokens"), JsonTree.at(written, "usage", "outputTokens"), how);
    }

    private static StopReason expectedReason(final String bedrockWord)
    {
        switch (bedrockWord)
        {
            case "end_turn":
                return StopReason.COMPLETE;
            case "max_tokens":
                return StopReason.LENGTH;
            case "tool_use":
                return StopReason.TOOL_CALLS;
            default:
                throw new AssertionError("no expectation for stop reason " + bedrockWord);
        }
    }
}
