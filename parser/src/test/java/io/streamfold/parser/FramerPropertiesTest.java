package io.streamfold.parser;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.streamfold.testkit.EventStreamEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.ndjson.NdjsonFramer;

import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split invariance, round trips and robustness of the three framers over generated input. */
class FramerPropertiesTest
{
    private static final String[] WHITESPACE = {"", "", " ", "\r\n", "\n", "\t", "  \r\n  "};
    private static final FramingLimits SMALL = FramingLimits.builder()
        .maxLineBytes(64).maxFrameBytes(64).maxNestingDepth(4).build();

    /** A JSON object as a list of members, so that duplicate keys and order are kept as generated. */
    record JsonObject(List<Tuple.Tuple2<String, Object>> members)
    {
    }

    enum JsonNull
    {
        NULL
    }

    // ---------------------------------------------------------------- JSON array

    @Property(tries = 300)
    void jsonArrayElementsAreTheSameForAnySlicing(
        @ForAll("jsonValues") @Size(max = 6) final List<Object> values, @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final List<String> expected = new ArrayList<>();
        final StringBuilder array = new StringBuilder(ws(random)).append('[');
        for (int i = 0; i < values.size(); i++)
        {
            array.append(ws(random));
            if (i > 0)
            {
                array.append(',').append(ws(random));
            }
            final StringBuilder element = new StringBuilder();
            write(values.get(i), element, random);
            expected.add(element.toString());
            array.append(element).append(ws(random));
        }
        array.append(ws(random)).append(']').append(ws(random));
        final byte[] data = utf8(array.toString());

        final Function<FrameListener, Framer> factory = JsonArrayFramer::new;
        final FrameLog whole = FrameLog.whole(factory, data);
        assertTrue(whole.errors.isEmpty(), whole.errors.toString());
        assertEquals(expected, whole.payloadStrings());
        for (int round = 0; round < 4; round++)
        {
            final int[] cuts = FrameLog.randomCuts(random, data.length, 1 + random.nextInt(8));
            assertEquals(whole.events, FrameLog.sliced(factory, data, cuts).events);
        }
        assertEquals(whole.events, FrameLog.randomDirect(factory, data, seed).events);
    }

    @Provide
    Arbitrary<List<Object>> jsonValues()
    {
        return value(3).list();
    }

    private Arbitrary<Object> value(final int depth)
    {
        final Arbitrary<Object> scalar = Arbitraries.oneOf(
            jsonStrings().map(s -> s),
            Arbitraries.longs().map(n -> n),
            Arbitraries.doubles().map(d -> d),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE, JsonNull.NULL));
        if (depth == 0)
        {
            return scalar;
        }
        final Arbitrary<Object> array = value(depth - 1).list().ofMaxSize(4).map(list -> list);
        final Arbitrary<Object> object = Combinators.combine(jsonStrings(), value(depth - 1)).as(Tuple::of)
            .list().ofMaxSize(4).map(JsonObject::new);
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    private static Arbitrary<String> jsonStrings()
    {
        return Arbitraries.strings().withChars("\"\\[]{},:ab \u00e9\u4e2d\u0001\n/").ofMaxLength(12)
            .map(s -> s.replace("b", "\ud83d\ude00"));
    }

    private static void write(final Object value, final StringBuilder out, final Random random)
    {
        if (value instanceof String)
        {
            writeString((String)value, out, random);
        }
        else if (value instanceof List)
        {
            final List<?> list = (List<?>)value;
            out.append('[').append(ws(random));
            for (int i = 0; i < list.size(); i++)
            {
                if (i > 0)
                {
                    out.append(ws(random)).append(',').append(ws(random));
                }
                write(list.get(i), out, random);
            }
            out.append(ws(random)).append(']');
        }
        else if (value instanceof JsonObject)
        {
            final List<Tuple.Tuple2<String, Object>> members = ((JsonObject)value).members();
            out.append('{').append(ws(random));
            for (int i = 0; i < members.size(); i++)
            {
                if (i > 0)
                {
                    out.append(',').append(ws(random));
                }
                writeString(members.get(i).get1(), out, random);
                out.append(ws(random)).append(':').append(ws(random));
                write(members.get(i).get2(), out, random);
            }
            out.append(ws(random)).append('}');
        }
        else if (value == JsonNull.NULL)
        {
            out.append("null");
        }
        else
        {
            out.append(value);
        }
    }

