package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A learnt chunk followed by chunks that name another text field where its text stood (reasoning, then the answer; a
 * refusal) is folded on the template, its text put in a new part as the full path puts it, and the chunk learnt in
 * turn. The streams switch often, between every text field, with broken variants around the switch: a misspelt or
 * spaced name, a second text field, a broken or cut body, text after the finish, another choice, a tool call, a
 * varying value after the choices, small limits; fast must equal full under any slicing.
 */
class FieldSwitchProperties
{
    private static final String[] NAMES = {"content", "reasoning_content", "reasoning", "refusal"};

    @Property(tries = 400)
    void aChunkNamingAnotherTextFieldFoldsAsTheFullPathFoldsIt(@ForAll final Random random)
    {
        final byte[] stream = stream(random);
        final AggregationLimits limits = random.nextInt(3) != 0 ? AggregationLimits.DEFAULT : AggregationLimits.builder()
            .maxTextChars(1 + random.nextInt(80))
            .maxRawBytes(1 + random.nextInt(64))
            .maxRawFields(1 + random.nextInt(12))
            .build();
        final long folds = FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, limits, random, random.nextInt(4) != 0,
            new String(stream, java.nio.charset.StandardCharsets.UTF_8));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    /** Reasoning, then the answer, then a refusal: every chunk after the first folded, the switches included. */
    @Test
    void switchesBetweenTextFieldsAreFolded()
    {
        final StringBuilder sb = new StringBuilder();
        final String[] fields = {"reasoning_content", "reasoning_content", "content", "content", "", "refusal", "reasoning",
            "content"};
        for (final String field : fields)
        {
            final String name = field.isEmpty() ? "content" : field;
            sb.append("data: {\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"")
                .append(name).append("\":\"").append(field.isEmpty() ? "" : "a\\n\\\"b\\\" **c**").append("\"}}]}\n\n");
        }
        final byte[] stream = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 0, false);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        FastPathRun.assertSame(full, fast, "");
        assertEquals(fields.length - 1, fast.folds, "every chunk after the first folded");
    }

    static byte[] stream(final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean obfuscation = random.nextInt(3) == 0;
        final boolean role = random.nextBoolean();
        // A literal null text field beside the text: the template then never switches (the full path would read both).
        final boolean nullField = random.nextInt(6) == 0;
        String name = NAMES[random.nextInt(NAMES.length)];
        final int chunks = 2 + random.nextInt(30);
        for (int i = 0; i < chunks; i++)
        {
            final int what = random.nextInt(40);
            if (what < 8)
            {
                name = NAMES[random.nextInt(NAMES.length)];
            }
            final StringBuilder c = new StringBuilder("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[");
            c.append("{\"index\":").append(what == 8 ? 1 : 0).append(",\"delta\":{");
            if (role)
            {
                c.append("\"role\":\"assistant\",");
            }
            if (nullField)
            {
                c.append("\"content\":null,");
            }
            if (what == 9)
            {
                c.append('"').append(name).append("\" :").append(ChunkTemplateEquivalenceTest.body(random));
            }
            else if (what == 10)
            {
                c.append("\"").append(name).append("s\":").append(ChunkTemplateEquivalenceTest.body(random));
            }
            else if (what == 11)
            {
                c.append('"').append(name).append("\":").append(ChunkTemplateEquivalenceTest.body(random)).append(",\"")
                    .append(NAMES[random.nextInt(NAMES.length)]).append("\":").append(ChunkTemplateEquivalenceTest.body(random));
            }
            else if (what == 12)
            {
                c.append("\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]");
            }
            else
            {
                c.append('"').append(name).append("\":").append(ChunkTemplateEquivalenceTest.body(random));
            }
            c.append("}").append(what == 13 ? ",\"finish_reason\":\"stop\"" : "").append("}]");
            if (obfuscation)
            {
                c.append(",\"obfuscation\":").append(what == 14 ? "null" : ChunkTemplateEquivalenceTest.body(random));
            }
            c.append('}');
            String text = c.toString();
            if (what == 15)
            {
                text = text.substring(0, text.length() - 1 - random.nextInt(Math.min(20, text.length() - 8)));
            }
            ChunkTemplateEquivalenceTest.write(out, text);
            ChunkTemplateEquivalenceTest.write(out, "\n\n");
        }
        if (random.nextBoolean())
        {
            ChunkTemplateEquivalenceTest.write(out, "data: [DONE]\n\n");
        }
        return out.toByteArray();
    }
}
