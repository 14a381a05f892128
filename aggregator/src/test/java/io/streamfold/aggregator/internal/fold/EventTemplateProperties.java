package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.OneByte;
import io.streamfold.aggregator.internal.json.JsonMembers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The template on its own, against Jackson: an event is learnt, then events like it (new slot values, members in
 * the same order, whitespace changed) and events that differ from it at one byte are matched. Whenever a match says
 * yes, the event is valid JSON and every slot reads what Jackson reads at its path: a string's text, an integer, a
 * number's text, an object's bytes (its members not declared as slots free to vary), and a copy that repeats its
 * original byte for byte, whether it comes before or after it. Events with members in another order, a path name
 * twice or escaped, are refused or read as Jackson reads them.
 */
class EventTemplateProperties
{
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String[] STRINGS = {"\"\"", "\"a\"", "\" the\"", "\"caf\u00e9\"", "\"\\n\"", "\"\\\"q\\\"\"",
        "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\ud83d\ude00\"", "\"x\\/y\"", "\"tok\"", "\"\\\\\""};
    private static final String[] NUMBERS = {"0", "-0", "7", "-0.25", "1e5", "-1.5E-3", "123456789012345678", "0.000001"};
    private static final String[] RAWS = {"[]", "null", "[1,2,3]", "{\"k\":[true,false]}", "\"s\"", "[ 32 , 116 ]", "{}",
        "[{\"token\":\"a\",\"logprob\":-1}]", "[32,240,159,152,128]", "[0,10]"};
    private static final byte[] DAMAGE = {'"', '\\', '}', '{', ',', ':', ' ', '0', '-', '.', 'e', 'x', '[', ']', (byte)0xC3, 0x01};

    private static final EventShape SHAPE = EventShape.of(0)
        .string("choices", EventShape.ONLY, "delta", "content")
        .object("choices", EventShape.ONLY, "entry")
        .sameString(0, "choices", EventShape.ONLY, "entry", "token")
        .number("choices", EventShape.ONLY, "entry", "logprob")
        .integer("n")
        .sameString(0, "choices", EventShape.ONLY, "text")
        .build();

    @Property(tries = 1000)
    void aMatchReadsWhatJacksonReads(@ForAll final Random random) throws IOException
    {
        final Layout layout = new Layout(random);
        final byte[] learnt = layout.event(random);
        final EventTemplate template = new EventTemplate(1000, 1_000_000);
        final boolean learns = template.learn(learnt, 0, learnt.length, SHAPE);
        Statistics.label("learnt").collect(learns);
        Statistics.label("learnt").coverage(c -> c.check(true).percentage(p -> p > 60));
        if (!learns)
        {
            return;
        }
        checkSlots(template, learnt, 0, learnt.length);
        int matched = 0;
        for (int k = 0; k < 20; k++)
        {
            byte[] event = layout.event(random);
            if (random.nextInt(3) == 0)
            {
                event = OneByte.changed(event, 0, random, DAMAGE);
            }
            final byte[] padded = new byte[event.length + 4];
            System.arraycopy(event, 0, padded, 2, event.length);
            if (template.match(padded, 2, event.length))
            {
                checkSlots(template, padded, 2, 2 + event.length);
                matched++;
            }
        }
        Statistics.label("some events like it matched").collect(matched > 0);
        Statistics.label("some events like it matched").coverage(c -> c.check(true).percentage(p -> p > 35));
    }

    /**
     * Every slot of the event just matched or learnt, {@code src[from, to)}, reads what Jackson reads at its path;
     * the event is one Jackson reads at all.
     */
    private static void checkSlots(final EventTemplate template, final byte[] src, final int from, final int to) throws IOException
    {
        final JsonNode tree = JACKSON.readTree(Arrays.copyOfRange(src, from, to));
        final JsonNode choice = tree.get("choices").get(0);
        final String content = choice.get("delta").get("content").textValue();
        assertEquals(content, new String(template.stringChars(0), 0, template.stringLength(0)));
        final JsonNode entry = choice.get("entry");
        assertEquals(entry, JACKSON.readTree(Arrays.copyOfRange(src, template.valueStart(1), template.valueEnd(1))));
        assertEquals(entry.get("logprob"), JACKSON.readTree(Arrays.copyOfRange(src, template.valueStart(3), template.valueEnd(3))));
        assertEquals(tree.get("n").longValue(), template.integer(4));
        for (final int copy : new int[] {2, 5})
        {
            final String text = (copy == 2 ? entry.get("token") : choice.get("text")).textValue();
            if (template.repeatsOriginal(copy))
            {
                assertEquals(content, text);
            }
        }
    }