    private static void writeString(final String s, final StringBuilder out, final Random random)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20 || (c == ']' && random.nextBoolean()))
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String ws(final Random random)
    {
        return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }

    // ---------------------------------------------------------------- NDJSON

    @Property(tries = 300)
    void ndjsonLinesAreTheSameForAnySlicing(
        @ForAll("ndjsonLines") @Size(max = 12) final List<String> lines, @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final String[] terminators = {"\n", "\r\n", "\r"};
        final StringBuilder text = new StringBuilder();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            text.append(lines.get(i));
            if (i < lines.size() - 1 || random.nextBoolean())
            {
                text.append(terminators[random.nextInt(terminators.length)]);
            }
            final String trimmed = lines.get(i).replaceAll("^[ \t]+|[ \t]+$", "");
            if (!trimmed.isEmpty())
            {
                expected.add(trimmed);
            }
        }
        final byte[] data = utf8(text.toString());
        final Function<FrameListener, Framer> factory = NdjsonFramer::new;
        final FrameLog whole = FrameLog.whole(factory, data);
        assertEquals(expected, whole.payloadStrings());
        for (int round = 0; round < 4; round++)
        {
            final int[] cuts = FrameLog.randomCuts(random, data.length, 1 + random.nextInt(8));
            assertEquals(whole.events, FrameLog.sliced(factory, data, cuts).events);
        }
    }

    @Provide
    Arbitrary<List<String>> ndjsonLines()
    {
        return Arbitraries.strings().withChars("{}\":, \tab\u00e9").ofMaxLength(20).list();
    }

    // ---------------------------------------------------------------- eventstream

    @Property(tries = 200)
    void eventStreamMessagesRoundTripForAnySlicing(
        @ForAll("messages") @Size(max = 5) final List<Tuple.Tuple3<String, byte[], Integer>> messages,
        @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final List<byte[]> encoded = new ArrayList<>();
        final List<String> expectedTypes = new ArrayList<>();
        final List<String> expectedPayloads = new ArrayList<>();
        for (final Tuple.Tuple3<String, byte[], Integer> message : messages)
        {
            final EventStreamEncoder encoder = new EventStreamEncoder();
            addRandomHeaders(encoder, new Random(message.get3()));
            encoder.string(":event-type", message.get1()).string(":message-type", "event");
            addRandomHeaders(encoder, new Random(message.get3() + 1L));
            encoded.add(encoder.encode(message.get2()));
            expectedTypes.add(message.get1());
            expectedPayloads.add(new String(message.get2(), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        final byte[] data = EventStreamEncoder.concat(encoded.toArray(new byte[0][]));
        final Function<FrameListener, Framer> factory = EventStreamFramer::new;
        final FrameLog whole = FrameLog.whole(factory, data);
        assertTrue(whole.errors.isEmpty(), whole.errors.toString());
        assertEquals(expectedTypes, whole.types);
        final List<String> payloads = new ArrayList<>();
        for (final byte[] payload : whole.payloads)
        {
            payloads.add(new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        assertEquals(expectedPayloads, payloads);
        for (int round = 0; round < 4; round++)
        {
            final int[] cuts = FrameLog.randomCuts(random, data.length, 1 + random.nextInt(8));
            assertEquals(whole.events, FrameLog.sliced(factory, data, cuts).events);
        }
        assertEquals(whole.events, FrameLog.randomDirect(factory, data, seed).events);
    }

    @Provide
    Arbitrary<List<Tuple.Tuple3<String, byte[], Integer>>> messages()
    {
        return Combinators.combine(
            Arbitraries.strings().alpha().ofMaxLength(20),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
            Arbitraries.integers()).as(Tuple::of).list();
    }

    private static void addRandomHeaders(final EventStreamEncoder encoder, final Random random)
    {
        final int count = random.nextInt(4);
        for (int i = 0; i < count; i++)
        {
            final String name = "h" + random.nextInt(100);
            switch (random.nextInt(10))
            {
                case 0 -> encoder.bool(name, true);
                case 1 -> encoder.bool(name, false);
                case 2 -> encoder.int8(name, (byte)random.nextInt());
                case 3 -> encoder.int16(name, (short)random.nextInt());
                case 4 -> encoder.int32(name, random.nextInt());
                case 5 -> encoder.int64(name, random.nextLong());
                case 6 -> encoder.bytes(name, new byte[random.nextInt(20)]);
                case 7 -> encoder.string(name, ":event-type".substring(random.nextInt(11)));
                case 8 -> encoder.timestamp(name, random.nextLong());
                default -> encoder.uuid(name, random.nextLong(), random.nextLong());
            }
        }
    }

    // ---------------------------------------------------------------- robustness

    @Property(tries = 300)
    void ndjsonNeverThrowsAndStaysBoundedOnAnyBytes(@ForAll("noise") final byte[] data, @ForAll final long seed)
    {
        checkRobust(listener -> new NdjsonFramer(listener, SMALL), data, seed,
            EnumSet.of(ErrorKind.LINE_TOO_LONG), framer -> ((NdjsonFramer)framer).retainedBytes(), 64);
    }

    @Property(tries = 300)
    void jsonArrayNeverThrowsAndStaysBoundedOnAnyBytes(@ForAll("noise") final byte[] data, @ForAll final long seed)
    {
        final byte[] array = new byte[data.length + 1];
        array[0] = '[';
        System.arraycopy(data, 0, array, 1, data.length);
        checkRobust(listener -> new JsonArrayFramer(listener, SMALL), array, seed,
            EnumSet.of(ErrorKind.MALFORMED_FRAMING, ErrorKind.NESTING_TOO_DEEP, ErrorKind.FRAME_TOO_LARGE,
            ErrorKind.TRUNCATED), framer -> ((JsonArrayFramer)framer).retainedBytes(), 64);
    }

    @Property(tries = 200)
    void eventStreamNeverThrowsAndStaysBoundedOnCorruptedMessages(
        @ForAll("messages") @Size(max = 4) final List<Tuple.Tuple3<String, byte[], Integer>> messages,
        @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final List<byte[]> encoded = new ArrayList<>();
        for (final Tuple.Tuple3<String, byte[], Integer> message : messages)
        {
            final EventStreamEncoder encoder = new EventStreamEncoder();
            addRandomHeaders(encoder, new Random(message.get3()));
            encoded.add(encoder.string(":event-type", message.get1()).encode(message.get2()));
        }
        final byte[] data = EventStreamEncoder.concat(encoded.toArray(new byte[0][]));
        final int flips = data.length == 0 ? 0 : random.nextInt(3);
        for (int i = 0; i < flips; i++)
        {
            data[random.nextInt(data.length)] ^= (byte)(1 << random.nextInt(8));
        }
        checkRobust(listener -> new EventStreamFramer(listener, FramingLimits.builder().maxFrameBytes(200).build()),
            data, seed, EnumSet.of(ErrorKind.CHECKSUM_MISMATCH, ErrorKind.MALFORMED_FRAMING,
            ErrorKind.FRAME_TOO_LARGE, ErrorKind.TRUNCATED), framer -> ((EventStreamFramer)framer).retainedBytes(),
            200 + 512);
    }

    @Provide
    Arbitrary<byte[]> noise()
    {
        final Arbitrary<Byte> interesting = Arbitraries.of(toBoxed("[]{}\",\\ \n\r\tx1:e-".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)));
        return Arbitraries.frequencyOf(Tuple.of(3, interesting), Tuple.of(1, Arbitraries.bytes()))
            .array(byte[].class).ofMaxSize(1500);
    }

    private static Byte[] toBoxed(final byte[] bytes)
    {
        final Byte[] boxed = new Byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            boxed[i] = bytes[i];
        }
        return boxed;
    }

    /**
     * Feeds the bytes whole and in random slices: no exception, only the documented error kinds, the same
     * frames and errors for every slicing, and retained memory within the bound after every feed.
     */
    private static void checkRobust(
        final Function<FrameListener, Framer> factory,
        final byte[] data,
        final long seed,
        final Set<ErrorKind> documented,
        final ToIntFunction<Framer> retained,
        final int bound)
    {
        final FrameLog whole = FrameLog.whole(factory, data);
        for (final StreamError error : whole.errors)
        {
            assertTrue(documented.contains(error.kind()), error.toString());
            assertTrue(error.byteOffset() >= 0 && error.byteOffset() <= data.length, error.toString());
        }
        final Random random = new Random(seed);
        final FrameLog sliced = new FrameLog();
        final Framer framer = factory.apply(sliced);
        int from = 0;
        while (from < data.length)
        {
            final int n = 1 + random.nextInt(Math.min(100, data.length - from));
            framer.feed(data, from, n);
            assertTrue(retained.applyAsInt(framer) <= bound, "retained " + retained.applyAsInt(framer));
            from += n;
        }
        framer.end();
        assertEquals(whole.events, sliced.events);
    }
}
