package io.streamfold.aggregator.internal.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Argument field events depend only on the arguments text, never on how it was cut into fragments, and they are
 * exactly the fields of the final parsed arguments (Jackson's tree model as the oracle).
 */
class ArgumentFieldProperties
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Arbitrary<String> SPACE = Arbitraries.of("", "", " ", "\n  ", "\t", "\r\n");

    @Provide
    Arbitrary<String> arguments()
    {
        return object(3);
    }

    private static Arbitrary<String> value(final int depth)
    {
        if (depth == 0)
        {
            return scalar();
        }
        return Arbitraries.frequencyOf(
            Tuple.of(4, scalar()),
            Tuple.of(1, Arbitraries.lazy(() -> object(depth - 1))),
            Tuple.of(1, Arbitraries.lazy(() -> array(depth - 1))));
    }

    private static Arbitrary<String> scalar()
    {
        return Arbitraries.oneOf(string(), number(), Arbitraries.of("true", "false", "null"));
    }

    /** A JSON string literal mixing plain ASCII, BMP and astral characters, and every kind of escape. */
    private static Arbitrary<String> string()
    {
        return Arbitraries.of("a", "Z", " ", "~", "/", "~1", "\u00e9", "\u4e2d", "\uD83D\uDE00", "\uD834\uDD1E",
                "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u00e9", "\\uD83D\\uDE00", "\\u0000", "path", "0")
            .list().ofMaxSize(8)
            .map(pieces -> "\"" + String.join("", pieces) + "\"");
    }

    private static Arbitrary<String> number()
    {
        final Arbitrary<String> integer = Arbitraries.oneOf(
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.bigIntegers().between(
                java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30)).map(Object::toString),
            Arbitraries.of("0", "-0", "123456789012345678901234567890123456789"));
        final Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
            Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12).map(d -> "." + d));
        final Arbitrary<String> exponent = Arbitraries.oneOf(Arbitraries.just(""),
            Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"), Arbitraries.integers().between(0, 308))
                .as((e, s, n) -> e + s + n));
        return Combinators.combine(integer, fraction, exponent).as((i, f, e) -> i + f + e);
    }

    private static Arbitrary<String> object(final int depth)
    {
        final Arbitrary<String> key = string();
        return Combinators.combine(key, SPACE, value(depth), SPACE).as((k, s1, v, s2) -> new String[] {k, s1 + k + s1 + ":" + s2 + v + s2})
            .list().ofMaxSize(5).uniqueElements(kv -> decoded(kv[0]))
            .map(kvs ->
            {
                final StringBuilder sb = new StringBuilder("{");
                for (int i = 0; i < kvs.size(); i++)
                {
                    sb.append(i == 0 ? "" : ",").append(kvs.get(i)[1]);
                }
                return sb.append('}').toString();
            });
    }

    /** Two spellings of one name ({@code "/"} and {@code "\\/"}) are one key: duplicates are not what is tested here. */
    private static String decoded(final String literal)
    {
        try
        {
            return MAPPER.readValue(literal, String.class);
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static Arbitrary<String> array(final int depth)
    {
        return Combinators.combine(SPACE, value(depth)).as((s, v) -> s + v + s).list().ofMaxSize(5)
            .map(vs -> "[" + String.join(",", vs) + "]");
    }

    /** @return the canonical events, asserting on the way that every raw value is a piece of the text. */
    private static List<String> read(final String json, final List<Integer> cuts)
    {
        final ArgumentFieldReader reader = new ArgumentFieldReader(64, 1 << 20);
        final List<String> raw = new ArrayList<>();
        reader.reset((pointer, pointerLength, text, offset, length) ->
            raw.add(new String(pointer, 0, pointerLength) + "=" + new String(text, offset, length)));
        final char[] chars = json.toCharArray();
        int at = 0;
        int i = 0;
        while (at < chars.length)
        {
            final int n = cuts.isEmpty() ? chars.length : Math.min(cuts.get(i++ % cuts.size()), chars.length - at);
            reader.feed(chars, at, n);
            at += n;
        }
        reader.end();
        assertTrue(reader.isComplete(), reader.failure());
        return raw;
    }

    @Property(tries = 500)
    void eventsAreTheSameForEveryFragmentationAndEqualTheParsedFields(
        @ForAll("arguments") final String json,
        @ForAll @Size(max = 12) final List<@IntRange(min = 1, max = 9) Integer> cuts)
    {
        final List<String> whole = read(json, List.of());
        assertEquals(whole, read(json, cuts), "fragmented");
        assertEquals(whole, read(json, List.of(1)), "one character at a time");
        final List<String> canonical = new ArrayList<>();
        for (final String event : whole)
        {
            final int eq = event.indexOf('=');
            final String rawValue = event.substring(eq + 1);
            assertTrue(json.contains(rawValue), rawValue);
            canonical.add(ArgumentFieldOracle.canonical(event.substring(0, eq), rawValue));
        }
        assertEquals(ArgumentFieldOracle.expected(json), canonical);
    }

    @Property(tries = 200)
    void anOpenAiChatStreamReportsTheSameFieldsAsTheReader(
        @ForAll("arguments") final String json,
        @ForAll @Size(min = 1, max = 12) final List<@IntRange(min = 1, max = 9) Integer> cuts)
    {
        final StringBuilder sse = new StringBuilder();
        int at = 0;
        int i = 0;
        while (at < json.length())
        {
            final int n = Math.min(cuts.get(i++ % cuts.size()), json.length() - at);
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" +
                "{\"tool_calls\":[{\"index\":0,").append(at == 0 ? "\"id\":\"call_1\",\"type\":\"function\"," : "")
                .append("\"function\":{").append(at == 0 ? "\"name\":\"f\"," : "").append("\"arguments\":")
                .append(quote(json.substring(at, at + n))).append("}}]}}]}\n\n");
            at += n;
        }
        sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{}," +
            "\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
        final List<String> seen = new ArrayList<>();
        final StreamAggregator aggregator = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(new StreamListener()
        {
            @Override
            public boolean wantsToolArgumentFields()
            {
                return true;
            }

            @Override
            public void onToolArgumentField(final int choice, final int toolIndex, final CharSequence p, final CharSequence v)
            {
                seen.add(p + "=" + v);
            }
        }).build();
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        aggregator.feed(bytes, 0, bytes.length);
        aggregator.end();
        assertEquals(json, aggregator.result().choice(0).toolCalls().get(0).text().toString());
        assertEquals(read(json, List.of()), seen);
    }

    /** JSON string literal of {@code s} (the arguments travel as a string inside each chunk). */
    private static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20 || Character.isSurrogate(c))
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
