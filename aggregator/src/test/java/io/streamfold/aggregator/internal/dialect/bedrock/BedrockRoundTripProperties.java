package io.streamfold.aggregator.internal.dialect.bedrock;

import static io.streamfold.testkit.EventStreamEncoder.event;
import static io.streamfold.testkit.JsonTree.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round trip: a random Converse message is encoded as the ConverseStream event stream Bedrock would send
 * (every text, reasoning and tool input cut into random fragments, random field order, optional padding),
 * the bytes are fed in random slices, and the folded result must be that same message. The frames are built
 * byte-exact by {@link EventStreamEncoder}; real recordings are checked in {@link BedrockRecordingTest}.
 */
class BedrockRoundTripProperties
{
    private static final JsonFactory JSON = new JsonFactory();

    enum Kind
    {
        TEXT, REASONING, TOOL
    }

    /** One content block: text for TEXT and REASONING, the input JSON text for TOOL. */
    record Block(Kind kind, String text, String signature, String id, String name)
    {
    }

    record Message(List<Block> blocks, String stopReason, long inputTokens, long outputTokens, boolean metadata)
    {
    }

    @Property(tries = 300)
    void foldedMessageIsTheEncodedMessage(@ForAll("messages") final Message message, @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final byte[] bytes = encode(message, random);
        final BedrockDialectTest.Run sliced = BedrockDialectTest.run(bytes, slices(bytes.length, random), false);
        final Aggregate result = sliced.result();

        assertEquals(List.of(), result.errors());
        assertEquals(Outcome.COMPLETE, result.outcome());
        final Choice choice = result.choice(0);
        assertEquals(message.blocks().size(), choice.parts().size());
        for (int i = 0; i < message.blocks().size(); i++)
        {
            final Block b = message.blocks().get(i);
            final Part p = choice.parts().get(i);
            assertEquals(i, p.wireIndex());
            assertEquals(b.kind() == Kind.TEXT ? Part.Kind.TEXT : b.kind() == Kind.REASONING ? Part.Kind.REASONING : Part.Kind.TOOL_CALL, p.kind());
            assertEquals(b.text(), p.text().toString());
            assertEquals(b.signature() == null ? "" : b.signature(), p.signature().toString());
            if (b.kind() == Kind.TOOL)
            {
                assertEquals(b.id(), p.id().toString());
                assertEquals(b.name(), p.name().toString());
            }
            assertEquals(true, p.isEnded());
        }
        assertEquals(message.stopReason(), choice.finishReason().toString());
        assertEquals(message.metadata() ? message.inputTokens() : -1, result.usage().inputTokens());
        if (message.metadata())
        {
            assertEquals(message.outputTokens(), result.usage().outputTokens());
        }
        else
        {
            // No usage event: the count is an estimate, and says so.
            assertEquals(Usage.Source.ESTIMATED, result.usage().source());
        }
        assertEquals(canonical(expectedJson(message)), canonical(result.toJson()));
        assertEquals(BedrockDialectTest.run(bytes).everything(), sliced.everything());
    }

    /** The Converse response the stream stands for, written independently of the dialect's writer. */
    private static String expectedJson(final Message m)
    {
        final StringBuilder sb = new StringBuilder("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[");
        for (int i = 0; i < m.blocks().size(); i++)
        {
            final Block b = m.blocks().get(i);
            sb.append(i > 0 ? "," : "");
            switch (b.kind())
            {
                case TEXT:
                    sb.append("{\"text\":").append(quote(b.text())).append('}');
                    break;
                case REASONING:
                    sb.append("{\"reasoningContent\":{\"reasoningText\":{\"text\":").append(quote(b.text()));
                    if (b.signature() != null)
                    {
                        sb.append(",\"signature\":").append(quote(b.signature()));
                    }
                    sb.append("}}}");
                    break;
                default:
                    sb.append("{\"toolUse\":{\"toolUseId\":").append(quote(b.id())).append(",\"name\":").append(quote(b.name()))
                        .append(",\"input\":").append(b.text().isEmpty() ? "{}" : b.text()).append("}}");
            }
        }
        sb.append("]}},\"stopReason\":").append(quote(m.stopReason()));
        if (m.metadata())
        {
            sb.append(",\"usage\":{\"inputTokens\":").append(m.inputTokens()).append(",\"outputTokens\":").append(m.outputTokens())
                .append(",\"totalTokens\":").append(m.inputTokens() + m.outputTokens()).append("},\"metrics\":{\"latencyMs\":17}");
        }
        return sb.append('}').toString();
    }

