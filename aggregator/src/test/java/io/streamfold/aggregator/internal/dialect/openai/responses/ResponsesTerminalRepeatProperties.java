package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A terminal response's output element that repeats byte for byte the item its {@code output_item.done} gave is only
 * ended, not read again (one that does not is read from the members the event's check located), nor is a done item's
 * part that repeats its {@code content_part.done}, and the fold is exactly the full reader's. The streams here make that
 * wrong if it were: items
 * of every kind (message with annotations and logprobs, reasoning summary, function call, a web search kept whole),
 * elements changed by one byte, reordered, repeated, dropped, without an id or with another item's, ids shared by two
 * items, a late delta, annotation or second done item after the done one, a done item that disagrees with its deltas,
 * two terminal events, limits that cut texts, arguments, raw fields, parts or the whole result; a done text's logprobs
 * repeated by its done part (recognised there by their bytes), changed, nested deeper, or refused by the check; known
 * event types spelt with an escape.
 */
class ResponsesTerminalRepeatProperties
{
    private static final AggregationLimits[] LIMITS = {
        AggregationLimits.DEFAULT,
        AggregationLimits.builder().maxTextChars(20).maxArgumentChars(10).build(),
        AggregationLimits.builder().maxResultChars(60).build(),
        AggregationLimits.builder().maxRawBytes(48).maxRawFields(6).build(),
        AggregationLimits.builder().maxPartsPerChoice(3).build(),
        // A done item fits these nestings where the terminal response's copy of it, three levels deeper, does not.
        AggregationLimits.builder().maxNestingDepth(6).build(),
        AggregationLimits.builder().maxNestingDepth(8).build(),
    };
    /** Response members as lifecycle events send them: repeated, changed, named twice, or cut short by a bad usage. */
    private static final String[] RESPONSES = {
        "\"id\":\"resp_1\",\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}],\"status\":\"in_progress\",\"output\":[]",
        "\"id\":\"resp_1\",\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}],\"status\":\"in_progress\",\"output\":[]",
        "\"id\":\"resp_1\",\"model\":\"x\",\"tools\":[],\"status\":\"queued\",\"output\":[]",
        "\"id\":\"resp_1\",\"model\":\"m\",\"model\":\"x\",\"status\":\"in_progress\",\"output\":[]",
        "\"id\":\"resp_1\",\"model\":\"y\",\"usage\":\"bad\",\"status\":\"in_progress\"",
        "\"id\":\"resp_1\",\"model\":\"\",\"tools\":null,\"status\":\"in_progress\",\"output\":[]",
    };
    /** A delta's logprobs: none, a lone entry (kept from its check), several among other values, one the scan refuses. */
    private static final String[] LOGPROBS = {
        ",\"logprobs\":[]",
        ",\"logprobs\":[{\"token\":\"t\",\"logprob\":-0.5,\"bytes\":[116],\"top_logprobs\":[]}]",
        ",\"logprobs\":[null, {\"token\":\"\\u00e9\",\"logprob\":-1.25e-3}]",
        ",\"logprobs\":[{\"token\":\"a\",\"logprob\":-1},7,{\"token\":\"b\",\"token\":\"c\",\"logprob\":-2,\"logprob\":-3}]",
        ",\"logprobs\":[{\"token\":\"a\",\"logprob\":-1},{\"token\":\"x\",\"logprob\":123456789012345678901234567890}]",
    };
    /**
     * A done text's logprobs, which its done part and item repeat (or change by a byte): none, several entries, nested
     * deeper than a small nesting limit lets the part's copy be, other values among the entries, an escaped token, and
     * lists the check refuses (a trailing comma, a bare word).
     */
    private static final String[] DONE_LOGPROBS = {
        "[]",
        "[{\"token\":\"Hi\",\"logprob\":-0.5,\"bytes\":[72,105],\"top_logprobs\":[]},{\"token\":\" there\",\"logprob\":-1,\"bytes\":[32]," +
            "\"top_logprobs\":[]}]",
        "[{\"token\":\"Hi\",\"logprob\":-1,\"top_logprobs\":[{\"token\":\"x\",\"logprob\":-2,\"bytes\":[[[1]]]}]}]",
        "[{\"token\":\"a\",\"logprob\":-1},7,null,{\"token\":\"\\u00e9\",\"logprob\":-1.25e-3}]",
        "[{\"token\":\"a\",\"logprob\":-1},]",
        "[{\"token\":\"a\",\"logprob\":nope}]",
    };
    private static final String[] WORDS = {"Hi", " there", " \\u00e9", " \u00e9t\u00e9", "\\n", " \\\"q\\\"", " \uD83D\uDE42", " more"};

    @Property(tries = 300)
    void repeatedTerminalItemsFoldAsTheFullReaderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final byte[] stream = stream(r);
        final String shown = new String(stream, StandardCharsets.UTF_8);
        for (final AggregationLimits limits : LIMITS)
        {
            final long slices = r.nextBoolean() ? 0 : r.nextLong() | 1;
            final boolean direct = r.nextBoolean();
            final boolean strict = r.nextInt(4) == 0;
            final FastPathRun full = FastPathRun.of(Format.OPENAI_RESPONSES, stream, limits, strict, direct, slices, false);
            final FastPathRun fast = FastPathRun.of(Format.OPENAI_RESPONSES, stream, limits, strict, direct, slices, true);
            FastPathRun.assertSame(full, fast, limits + "\n" + shown);
        }
    }

    /**
     * The generator is not vacuous: most terminal elements do repeat their done item and are not read again, and the
     * checks recognise repeated values.
     */
    @Test
    void repeatedElementsAreTakenAsRepeats()
    {
        long repeats = 0;
        long recognised = 0;
        long parts = 0;
        long located = 0;
        for (int seed = 1; seed <= 80; seed++)
        {
            final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_RESPONSES).build();
            final byte[] bytes = stream(new Random(seed));
            a.feed(bytes, 0, bytes.length);
            a.end();
            final OpenAiResponsesDialect dialect = (OpenAiResponsesDialect)AggregatorInternals.dialect(a);
            repeats += dialect.repeatedFinals();
            recognised += dialect.recognisedRepeats();
            parts += dialect.repeatedParts();
            located += dialect.locatedElements();
        }
        assertTrue(repeats > 40, "repeated terminal items: " + repeats);
        assertTrue(parts > 5, "done items' parts taken as their done part's repeats: " + parts);
        assertTrue(recognised > 80, "values recognised by the check: " + recognised);
        // Elements that do not repeat their done item (changed, reordered, without one) are read as the check located them.
        assertTrue(located > 20, "terminal elements read as their check located them: " + located);
    }

    /** A done part's logprobs that repeat its done text's are recognised by their bytes; changed by a byte, they are not. */
    @Test
    void aDoneTextsLogprobsAreRecognisedInItsDonePart()
    {
        final String list = DONE_LOGPROBS[1];
        assertTrue(recognised(list, list) > recognised(list, list.replace("-1", "-3")));
    }

    private static long recognised(final String textLogprobs, final String partLogprobs)
    {
        final StringBuilder sse = new StringBuilder();
        final int[] sequence = {0};
        event(sse, sequence, "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_0\"," +
            "\"type\":\"message\",\"content\":[]}}");
        event(sse, sequence, "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_0\",\"output_index\":0,\"content_index\":0," +
            "\"delta\":\"Hi there\"}");
        event(sse, sequence, "{\"type\":\"response.output_text.done\",\"item_id\":\"msg_0\",\"output_index\":0,\"content_index\":0," +
            "\"text\":\"Hi there\",\"logprobs\":" + textLogprobs + "}");
        event(sse, sequence, "{\"type\":\"response.content_part.done\",\"item_id\":\"msg_0\",\"output_index\":0,\"content_index\":0," +
            "\"part\":{\"type\":\"output_text\",\"logprobs\":" + partLogprobs + ",\"text\":\"Hi there\"}}");
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_RESPONSES).build();
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return ((OpenAiResponsesDialect)AggregatorInternals.dialect(a)).recognisedRepeats();
    }

    static byte[] stream(final Random r)
    {
        final StringBuilder sse = new StringBuilder();
        final int[] sequence = {0};
        for (int k = 1 + r.nextInt(3); k > 0; k--)
        {
            event(sse, sequence, "{\"type\":\"" + (k == 1 ? "response.in_progress" : "response.created") + "\",\"response\":{" +
                RESPONSES[r.nextInt(3) == 0 ? r.nextInt(RESPONSES.length) : 0] + "}}");
        }
        final int count = 1 + r.nextInt(4);
        final List<String> finals = new ArrayList<>();
        final String[] ids = new String[count];
        for (int i = 0; i < count; i++)
        {
            final int kind = r.nextInt(4);
            final String id = (kind == 0 ? "msg_" : kind == 1 ? "rs_" : kind == 2 ? "fc_" : "ws_") +
                (r.nextInt(8) == 0 && i > 0 ? 0 : i);
            ids[i] = id;
            finals.add(item(r, sse, sequence, i, kind, id));
        }
        // Mischief after the done items: a late delta, annotation or second done item, touching an item again.
        for (int k = r.nextInt(3); k > 0; k--)
        {
            final int i = r.nextInt(count);
            switch (r.nextInt(3))
            {
                case 0:
                    event(sse, sequence, "{\"type\":\"response.output_text.delta\",\"item_id\":\"" + ids[i] + "\",\"output_index\":" + i +
                        ",\"content_index\":0,\"delta\":\"late\"}");
                    break;
                case 1:
                    event(sse, sequence, "{\"type\":\"response.output_text.annotation.added\",\"item_id\":\"" + ids[i] +
                        "\",\"output_index\":" + i + ",\"content_index\":0,\"annotation\":{\"type\":\"url_citation\",\"url\":\"u\"}}");
                    break;
                default:
                    event(sse, sequence, "{\"type\":\"response.output_item.done\",\"output_index\":" + i + ",\"item\":" +
                        finals.get(i).replace("completed", "incomplete") + "}");
            }
        }
        final List<String> output = new ArrayList<>(finals);
        switch (r.nextInt(8))
        {
            case 0:
                Collections.shuffle(output, r);
                break;
            case 1:
                output.add(output.get(r.nextInt(output.size())));
                break;
            case 2:
                output.remove(r.nextInt(output.size()));
                break;
            case 3:
            {
                // One byte of one element changed (inside a string: still JSON).
                final int i = r.nextInt(output.size());
                output.set(i, output.get(i).replaceFirst("\"id\":\"([a-z]+)_", "\"id\":\"$1x"));
                break;
            }
            case 4:
            {
                final int i = r.nextInt(output.size());
                output.set(i, output.get(i).replaceFirst("Hi", "Ho").replaceFirst("\"type\":\"message\",", "\"type\":\"message\", "));
                break;
            }
            case 5:
            {
                // Bytes after a repeated element that make the array wrong, or a bracket more.
                final int i = r.nextInt(output.size());
                output.set(i, output.get(i) + new String[] {"1", "}", " x", ",", "]"}[r.nextInt(5)]);
                break;
            }
            default:
                break;
        }
        final String terminal = new String[] {"response.completed", "response.incomplete", "response.failed"}[r.nextInt(6) / 4 * (1 + r.nextInt(2))];
        final String members = r.nextBoolean() ? "\"id\":\"resp_1\",\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"}]," :
            RESPONSES[r.nextInt(RESPONSES.length)].replace(",\"output\":[]", "") + ",";
        final String completed = "{\"type\":\"" + terminal + "\",\"response\":{" + members + "\"status\":\"completed\",\"output\":[" +
            String.join(r.nextBoolean() ? "," : " , ", output) + "],\"usage\":{\"input_tokens\":3,\"output_tokens\":5}}}";
        event(sse, sequence, completed);
        if (r.nextInt(6) == 0)
        {
            event(sse, sequence, completed);
        }
        String out = sse.toString();
        if (r.nextInt(6) == 0)
        {
            // Known types spelt with an escape: not their names byte for byte, so decoded before they are known.
            out = out.replace("\"response.output_item.added\"", "\"response.output_item.add\\u0065d\"")
                .replace("\"response.output_text.done\"", "\"response.output_text.don\\u0065\"");
        }
        return out.getBytes(StandardCharsets.UTF_8);
    }

    /** Streams one item and its done event; returns the done item's JSON. */
    private static String item(final Random r, final StringBuilder sse, final int[] sequence, final int index, final int kind, final String id)
    {
        final String at = ",\"output_index\":" + index;
        final String text = text(r);
        final String finalText = r.nextInt(10) == 0 ? text + "x" : r.nextInt(12) == 0 ? "" : text;
        final String done;
        switch (kind)
        {
            case 0:
            {
                event(sse, sequence, "{\"type\":\"response.output_item.added\"" + at + ",\"item\":{\"id\":\"" + id +
                    "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}");
                deltas(r, sse, sequence, "response.output_text.delta", id, at + ",\"content_index\":0", text,
                    LOGPROBS[r.nextInt(LOGPROBS.length)]);
                final String annotations = r.nextBoolean() ? "[]" : "[{\"type\":\"url_citation\",\"url\":\"https://a\",\"title\":\"A\"}]";
                String partLogprobs = "[]";
                if (r.nextInt(3) == 0)
                {
                    // A done text with logprobs, which the done part repeats (its check need not read them again), or not quite.
                    final String list = DONE_LOGPROBS[r.nextInt(DONE_LOGPROBS.length)];
                    event(sse, sequence, "{\"type\":\"response.output_text.done\",\"item_id\":\"" + id + "\"" + at +
                        ",\"content_index\":0,\"text\":\"" + finalText + "\",\"logprobs\":" + list + "}");
                    partLogprobs = r.nextInt(4) > 0 ? list : r.nextBoolean() ? list.replace("-1", "-3") : "[" + list + "]";
                }
                final String part = "{\"type\":\"output_text\",\"annotations\":" + annotations + ",\"logprobs\":" + partLogprobs +
                    ",\"text\":\"" + finalText + "\"}";
                if (r.nextBoolean())
                {
                    event(sse, sequence, "{\"type\":\"response.content_part.done\",\"item_id\":\"" + id + "\"" + at +
                        ",\"content_index\":0,\"part\":" + part + "}");
                }
                done = "{\"id\":\"" + id + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[" + part +
                    (r.nextInt(5) == 0 ? "," + part.replace("output_text", "refusal") : "") + "],\"role\":\"assistant\"}";
                break;
            }
            case 1:
                event(sse, sequence, "{\"type\":\"response.output_item.added\"" + at + ",\"item\":{\"id\":\"" + id +
                    "\",\"type\":\"reasoning\",\"summary\":[]}}");
                deltas(r, sse, sequence, "response.reasoning_summary_text.delta", id, at + ",\"summary_index\":0", text, "");
                done = "{\"id\":\"" + id + "\",\"type\":\"reasoning\",\"encrypted_content\":\"gAAAA" + text.length() +
                    "\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"" + finalText + "\"}]}";
                break;
            case 2:
            {
                event(sse, sequence, "{\"type\":\"response.output_item.added\"" + at + ",\"item\":{\"id\":\"" + id +
                    "\",\"type\":\"function_call\",\"call_id\":\"call_" + index + "\",\"name\":\"f\",\"arguments\":\"\"}}");
                final String args = r.nextBoolean() ? "{\\\"a\\\":1}" : "{\\\"city\\\":\\\"Paris and more\\\"}";
                deltas(r, sse, sequence, "response.function_call_arguments.delta", id, at, args, "");
                done = "{\"id\":\"" + id + "\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"" +
                    (r.nextInt(10) == 0 ? "{}" : args) + "\",\"call_id\":\"call_" + index + "\",\"name\":\"f\"}";
                break;
            }
            default:
                event(sse, sequence, "{\"type\":\"response.output_item.added\"" + at + ",\"item\":{\"id\":\"" + id +
                    "\",\"type\":\"web_search_call\",\"status\":\"in_progress\"}}");
                done = "{\"id\":" + (r.nextInt(8) == 0 ? "\"\"" : "\"" + id + "\"") +
                    ",\"type\":\"web_search_call\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":\"q" + index + "\"}}";
        }
        event(sse, sequence, "{\"type\":\"response.output_item.done\"" + at + ",\"item\":" + done + "}");
        return done;
    }

    private static void deltas(final Random r, final StringBuilder sse, final int[] sequence, final String type, final String id,
        final String at, final String text, final String tail)
    {
        // Cut only between whole escapes: at a space or at the end.
        final String[] pieces = text.split("(?= )");
        for (final String piece : pieces)
        {
            event(sse, sequence, "{\"type\":\"" + type + "\",\"item_id\":\"" + id + "\"" + at + ",\"delta\":\"" + piece + "\"" + tail +
                ",\"obfuscation\":\"ab\"}");
        }
    }

    private static String text(final Random r)
    {
        final StringBuilder t = new StringBuilder();
        for (int k = 1 + r.nextInt(6); k > 0; k--)
        {
            t.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return t.toString();
    }

    private static void event(final StringBuilder sse, final int[] sequence, final String data)
    {
        // The sequence number as the last member (as LM Studio sends it), so the objects before it stay byte for byte.
        sse.append("data: ").append(data, 0, data.length() - 1).append(",\"sequence_number\":").append(sequence[0]++).append("}\n\n");
    }
}
