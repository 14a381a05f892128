package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.OneByte;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The flat layout's own match ({@code EventTemplate.matchFlat}: a literal, one or two slots, a closing literal with at
 * most one whitespace run, as Anthropic's deltas and text block starts are) against the piece loop every other
 * template takes: for events like the learnt one (new values, padding of any length, other closing members) and events
 * changed at one byte, both say yes to the same events and read the same slots, which are what Jackson reads.
 */
class FlatTemplateProperties
{
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String[] STRINGS = {"\"\"", "\"a\"", "\" the\"", "\"caf\u00e9 \"", "\"\\n\\n\"", "\"\\\"68\u00b0F\\\"\"",
        "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"ok \ud83d\udc4d\"", "\"x\\/y\"", "\" and sunny and sunny, a long run of text\"",
        "\"\\\\\"", "\"\\ud83d\""};
    private static final String[] CITATIONS = {"{\"type\":\"web_search_result_location\",\"cited_text\":\"70 degrees. \",\"url\":\"https://x\"}",
        "{}", "{\"a\":[1,2,{\"b\":null}]}", "{\"t\":\"caf\u00e9\"}", "[1]", "\"s\"", "{\"a\":1"};
    private static final String[] INDEXES = {"0", "7", "12", "-1", "01", "1.5", "123456789012", "1e2", "x"};
    /** Layouts: the text before the lead index (null: no index), after it, the value's member name, and what it holds. */
    private static final String[][] LAYOUTS = {
        {null, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":", "text", "s"},
        {null, "{\"type\":\"content_block_delta\",\"index\":12,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":", "thinking", "s"},
        {null, "{\"t\":1,\"text\":", "text", "s"},
        {null, "{\"text\":", "text", "s"},
        {"{\"type\":\"content_block_delta\",\"index\":", ",\"delta\":{\"type\":\"text_delta\",\"text\":", "text", "s"},
        {"{\"type\":\"content_block_delta\",\"index\":", ",\"delta\":{\"type\":\"citations_delta\",\"citation\":", "citation", "r"},
        {"{\"index\":", ",\"text\":", "text", "s"},
        {"{\"i\":", ",\"delta\":{\"text\":", "text", "s"},
    };
    private static final String[] MIDS = {"}", "", ",\"k\":1}", ",\"obfuscation\":\"abcdefghijklmnop\"}"};
    private static final String[] RUNS = {"", " ", "   ", "\t", "          ", "                   ", " \n ", "\r\n"};
    private static final byte[] DAMAGE = {'"', '\\', '}', '{', ',', ':', ' ', '\t', '\n', '0', '-', 'x', (byte)0xC3, (byte)0xF0, 0x01};

    @Property(tries = 1500)
    void theFlatMatchIsThePieceLoopsMatch(@ForAll final Random random) throws IOException
    {
        final Case f = new Case(random, random.nextInt(3) > 0);
        if (!f.learnt)
        {
            return;
        }
        final EventTemplate template = f.template;
        Statistics.label("flat layout").collect(template.flat.learnt());
        Statistics.label("flat layout").coverage(c -> c.check(true).percentage(p -> p > 80));
        Statistics.label("index slot").collect(f.indexed);
        int matched = 0;
        for (int k = 0; k < 30; k++)
        {
            final byte[] like = event(random, f.layout, f.mid, f.nested, RUNS[random.nextInt(RUNS.length)], random.nextInt(5) == 0);
            final byte[] event = random.nextInt(3) == 0 ? OneByte.changed(like, 0, random, DAMAGE) : like;
            final byte[] padding = new byte[event.length + 8];
            System.arraycopy(event, 0, padding, 3, event.length);
            final boolean fast = template.match(padding, 3, event.length);
            final String text = fast && !f.raw ? new String(template.stringChars(0), 0, template.stringLength(0)) : null;
            final int start = template.valueStart(0);
            final int end = template.valueEnd(0);
            final long index = f.indexed ? template.integer(1) : 0;
            final boolean loop = template.matchSlots(padding, 3, event.length);
            assertEquals(loop, fast, () -> "the piece loop's answer for " + new String(event, StandardCharsets.UTF_8));
            if (fast)
            {
                matched++;
                assertEquals(template.valueStart(0), start);
                assertEquals(template.valueEnd(0), end);
                final JsonNode tree = JACKSON.readTree(Arrays.copyOfRange(padding, 3, 3 + event.length));
                final JsonNode value = (f.nested ? tree.get("delta") : tree).get(f.name);
                if (f.raw)
                {
                    assertEquals(value, JACKSON.readTree(Arrays.copyOfRange(padding, start, end)));
                }
                else
                {
                    assertEquals(new String(template.stringChars(0), 0, template.stringLength(0)), text);
                    assertEquals(value.textValue(), text);
                }
                if (f.indexed)
                {
                    assertEquals(template.integer(1), index);
                    assertEquals(tree.get(f.indexName).longValue(), index);
                    assertEquals(true, tree.get(f.indexName).isIntegralNumber());
                }
            }
        }
        Statistics.label("some matched").collect(matched > 0);
        Statistics.label("some matched").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    /**
     * The same on a line ({@code EventTemplate.matchLine}, the framer's line-end hint: where the event ends is found by
     * matching it): an event like the learnt one, or changed at one byte, followed by a line end and what may come after
     * it (a blank line, the next event, bytes cut short), is matched by the flat layout to the same end, with the same
     * slots, as by the piece loop.
     */
    @Property(tries = 1000)
    void theFlatLineMatchIsThePieceLoopsLineMatch(@ForAll final Random random)
    {
        final Case f = new Case(random, random.nextBoolean());
        final EventTemplate template = f.template;
        if (!f.learnt || !template.flat.learnt())
        {
            return;
        }
        final String[] after = {"\n\n", "\r\n\r\n", "\n", "", " \n", "}\n", "\ndata: {}\n\n", "\t\t\r"};
        int matched = 0;
        for (int k = 0; k < 30; k++)
        {
            final byte[] like = event(random, f.layout, f.mid, f.nested, RUNS[random.nextInt(RUNS.length)], random.nextInt(5) == 0);
            final byte[] event = random.nextInt(3) == 0 ? OneByte.changed(like, 0, random, DAMAGE) : like;
            final byte[] tail = after[random.nextInt(after.length)].getBytes(StandardCharsets.UTF_8);
            final byte[] line = new byte[3 + event.length + tail.length + 8];
            System.arraycopy(event, 0, line, 3, event.length);
            System.arraycopy(tail, 0, line, 3 + event.length, tail.length);
            // The bytes available end with the tail, or anywhere in the event (a slice cut short).
            final int to = random.nextInt(4) == 0 ? 3 + random.nextInt(event.length + 1) : 3 + event.length + tail.length;
            final int fast = template.flat.matchLine(line, 3, to);
            final int start = template.valueStart(0);
            final int end = template.valueEnd(0);
            final String text = fast >= 0 && !f.raw ? new String(template.stringChars(0), 0, template.stringLength(0)) : null;
            final long index = f.indexed ? template.integer(1) : 0;
            final int loop = template.matchLineSlots(line, 3, to);
            assertEquals(loop, fast, () -> "the piece loop's line end for " + new String(line, StandardCharsets.UTF_8));
            if (fast >= 0)
            {
                matched++;
                assertEquals(template.valueStart(0), start);
                assertEquals(template.valueEnd(0), end);
                if (text != null)
                {
                    assertEquals(new String(template.stringChars(0), 0, template.stringLength(0)), text);
                }
                if (f.indexed)
                {
                    assertEquals(template.integer(1), index);
                }
            }
        }
        Statistics.label("some matched").collect(matched > 0);
        Statistics.label("some matched").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    /** A layout at random, its shape, and a template that has learnt an event of it (padded or not). */
    private static final class Case
    {
        final String[] layout;
        final String mid;
        final boolean nested;
        final boolean indexed;
        final String name;
        final boolean raw;
        final String indexName;
        final EventTemplate template;
        final boolean learnt;

        Case(final Random random, final boolean padded)
        {
            layout = LAYOUTS[random.nextInt(LAYOUTS.length)];
            mid = MIDS[random.nextInt(MIDS.length)];
            nested = layout[1].contains("delta");
            indexed = layout[0] != null;
            name = layout[2];
            raw = "r".equals(layout[3]);
            indexName = layout[0] != null && layout[0].contains("\"i\"") ? "i" : "index";
            EventShape.Builder builder = EventShape.of(0);
            builder = raw ? nested ? builder.raw("delta", name) : builder.raw(name) : nested ? builder.string("delta", name) :
                builder.string(name);
            final EventShape shape = (indexed ? builder.integer(indexName) : builder).build();
            template = new EventTemplate(1000, random.nextInt(4) == 0 ? 8 : 1_000_000);
            final byte[] event = event(random, layout, mid, nested, padded ? " ".repeat(1 + random.nextInt(5)) : "", false);
            learnt = template.learn(event, 0, event.length, shape);
        }
    }

    private static byte[] event(final Random random, final String[] layout, final String mid, final boolean nested, final String run,
        final boolean odd)
    {
        final boolean raw = "r".equals(layout[3]);
        final String value = raw ? odd ? CITATIONS[random.nextInt(CITATIONS.length)] : CITATIONS[random.nextInt(4)] :
            STRINGS[random.nextInt(STRINGS.length)];
        final String index = layout[0] == null ? "" : layout[0] + (odd ? INDEXES[random.nextInt(INDEXES.length)] : INDEXES[random.nextInt(3)]);
        // Flat: {"t":1,"text":…}, {"text":…} or {"index":…,"text":…}, the value closing the object when mid is empty.
        final String close = nested ? mid.isEmpty() ? "}" : mid : mid.isEmpty() ? "" : mid.substring(0, mid.length() - 1);
        return (index + layout[1] + value + close + run + "}").getBytes(StandardCharsets.UTF_8);
    }
}