    /** One stream's event layout: member orders, the entry's other members, whitespace; values drawn per event. */
    private static final class Layout
    {
        private final List<String> root = new ArrayList<>(List.of("id", "choices", "model", "n"));
        private final List<String> choiceMembers = new ArrayList<>(List.of("index", "text", "delta", "entry"));
        private final List<String> entryMembers = new ArrayList<>(List.of("token", "logprob", "bytes", "top"));
        private final boolean spaced;
        /** Spaced with runs of spaces and tabs whose length varies from event to event. */
        private final boolean varying;
        /** Spaces before the event's closing brace, as many as each event likes (as Anthropic pads its events). */
        private final boolean padded;
        private final boolean escapedName;
        private final boolean twice;
        private Random random;

        Layout(final Random random)
        {
            Collections.shuffle(root, random);
            Collections.shuffle(choiceMembers, random);
            Collections.shuffle(entryMembers, random);
            spaced = random.nextInt(4) == 0;
            varying = spaced && random.nextBoolean();
            padded = random.nextInt(4) == 0;
            escapedName = random.nextInt(12) == 0;
            twice = random.nextInt(12) == 0;
        }

        byte[] event(final Random random)
        {
            this.random = random;
            final String content = pick(random, STRINGS);
            final StringBuilder entry = new StringBuilder("{");
            for (final String name : entryMembers)
            {
                final String value;
                switch (name)
                {
                    case "token":
                        value = random.nextInt(4) == 0 ? pick(random, STRINGS) : content;
                        break;
                    case "logprob":
                        value = pick(random, NUMBERS);
                        break;
                    default:
                        value = pick(random, RAWS);
                }
                member(entry, escapedName && "top".equals(name) ? "to\\u0070" : name, value);
            }
            if (twice)
            {
                member(entry, "token", content);
            }
            final StringBuilder choice = new StringBuilder("{");
            for (final String name : choiceMembers)
            {
                member(choice, name, "index".equals(name) ? "0" : "text".equals(name) ? (random.nextInt(4) == 0 ?
                    pick(random, STRINGS) : content) : "delta".equals(name) ? "{\"content\":" + content + "}" : entry + "}");
            }
            final StringBuilder event = new StringBuilder("{");
            for (final String name : root)
            {
                member(event, name, "id".equals(name) ? "\"c1\"" : "model".equals(name) ? "\"m\"" : "n".equals(name) ?
                    Integer.toString(random.nextInt(100_000) - 50) : "[" + choice + "}]");
            }
            if (padded)
            {
                event.append(" ".repeat(random.nextInt(12)));
            }
            return event.append('}').toString().getBytes(StandardCharsets.UTF_8);
        }

        private void member(final StringBuilder object, final String name, final String value)
        {
            if (object.length() > 1)
            {
                object.append(blanks()).append(',').append(blanks());
            }
            object.append('"').append(name).append('"').append(blanks()).append(':').append(blanks()).append(value);
        }

        private String blanks()
        {
            if (!varying)
            {
                return spaced ? " " : "";
            }
            final StringBuilder run = new StringBuilder();
            for (int n = 1 + random.nextInt(3); n > 0; n--)
            {
                run.append(random.nextInt(4) == 0 ? '\t' : ' ');
            }
            return run.toString();
        }

        private static String pick(final Random random, final String[] values)
        {
            return values[random.nextInt(values.length)];
        }
    }

    /** Every position of the learnt event changed in turn: a match says yes only to what Jackson reads the same way. */
    @Property(tries = 300)
    void anEventChangedAtOneByteIsReadAsJacksonReadsIt(@ForAll final Random random) throws IOException
    {
        final Layout layout = new Layout(random);
        final byte[] learnt = layout.event(random);
        final EventTemplate template = new EventTemplate(1000, 1_000_000);
        if (!template.learn(learnt, 0, learnt.length, SHAPE))
        {
            return;
        }
        for (int at = 0; at < learnt.length; at += 1 + random.nextInt(3))
        {
            final byte[] event = learnt.clone();
            event[at] = DAMAGE[random.nextInt(DAMAGE.length)];
            if (template.match(event, 0, event.length))
            {
                assertArrayEquals(event, template.input());
                checkSlots(template, event, 0, event.length);
            }
        }
    }
    /**
     * An event a scan-first reader's strict check accepted is learnt without the learner's own check
     * ({@link EventTemplate#learn(byte[], int, int, EventShape, boolean)}): the template is the one learnt with it, so
     * it learns the same events and matches the same events like them (some damaged at one byte) with the same slots.
     */
    @Property(tries = 500)
    void anEventLearntAsCheckedIsTheTemplateLearntWithTheCheck(@ForAll final Random random)
    {
        final Layout layout = new Layout(random);
        final byte[] learnt = layout.event(random);
        if (!new JsonMembers().checkObject(learnt, 0, learnt.length, 1000, 1_000_000))
        {
            // Only events a scan accepted are said to be checked.
            return;
        }
        final EventTemplate withCheck = new EventTemplate(1000, 1_000_000);
        final EventTemplate checked = new EventTemplate(1000, 1_000_000);
        // Learnt another event first: nothing located in it may be taken for the next one's.
        final byte[] before = layout.event(random);
        checked.learn(before, 0, before.length, SHAPE, new JsonMembers().checkObject(before, 0, before.length, 1000, 1_000_000));
        final boolean learns = withCheck.learn(learnt, 0, learnt.length, SHAPE);
        assertEquals(learns, checked.learn(learnt, 0, learnt.length, SHAPE, true));
        Statistics.label("learnt").collect(learns);
        if (!learns)
        {
            return;
        }
        for (int k = 0; k < 20; k++)
        {
            byte[] event = layout.event(random);
            if (random.nextInt(3) == 0)
            {
                event = OneByte.changed(event, 0, random, DAMAGE);
            }
            final boolean matches = withCheck.match(event, 0, event.length);
            assertEquals(matches, checked.match(event, 0, event.length));
            for (int slot = 0; matches && slot < SHAPE.slotCount(); slot++)
            {
                assertEquals(withCheck.valueStart(slot), checked.valueStart(slot));
                assertEquals(withCheck.valueEnd(slot), checked.valueEnd(slot));
            }
        }
    }