    private static byte[] encode(final Message m, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event("messageStart", withPadding("\"role\":\"assistant\"", random)));
        for (int i = 0; i < m.blocks().size(); i++)
        {
            final Block b = m.blocks().get(i);
            if (b.kind() == Kind.TOOL)
            {
                out.writeBytes(event("contentBlockStart", block(i, "start",
                    "{\"toolUse\":{\"toolUseId\":" + quote(b.id()) + ",\"name\":" + quote(b.name()) + "}}", random)));
            }
            // Reasoning opens with a delta (it has no start event): an empty one still sends one empty fragment.
            for (final String fragment : fragments(b.text(), b.kind() == Kind.REASONING, random))
            {
                final String delta = b.kind() == Kind.TEXT ? "{\"text\":" + quote(fragment) + "}" :
                    b.kind() == Kind.REASONING ? "{\"reasoningContent\":{\"text\":" + quote(fragment) + "}}" :
                    "{\"toolUse\":{\"input\":" + quote(fragment) + "}}";
                out.writeBytes(event("contentBlockDelta", block(i, "delta", delta, random)));
            }
            if (b.signature() != null)
            {
                out.writeBytes(event("contentBlockDelta",
                    block(i, "delta", "{\"reasoningContent\":{\"signature\":" + quote(b.signature()) + "}}", random)));
            }
            out.writeBytes(event("contentBlockStop", withPadding("\"contentBlockIndex\":" + i, random)));
        }
        out.writeBytes(event("messageStop", withPadding("\"stopReason\":" + quote(m.stopReason()), random)));
        if (m.metadata())
        {
            out.writeBytes(event("metadata", withPadding("\"usage\":{\"inputTokens\":" + m.inputTokens() + ",\"outputTokens\":" +
                m.outputTokens() + ",\"totalTokens\":" + (m.inputTokens() + m.outputTokens()) + "},\"metrics\":{\"latencyMs\":17}", random)));
        }
        return out.toByteArray();
    }

    /** A block event with its index before or after the body. */
    private static String block(final int index, final String field, final String body, final Random random)
    {
        final String indexField = "\"contentBlockIndex\":" + index;
        final String bodyField = "\"" + field + "\":" + body;
        return withPadding(random.nextBoolean() ? indexField + "," + bodyField : bodyField + "," + indexField, random);
    }

    /** Bedrock pads payloads with a {@code p} field of varying length over HTTP; sometimes first, sometimes last. */
    private static String withPadding(final String fields, final Random random)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return "{" + fields + "}";
            case 1:
                return "{\"p\":\"" + "abcdefghijklmnop".substring(random.nextInt(16)) + "\"," + fields + "}";
            default:
                return "{" + fields + ",\"p\":\"" + "ABCDEFGH".substring(random.nextInt(8)) + "\"}";
        }
    }

    /** Cuts text into 1..n fragments at code point boundaries; an empty text gives no fragment or one empty one. */
    private static List<String> fragments(final String text, final boolean atLeastOne, final Random random)
    {
        final List<String> result = new ArrayList<>();
        if (text.isEmpty())
        {
            if (atLeastOne || random.nextBoolean())
            {
                result.add("");
            }
            return result;
        }
        int start = 0;
        int i = 0;
        while (i < text.length())
        {
            i += Character.charCount(text.codePointAt(i));
            if (i == text.length() || random.nextInt(4) == 0)
            {
                result.add(text.substring(start, i));
                start = i;
            }
        }
        return result;
    }

    private static int[] slices(final int length, final Random random)
    {
        final int[] slices = new int[length];
        final int max = 1 + random.nextInt(random.nextBoolean() ? 8 : 200);
        for (int i = 0; i < slices.length; i++)
        {
            slices[i] = random.nextInt(max + 1);
        }
        return slices;
    }

    /** Re-emits JSON through one generator, so equal documents compare equal whatever their escaping. */
    private static String canonical(final String json)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonParser p = JSON.createParser(json); JsonGenerator g = JSON.createGenerator(out))
        {
            JsonToken t;
            while ((t = p.nextToken()) != null)
            {
                g.copyCurrentEvent(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(json, e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<Message> messages()
    {
        final Arbitrary<String> text = Arbitraries.of("a", "b", " ", "\"", "\\", "\n", "\t", "\u00e9", "\u4e2d", "\ud83d\ude00",
            "\u0001", "{", "}", "p", "\"p\":").list().ofMaxSize(25).map(l -> String.join("", l));
        final Arbitrary<String> word = Arbitraries.strings().withChars("abcXYZ_-09").ofMinLength(1).ofMaxLength(12);
        final Arbitrary<String> input = Combinators.combine(word.list().ofMaxSize(4), text.list().ofMaxSize(4),
            Arbitraries.integers().between(0, 2))
            .as((keys, values, space) -> toolInput(keys, values, space));
        final Arbitrary<Block> textBlock = text.map(t -> new Block(Kind.TEXT, t, null, null, null));
        final Arbitrary<Block> reasoning = Combinators.combine(text, word.injectNull(0.4))
            .as((t, sig) -> new Block(Kind.REASONING, t, sig, null, null));
        final Arbitrary<Block> tool = Combinators.combine(input, word, word)
            .as((in, id, name) -> new Block(Kind.TOOL, in, null, "tooluse_" + id, name));
        final Arbitrary<List<Block>> blocks = Arbitraries.oneOf(textBlock, reasoning, tool).list().ofMaxSize(5);
        return Combinators.combine(blocks,
            Arbitraries.of("end_turn", "tool_use", "max_tokens", "stop_sequence", "guardrail_intervened", "content_filtered"),
            Arbitraries.longs().between(0, 1_000_000), Arbitraries.longs().between(0, 1_000_000), Arbitraries.of(true, false))
            .as(Message::new);
    }

    /** A tool input object as a model would stream it: keys with string values, optional whitespace. */
    private static String toolInput(final List<String> keys, final List<String> values, final int space)
    {
        if (keys.isEmpty() && space == 0)
        {
            return "";
        }
        final String gap = space == 0 ? "" : space == 1 ? " " : "\n  ";
        final StringBuilder sb = new StringBuilder("{");
        final List<String> seen = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++)
        {
            if (seen.contains(keys.get(i)))
            {
                continue;
            }
            seen.add(keys.get(i));
            sb.append(seen.size() > 1 ? "," : "").append(gap).append(quote(keys.get(i))).append(':').append(gap)
                .append(i < values.size() ? quote(values.get(i)) : Arrays.asList(1, 2.5, true).toString().replace(" ", gap));
        }
        return sb.append(gap).append('}').toString();
    }
}
