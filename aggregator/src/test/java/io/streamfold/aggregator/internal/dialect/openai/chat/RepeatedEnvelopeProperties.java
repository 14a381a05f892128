package io.streamfold.aggregator.internal.dialect.openai.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;

/**
 * The members that open a chunk the fast path cannot fold are not read again when they repeat the metadata kept
 * ({@link RepeatedEnvelope}, {@code JsonReader.beginObject(…, skip)}). Whatever the envelope (identity members
 * repeated, changed, duplicated, spaced, escaped, of another type, {@code created} as 0, -0 or too long for the
 * limits, unknown members among them, a member cut or a comma missing or doubled, a byte broken) and whatever
 * the limits (few raw fields, short raw values, short numbers), any slicing: the fast path folds the stream as the
 * full path does, errors and listener events included.
 */
public class RepeatedEnvelopeProperties
{
    private static final String[] IDS = {"\"chatcmpl-1\"", "\"chatcmpl-1\"", "\"chatcmpl-2\"", "\"\"", "null", "\"chat\\u0063mpl-1\"",
        "\"caf\u00e9\"", "7", "\"" + "x".repeat(300) + "\""};
    private static final String[] CREATED = {"1700000000", "1700000000", "1700000001", "0", "-0", "012", "1.5", "\"1700000000\"",
        "12345678901234567890123", "null"};
    private static final String[] MODELS = {"\"gpt\"", "\"gpt\"", "\"gpt-2\"", "\"\"", "null", "{\"a\":1}", "\"g\\\"pt\""};
    private static final String[] OBJECTS = {"\"chat.completion.chunk\"", "\"chat.completion.chunk\"", "5", "null", "[1]", "\"x\""};
    private static final String[] OTHER = {"\"system_fingerprint\":\"fp_1\"", "\"service_tier\":\"default\"", "\"provider\":\"p\"",
        "\"extra\":1", "\"usage\":null", "\"error\":null", "\"id\":\"chatcmpl-1\"", "\"x_groq\":{\"id\":\"q\"}"};
    private static final String[] TEXTS = {"Hi", " there", "", "caf\u00e9", "\\n", "a\\\"b"};

