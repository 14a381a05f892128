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
 * The one-string layout's own match ({@code EventTemplate.matchSingle}: a literal, one string, a closing literal with
 * at most one whitespace run, as Anthropic's deltas are) against the piece loop every other template takes: for
 * events like the learnt one (new strings, padding of any length, other closing members) and events changed at one
 * byte, both say yes to the same events and read the same string, which is the one Jackson reads.
 */
class SingleStringTemplateProperties
{
    private static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String[] STRINGS = {"\"\"", "\"a\"", "\" the\"", "\"caf\u00e9 \"", "\"\\n\\n\"", "\"\\\"68\u00b0F\\\"\"",
        "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"ok \ud83d\udc4d\"", "\"x\\/y\"", "\" and sunny and sunny, a long run of text\"",
        "\"\\\\\"", "\"\\ud83d\""};
    private static final String[] HEADS = {"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":",
        "{\"type\":\"content_block_delta\",\"index\":12,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":", "{\"t\":1,\"text\":",
        "{\"text\":"};
    private static final String[] MIDS = {"}", "", ",\"k\":1}", ",\"obfuscation\":\"abcdefghijklmnop\"}"};
    private static final String[] RUNS = {"", " ", "   ", "\t", "          ", "                   ", " \n ", "\r\n"};
    private static final byte[] DAMAGE = {'"', '\\', '}', '{', ',', ':', ' ', '\t', '\n', '0', 'x', (byte)0xC3, (byte)0xF0, 0x01};
    private static final EventShape SHAPE = EventShape.of(0).string("delta", "text").build();
    private static final EventShape FLAT = EventShape.of(0).string("text").build();
    private static final EventShape THINKING = EventShape.of(0).string("delta", "thinking").build();

    @Property(tries = 1000)
    void theOneStringMatchIsThePieceLoopsMatch(@ForAll final Random random) throws IOException
    {
        final String head = HEADS[random.nextInt(HEADS.length)];
        final String mid = MIDS[random.nextInt(MIDS.length)];
        final boolean padded = random.nextInt(3) > 0;
        final boolean nested = head.contains("delta");
        final EventShape shape = !nested ? FLAT : head.contains("thinking") ? THINKING : SHAPE;
        final EventTemplate template = new EventTemplate(1000, random.nextInt(4) == 0 ? 8 : 1_000_000);
        final byte[] learnt = event(random, head, mid, nested, padded ? " ".repeat(1 + random.nextInt(5)) : "");
        if (!template.learn(learnt, 0, learnt.length, shape))
        {
            return;
        }
        Statistics.label("one-string layout").collect(template.single);
        Statistics.label("one-string layout").coverage(c -> c.check(true).percentage(p -> p > 80));
        int matched = 0;
        for (int k = 0; k < 30; k++)
        {
            final byte[] like = event(random, head, mid, nested, RUNS[random.nextInt(RUNS.length)]);
            final byte[] event = random.nextInt(3) == 0 ? OneByte.changed(like, 0, random, DAMAGE) : like;
            final byte[] padding = new byte[event.length + 8];
            System.arraycopy(event, 0, padding, 3, event.length);
            final boolean fast = template.match(padding, 3, event.length);
            final String text = fast ? new String(template.stringChars(0), 0, template.stringLength(0)) : null;
            final int start = template.valueStart(0);
            final int end = template.valueEnd(0);
            final boolean loop = template.matchSlots(padding, 3, event.length);
            assertEquals(loop, fast, () -> "the piece loop's answer for " + new String(event, StandardCharsets.UTF_8));
            if (fast)
            {
                matched++;
                assertEquals(new String(template.stringChars(0), 0, template.stringLength(0)), text);
                assertEquals(template.valueStart(0), start);
                assertEquals(template.valueEnd(0), end);
                final JsonNode tree = JACKSON.readTree(Arrays.copyOfRange(padding, 3, 3 + event.length));
                final JsonNode object = nested ? tree.get("delta") : tree;
                assertEquals(object.get(shape == THINKING ? "thinking" : "text").textValue(), text);
            }
        }
        Statistics.label("some matched").collect(matched > 0);
        Statistics.label("some matched").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    private static byte[] event(final Random random, final String head, final String mid, final boolean nested, final String run)
    {
        final String text = STRINGS[random.nextInt(STRINGS.length)];
        // Flat: {"t":1,"text":…} or {"text":…}, the string closing the object when mid is empty.
        final String close = nested ? mid.isEmpty() ? "}" : mid : mid.isEmpty() ? "" : mid.substring(0, mid.length() - 1);
        return (head + text + close + run + "}").getBytes(StandardCharsets.UTF_8);
    }
}