    /**
     * {@link EventTemplate#matchLine}: an event on an SSE data line whose end is not known yet (followed by a line end,
     * more bytes, another event), sometimes with a CR or LF or other damage inside, raw values holding line ends. A
     * line match ends where the exact match of the same bytes ends, with the same slots, and no CR or LF before it.
     */
    @Property(tries = 500)
    void aLineMatchIsTheExactMatchOfTheBytesItEnds(@ForAll final Random random) throws IOException
    {
        final Layout layout = new Layout(random);
        final byte[] learnt = layout.event(random);
        final EventTemplate template = new EventTemplate(1000, 1_000_000);
        final EventTemplate exact = new EventTemplate(1000, 1_000_000);
        if (!template.learn(learnt, 0, learnt.length, SHAPE) || !exact.learn(learnt, 0, learnt.length, SHAPE))
        {
            return;
        }
        int matched = 0;
        for (int k = 0; k < 20; k++)
        {
            byte[] event = layout.event(random);
            final int what = random.nextInt(7);
            if (what == 0)
            {
                event = OneByte.changed(event, 0, random, DAMAGE);
            }
            else if (what == 1)
            {
                event = event.clone();
                event[random.nextInt(event.length)] = random.nextBoolean() ? (byte)'\n' : (byte)'\r';
            }
            else if (what == 2)
            {
                // A line end where a raw value's whitespace could be.
                event = new String(event, StandardCharsets.UTF_8).replace(" ", random.nextBoolean() ? "\n" : "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            }
            else if (what == 3)
            {
                // A line end inside one whitespace run (a learnt whitespace piece, padding, a raw value's), or ending it.
                event = event.clone();
                final int at = random.nextInt(event.length);
                for (int i = at; i < event.length; i++)
                {
                    if (event[i] == ' ' || event[i] == '\t')
                    {
                        event[i] = random.nextBoolean() ? (byte)'\n' : (byte)'\r';
                        break;
                    }
                }
            }
            final byte[] after = LINE_TAILS[random.nextInt(LINE_TAILS.length)].getBytes(StandardCharsets.UTF_8);
            final byte[] line = new byte[2 + event.length + after.length];
            System.arraycopy(event, 0, line, 2, event.length);
            System.arraycopy(after, 0, line, 2 + event.length, after.length);
            final int to = 2 + event.length + random.nextInt(after.length + 1);
            final int end = template.matchLine(line, 2, to);
            final int eventEnd = 2 + event.length;
            if (to > eventEnd && (line[eventEnd] == '\n' || line[eventEnd] == '\r') && noLineEnd(event) &&
                exact.match(line, 2, event.length))
            {
                // An event on its own line, however it is spaced, padded or damaged, is found where its line ends: a
                // line the hint refused is a frame the exact match refuses (HintedLine.REFUSED relies on it).
                assertEquals(eventEnd, end, "an exact match on its own line is found by the line match");
            }
            if (end >= 0)
            {
                matched++;
                for (int i = 2; i < end; i++)
                {
                    if (line[i] == '\n' || line[i] == '\r')
                    {
                        throw new AssertionError("line end at " + i + " before the match's end " + end);
                    }
                }
                assertEquals(true, exact.match(line, 2, end - 2), "the exact match of the same bytes");
                checkSlots(template, line, 2, end);
            }
        }
        Statistics.label("some lines matched").collect(matched > 0);
        Statistics.label("some lines matched").coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    private static boolean noLineEnd(final byte[] event)
    {
        for (final byte b : event)
        {
            if (b == '\n' || b == '\r')
            {
                return false;
            }
        }
        return true;
    }

    private static final String[] LINE_TAILS = {"\n", "\r", "\r\n", "\n\n", "}\n", "x", "", " \n", "{\"id\":1}\n", "  \t\r\n",
        " }\n"};
}