    @Property(tries = 400)
    void skippedEnvelopesFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        final byte[] stream = stream(random);
        final AggregationLimits limits = limits(random);
        FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, limits, random,
            limits + "\n" + new String(stream, StandardCharsets.UTF_8));
    }

    /** A real chunk's envelope repeating the kept metadata is passed over to its choices, and only then. */
    @Example
    void theEnvelopeKeptIsPassedOverUpToTheFirstMemberThatDiffers()
    {
        final MutableRawFields meta = new MutableRawFields();
        final char[] id = "chatcmpl-1".toCharArray();
        meta.slot("id", 10).setScalar(MutableRawJson.Type.STRING, id, 0, id.length, 100);
        final char[] created = "1700".toCharArray();
        meta.slot("created", 10).setScalar(MutableRawJson.Type.NUMBER, created, 0, created.length, 100);
        final char[] model = "gpt".toCharArray();
        meta.slot("model", 10).setScalar(MutableRawJson.Type.STRING, model, 0, model.length, 100);
        final String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700,\"model\":\"gpt\",";
        assertEquals(head.length(), skippable(head + "\"choices\":[]}", meta, 100, 100));
        assertEquals(head.length(), skippable(head + "\"id\":\"other\",\"choices\":[]}", meta, 100, 100));
        assertEquals(0, skippable("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"choices\":[]}", meta, 100, 100));
        assertEquals("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",".length(),
            skippable("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1701,\"model\":\"gpt\",}", meta, 100, 100));
        assertEquals(0, skippable("{\"id\": \"chatcmpl-1\",\"choices\":[]}", meta, 100, 100));
        assertEquals(0, skippable("{\"id\":\"chatcmpl-1\"}", meta, 100, 100));
        // Past the parser's own limits: left to it to refuse.
        assertEquals("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",".length(), skippable(head, meta, 3, 100));
        assertEquals(0, skippable(head, meta, 100, 5));
    }

    /** The scan-first reader notes for the learner what the members passed over were: TGI's kind, a creation time. */
    @Example
    void whatWasPassedOverIsTold()
    {
        final MutableRawFields meta = new MutableRawFields();
        final char[] created = "1700".toCharArray();
        meta.slot("created", 10).setScalar(MutableRawJson.Type.NUMBER, created, 0, created.length, 100);
        final RepeatedEnvelope.Passed passed = new RepeatedEnvelope.Passed();
        final byte[] tgi = "{\"object\":\"text_completion\",\"created\":1700,\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(tgi.length - "\"choices\":[]}".length(), RepeatedEnvelope.skippable(tgi, 0, tgi.length, meta, 100, 100, passed));
        assertTrue(passed.textCompletion);
        assertTrue(passed.created);
        final byte[] chat = "{\"object\":\"chat.completion.chunk\",\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
        assertTrue(RepeatedEnvelope.skippable(chat, 0, chat.length, meta, 100, 100, passed) > 0);
        assertFalse(passed.textCompletion);
        assertFalse(passed.created);
        // Azure's placeholder creation time, kept as such, is passed over without a note (as the scan reads it).
        final char[] zero = "0".toCharArray();
        meta.slot("created", 10).setScalar(MutableRawJson.Type.NUMBER, zero, 0, zero.length, 100);
        final byte[] azure = "{\"created\":0,\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
        assertTrue(RepeatedEnvelope.skippable(azure, 0, azure.length, meta, 100, 100, passed) > 0);
        assertFalse(passed.created);
    }

    private static int skippable(final String json, final MutableRawFields meta, final int maxDigits, final int maxStringChars)
    {
        final byte[] b = ("  " + json).getBytes(StandardCharsets.UTF_8);
        return RepeatedEnvelope.skippable(b, 2, b.length, meta, maxDigits, maxStringChars);
    }

    private static AggregationLimits limits(final Random random)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return AggregationLimits.builder().maxRawFields(1 + random.nextInt(4)).build();
            case 1:
                return AggregationLimits.builder().maxRawBytes(1 + random.nextInt(20)).build();
            case 2:
                return AggregationLimits.builder().maxNumberLength(1 + random.nextInt(12)).build();
            case 3:
                return AggregationLimits.builder().maxTextChars(1 + random.nextInt(12)).build();
            default:
                return AggregationLimits.DEFAULT;
        }
    }

    /** Chunks whose envelopes mostly repeat one another, with text, finish and usage chunks the fast path cannot fold. */
    static byte[] stream(final Random random)
    {
        final StringBuilder sse = new StringBuilder();
        final List<String> envelope = envelope(random);
        for (int n = 1 + random.nextInt(14); n > 0; n--)
        {
            if (random.nextInt(4) == 0)
            {
                // Now and then the envelope changes (and stays changed): a member added, dropped, changed or moved.
                mutate(envelope, random);
            }
            final StringBuilder json = new StringBuilder("{");
            for (final String member : envelope)
            {
                json.append(member).append(random.nextInt(30) == 0 ? ",," : ",");
            }
            if (random.nextInt(15) == 0)
            {
                // Nothing after the envelope's last comma: malformed exactly where a skipped run ends.
                sse.append("data: ").append(json).append("}\n\n");
                continue;
            }
            json.append(choices(random));
            if (random.nextInt(6) == 0)
            {
                json.append(",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":").append(random.nextInt(20)).append('}');
            }
            if (random.nextInt(5) == 0)
            {
                json.append(',').append(OTHER[random.nextInt(OTHER.length)]);
            }
            json.append('}');
            String data = json.toString();
            if (random.nextInt(20) == 0)
            {
                // A broken byte anywhere, or the chunk cut short.
                final char[] chars = data.toCharArray();
                chars[random.nextInt(chars.length)] = "\"\\}{,: 0x]".charAt(random.nextInt(10));
                data = random.nextBoolean() ? new String(chars) : data.substring(0, random.nextInt(data.length()));
            }
            sse.append("data: ").append(data).append("\n\n");
        }
        if (random.nextBoolean())
        {
            sse.append("data: [DONE]\n\n");
        }
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> envelope(final Random random)
    {
        final List<String> members = new ArrayList<>();
        members.add("\"id\":" + IDS[random.nextInt(3)]);
        members.add("\"object\":" + OBJECTS[0]);
        members.add("\"created\":" + CREATED[random.nextInt(3)]);
        members.add("\"model\":" + MODELS[random.nextInt(3)]);
        if (random.nextBoolean())
        {
            members.add(OTHER[random.nextInt(3)]);
        }
        if (random.nextInt(5) == 0)
        {
            Collections.shuffle(members, random);
        }
        return members;
    }

    private static void mutate(final List<String> envelope, final Random random)
    {
        switch (random.nextInt(8))
        {
            case 0:
                put(envelope, "\"id\":", IDS[random.nextInt(IDS.length)], random);
                break;
            case 1:
                put(envelope, "\"created\":", CREATED[random.nextInt(CREATED.length)], random);
                break;
            case 2:
                put(envelope, "\"model\":", MODELS[random.nextInt(MODELS.length)], random);
                break;
            case 3:
                put(envelope, "\"object\":", OBJECTS[random.nextInt(OBJECTS.length)], random);
                break;
            case 4:
                envelope.add(random.nextInt(envelope.size() + 1), OTHER[random.nextInt(OTHER.length)]);
                break;
            case 5:
                if (!envelope.isEmpty())
                {
                    envelope.remove(random.nextInt(envelope.size()));
                }
                break;
            case 6:
                if (!envelope.isEmpty())
                {
                    // Spaced as some servers space their JSON.
                    final int i = random.nextInt(envelope.size());
                    envelope.set(i, envelope.get(i).replaceFirst(":", ": "));
                }
                break;
            default:
                if (!envelope.isEmpty())
                {
                    Collections.swap(envelope, random.nextInt(envelope.size()), random.nextInt(envelope.size()));
                }
        }
    }

    /** The member's value changed where it is (mostly), or the member added again, a duplicate, somewhere. */
    private static void put(final List<String> envelope, final String name, final String value, final Random random)
    {
        for (int i = 0; i < envelope.size(); i++)
        {
            if (envelope.get(i).startsWith(name) && random.nextInt(4) != 0)
            {
                envelope.set(i, name + value);
                return;
            }
        }
        envelope.add(random.nextInt(envelope.size() + 1), name + value);
    }

    private static String choices(final Random random)
    {
        final String text = TEXTS[random.nextInt(TEXTS.length)];
        switch (random.nextInt(8))
        {
            case 0:
                return "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]";
            case 1:
                return "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]";
            case 2:
                return "\"choices\":[]";
            case 3:
                return "\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"" + text + "\"},\"finish_reason\":null}]";
            default:
                return "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}]";
        }
    }
}
