package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * OpenAI Responses streams: response.created and in_progress, then message, reasoning (summary, sometimes with long
 * opaque encrypted content) and function_call output items, each with its added / delta (text cut anywhere, a
 * surrogate pair possibly split between deltas) / done events, web search calls (their searching events, a done item
 * with the action, its sources and fields no version knows), url citations on messages (annotation.added events, and
 * again in the done part), logprob entries on some message deltas, then response.completed with the usage and, half
 * the time, every output item again.
 * Sequence numbers throughout; the event line sometimes left out. A web search is a server call in the model (its
 * action as arguments); what is kept raw (encrypted content, the search's other fields, annotations) leaves the
 * message model unchanged and reaches the written JSON, which the properties compare.
 */
final class OpenAiResponsesStreams implements StreamGenerator
{
    /**
     * One output item: kind 0 message, 1 reasoning, 2 function_call (text is then its argument value), 3 a web search
     * call (text is its query), 4 a message with url citations.
     */
    record Item(int kind, String text, String name)
    {
    }

    @Override
    public Format format()
    {
        return Format.OPENAI_RESPONSES;
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        final Arbitrary<Item> item = Combinators.combine(Arbitraries.integers().between(0, 4), OpenAiChatStreams.text(40),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)).as(Item::new);
        return Combinators.combine(item.list().ofMaxSize(5), Arbitraries.longs()).as(this::build);
    }

    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        return Arbitraries.of(
            "event: response.output_text.delta\ndata: {]\n\n",
            "data: {\"type\":\"response.output_text.delta\",,}\n\n",
            "data: not json\n\n",
            "data: [1,2,3]\n\n",
            "data: {\"type\":\"response.in_progress\"}{}\n\n",
            "data: \"text\"\n\n").map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private Generated build(final List<Item> items, final long seed)
    {
        final Random random = new Random(seed);
        final EventLog log = new EventLog();
        final Sequence seq = new Sequence(log, random);
        final String response = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1700000000,\"status\":\"in_progress\"," +
            "\"model\":\"gpt-x\",\"output\":[],\"usage\":null}";
        seq.add("response.created", "\"response\":" + response);
        seq.add("response.in_progress", "\"response\":" + response);
        int calls = 0;
        final StringBuilder outputItems = new StringBuilder();
        for (int i = 0; i < items.size(); i++)
        {
            final Item item = items.get(i);
            // The one choice comes with the first output item (or with response.completed).
            final Message.Builder.ChoiceBuilder choice = log.message.choice(0);
            final String at = "\"output_index\":" + i;
            final String id = "\"id\":\"item_" + i + "\"";
            if (item.kind() == 2)
            {
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.id = "call_" + i;
                call.name = item.name();
                final String head = "{\"type\":\"function_call\"," + id + ",\"call_id\":\"" + call.id + "\",\"name\":\"" + call.name + "\",";
                seq.add("response.output_item.added", at + ",\"item\":" + head + "\"arguments\":\"\",\"status\":\"in_progress\"}");
                final String arguments = "{\"q\":" + OpenAiChatStreams.quote(item.text(), random) + "}";
                for (final String piece : EventLog.pieces(arguments, random, false))
                {
                    call.arguments.append(piece);
                    seq.add("response.function_call_arguments.delta", "\"item_id\":\"item_" + i + "\"," + at + ",\"delta\":" +
                        OpenAiChatStreams.quote(piece, random));
                }
                final String whole = OpenAiChatStreams.quote(arguments, random);
                seq.add("response.function_call_arguments.done", "\"item_id\":\"item_" + i + "\"," + at + ",\"arguments\":" + whole);
                final String done = head + "\"arguments\":" + whole + ",\"status\":\"completed\"}";
                seq.add("response.output_item.done", at + ",\"item\":" + done);
                outputItems.append(outputItems.length() > 0 ? "," : "").append(done);
                continue;
            }
            if (item.kind() == 3)
            {
                // A hosted call the server runs: a tool call by its item id, its action as the arguments once done.
                final Message.Builder.CallBuilder call = choice.call(calls++);
                call.id = "item_" + i;
                call.name = "web_search";
                final String where = "\"item_id\":\"item_" + i + "\"," + at;
                seq.add("response.output_item.added", at + ",\"item\":{\"type\":\"web_search_call\"," + id + ",\"status\":\"in_progress\"}");
                seq.add("response.web_search_call.in_progress", where);
                seq.add("response.web_search_call.searching", where);
                seq.add("response.web_search_call.completed", where);
                final String action = "{\"type\":\"search\",\"query\":" + OpenAiChatStreams.quote(item.text(), random) +
                    ",\"sources\":[{\"type\":\"url\",\"url\":\"https://example.com/" + i + "\"}]}";
                final String done = "{\"type\":\"web_search_call\"," + id + ",\"status\":\"completed\",\"action\":" + action +
                    (random.nextBoolean() ? ",\"extra\":{\"deep\":[[-0.5e+3,true,null]],\"blob\":\"" + opaque(random) + "\"}" : "") + "}";
                call.arguments.append(action);
                seq.add("response.output_item.done", at + ",\"item\":" + done);
                outputItems.append(outputItems.length() > 0 ? "," : "").append(done);
                continue;
            }
            final boolean reasoning = item.kind() == 1;
            final boolean cited = item.kind() == 4;
            final String encrypted = reasoning && random.nextBoolean() ? ",\"encrypted_content\":\"" + opaque(random) + "\"" : "";
            final String annotations = cited ? annotation(item.text(), random) : "";
            final String whole = OpenAiChatStreams.quote(item.text(), random);
            final String part = reasoning ? "{\"type\":\"summary_text\",\"text\":" : "{\"type\":\"output_text\",\"annotations\":[],\"text\":";
            final String where = "\"item_id\":\"item_" + i + "\"," + at + (reasoning ? ",\"summary_index\":0" : ",\"content_index\":0");
            final String prefix = reasoning ? "response.reasoning_summary_" : "response.";
            seq.add("response.output_item.added", at + ",\"item\":" + (reasoning ? "{\"type\":\"reasoning\"," + id + ",\"summary\":[]" +
                encrypted + "}" : "{\"type\":\"message\"," + id + ",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}"));
            seq.add(prefix + (reasoning ? "part.added" : "content_part.added"), where + ",\"part\":" + part + "\"\"}");
            for (final String piece : EventLog.pieces(item.text(), random, false))
            {
                (reasoning ? choice.reasoning : choice.text).append(piece);
                seq.add(prefix + (reasoning ? "text.delta" : "output_text.delta"), where + ",\"delta\":" + OpenAiChatStreams.quote(piece, random) +
                    (!reasoning && random.nextInt(3) == 0 ? ",\"logprobs\":[{\"token\":" + OpenAiChatStreams.quote(piece, random) +
                        ",\"logprob\":-" + random.nextInt(20) + "." + random.nextInt(1000) + "e-1,\"bytes\":[" + random.nextInt(256) +
                        "],\"top_logprobs\":[]}]" : ""));
            }
            if (cited)
            {
                seq.add("response.output_text.annotation.added", where + ",\"annotation_index\":0,\"annotation\":" + annotations);
            }
            seq.add(prefix + (reasoning ? "text.done" : "output_text.done"), where + ",\"text\":" + whole);
            final String donePart = cited ? "{\"type\":\"output_text\",\"annotations\":[" + annotations + "],\"text\":" + whole + "}" :
                part + whole + "}";
            seq.add(prefix + (reasoning ? "part.done" : "content_part.done"), where + ",\"part\":" + donePart);
            final String done = reasoning ? "{\"type\":\"reasoning\"," + id + ",\"summary\":[" + donePart + "]" + encrypted + "}" :
                "{\"type\":\"message\"," + id + ",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[" + donePart + "]}";
            seq.add("response.output_item.done", at + ",\"item\":" + done);
            outputItems.append(outputItems.length() > 0 ? "," : "").append(done);
        }
        final long input = random.nextInt(5000);
        final long output = random.nextInt(5000);
        log.message.choice(0).finishReason = "completed";
        log.message.usage.put("input_tokens", Long.toString(input));
        log.message.usage.put("output_tokens", Long.toString(output));
        log.message.usage.put("total_tokens", Long.toString(input + output));
        seq.add("response.completed", "\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1700000000," +
            "\"status\":\"completed\",\"model\":\"gpt-x\",\"output\":[" + (random.nextBoolean() ? outputItems : "") +
            "],\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" +
            output + ",\"total_tokens\":" + (input + output) + "}}");
        log.terminal();
        return log.build(this);
    }

    /** A url citation of a message's text. */
    private static String annotation(final String text, final Random random)
    {
        return "{\"type\":\"url_citation\",\"start_index\":0,\"end_index\":" + text.length() + ",\"url\":\"https://example.com/a\"," +
            "\"title\":" + OpenAiChatStreams.quote(text, random) + "}";
    }

    /** Base64-like opaque content, from a few bytes to past the length from which a kept string stays undecoded. */
    private static String opaque(final Random random)
    {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        final StringBuilder sb = new StringBuilder();
        for (int n = random.nextBoolean() ? random.nextInt(40) : 200 + random.nextInt(600); n > 0; n--)
        {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.append('=').toString();
    }

    /** Writes events with their type and a running sequence number. */
    private static final class Sequence
    {
        private final EventLog log;
        private final Random random;
        private int next;

        Sequence(final EventLog log, final Random random)
        {
            this.log = log;
            this.random = random;
        }

        void add(final String type, final String fields)
        {
            log.add((random.nextInt(5) == 0 ? "" : "event: " + type + "\n") + "data: {\"type\":\"" + type + "\",\"sequence_number\":" +
                next++ + "," + fields + "}\n\n");
        }
    }
}
