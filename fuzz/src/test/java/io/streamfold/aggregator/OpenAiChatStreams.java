package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * OpenAI chat completion chunk streams: several choices interleaved, content and reasoning split at any
 * char (surrogate pairs included) and written raw or as {@code \\u} escapes, tool calls whose arguments
 * come in pieces, token ids in pieces (or one per chunk in the delta, Together's shape), logprob entries, usage on the last chunk, on the last content chunk or as
 * {@code null} on every chunk and then for real, keep-alive comments, then {@code data: [DONE]}.
 */
final class OpenAiChatStreams implements StreamGenerator
{
    private static final String[] FINISH = { "stop", "length", "tool_calls", "content_filter" };

    record CallPlan(String id, String name, String arguments)
    {
    }

    record ChoicePlan(String text, String reasoning, List<CallPlan> calls, String finish, List<Long> tokenIds)
    {
    }

    @Override
    public Format format()
    {
        return Format.OPENAI_CHAT;
    }

    /** Any Unicode text: ASCII with JSON's specials, other BMP characters, and characters outside the BMP. */
    static Arbitrary<String> text(final int maxCodePoints)
    {
        final Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of((int)'"', (int)'\\', (int)'\n', (int)'\t', (int)'/', 0x01, 0x1F, 0x7F)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0xA0, 0xD7FF)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(maxCodePoints).map(cps ->
        {
            final StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static Arbitrary<ChoicePlan> choicePlan()
    {
        final Arbitrary<CallPlan> call = Combinators.combine(
            Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).map(s -> "call_" + s),
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
            text(30)).as(CallPlan::new);
        return Combinators.combine(
            text(60),
            Arbitraries.oneOf(Arbitraries.just(""), text(30)),
            call.list().ofMaxSize(2),
            Arbitraries.of(FINISH),
            Arbitraries.longs().between(0, 200_000).list().ofMaxSize(8)).as(ChoicePlan::new);
    }

    @Override
    public Arbitrary<Generated> streams()
    {
        return Combinators.combine(
            choicePlan().list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs()).as(this::build);
    }

    /** Complete after [DONE] (the last event) or once every choice seen has finished, which a later choice undoes. */
    @Override
    public boolean completeAfter(final Generated g, final int kept)
    {
        return kept == g.events().size() || StreamGenerator.allFinished(g.prefixes().get(kept));
    }

    @Override
    public Arbitrary<byte[]> garbageEvent()
    {
        return Arbitraries.of(
            "data: {]\n\n",
            "data: {\"object\":\"chat.completion.chunk\",,}\n\n",
            "data: not json\n\n",
            "data: [1,2,3]\n\n",
            "data: {\"choices\":[{\"index\":0}]}{}\n\n",
            "data: \"text\"\n\n").map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private Generated build(final List<ChoicePlan> plans, final int usagePlacement, final long seed)
    {
        final Random random = new Random(seed);
        final Message.Builder expected = new Message.Builder();
        final List<List<String>> perChoice = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++)
        {
            perChoice.add(choiceDeltas(i, plans.get(i), random, expected.choice(i)));
        }
        // Interleave the choices' chunks, keeping each choice's own order.
        final List<String> choiceJson = new ArrayList<>();
        final int[] next = new int[perChoice.size()];
        int left = 0;
        for (final List<String> l : perChoice)
        {
            left += l.size();
        }
        while (left > 0)
        {
            final int c = random.nextInt(perChoice.size());
            if (next[c] < perChoice.get(c).size())
            {
                choiceJson.add(perChoice.get(c).get(next[c]++));
                left--;
            }
        }
        final long prompt = random.nextInt(5000);
        final long completion = random.nextInt(5000);
        final String usage = "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion +
            ",\"total_tokens\":" + (prompt + completion) + "}";
        expected.usage.put("prompt_tokens", Long.toString(prompt));
        expected.usage.put("completion_tokens", Long.toString(completion));
        expected.usage.put("total_tokens", Long.toString(prompt + completion));

        final List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < choiceJson.size(); i++)
        {
            final boolean last = i == choiceJson.size() - 1;
            String extra = "";
            if (usagePlacement == 1 && last)
            {
                extra = ",\"usage\":" + usage;
            }
            else if (usagePlacement == 2)
            {
                extra = ",\"usage\":null";
            }
            events.add(event("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000," +
                "\"model\":\"gpt-x\",\"choices\":[" + choiceJson.get(i) + "]" + extra + "}"));
            if (random.nextInt(8) == 0)
            {
                events.add(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        if (usagePlacement != 1)
        {
            events.add(event("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000," +
                "\"model\":\"gpt-x\",\"choices\":[],\"usage\":" + usage + "}"));
        }
        events.add(event("[DONE]"));
        // The message after each prefix, by the tree-model oracle; complete once [DONE] came or every choice seen finished.
        final List<Message> prefixes = new ArrayList<>();
        int terminal = -1;
        for (int k = 0; k <= events.size(); k++)
        {
            final OpenAiChatOracle oracle = OpenAiChatOracle.fold(StreamProperties.concat(events.subList(0, k)));
            final Message m = oracle.message.build();
            prefixes.add(m);
            if (terminal < 0 && (oracle.done || StreamGenerator.allFinished(m)))
            {
                terminal = k;
            }
        }
        if (!prefixes.get(prefixes.size() - 1).equals(expected.build()))
        {
            throw new IllegalStateException("the oracle disagrees with the generator");
        }
        return new Generated(this, events, prefixes, terminal);
    }

    private static byte[] event(final String data)
    {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One JSON choice object per chunk for this choice, in order; records what they mean in {@code expected}. */
    private static List<String> choiceDeltas(final int index, final ChoicePlan plan, final Random random,
        final Message.Builder.ChoiceBuilder expected)
    {
        final List<String> out = new ArrayList<>();
        final String head = "{\"index\":" + index + ",\"delta\":{";
        out.add(head + "\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}");
        for (final String piece : split(plan.reasoning(), random))
        {
            out.add(head + "\"content\":null,\"reasoning_content\":" + quote(piece, random) + "},\"finish_reason\":null}");
        }
        expected.reasoning.append(plan.reasoning());
        final List<Long> ids = new ArrayList<>(plan.tokenIds());
        // Per choice, the text chunks as OpenAI sends them, as Together does (a token id in the delta, the text
        // again at choice level), or with one logprob entry each.
        final int style = random.nextInt(3);
        for (final String piece : split(plan.text(), random))
        {
            if (style == 1)
            {
                final StringBuilder chunk = new StringBuilder("{\"index\":" + index + ",\"text\":").append(quote(piece, random))
                    .append(",\"logprobs\":null,\"finish_reason\":null,\"seed\":null,\"delta\":{");
                if (!ids.isEmpty())
                {
                    chunk.append("\"token_id\":").append(ids.get(0)).append(',');
                    expected.tokenIds.add(ids.remove(0));
                }
                out.add(chunk.append("\"role\":\"assistant\",\"content\":").append(quote(piece, random)).append("}}").toString());
                continue;
            }
            final StringBuilder chunk = new StringBuilder(head).append("\"content\":").append(quote(piece, random)).append('}');
            if (style == 2)
            {
                chunk.append(",\"logprobs\":{\"content\":[{\"token\":").append(quote(piece, random)).append(",\"logprob\":-")
                    .append(random.nextInt(100_000) / 1e4).append(",\"bytes\":[").append(random.nextInt(256))
                    .append("],\"top_logprobs\":[]}],\"refusal\":null}");
            }
            else if (!ids.isEmpty() && random.nextBoolean())
            {
                final int n = 1 + random.nextInt(ids.size());
                chunk.append(",\"token_ids\":").append(ids.subList(0, n));
                expected.tokenIds.addAll(ids.subList(0, n));
                ids.subList(0, n).clear();
            }
            out.add(chunk.append(",\"finish_reason\":null}").toString());
        }
        expected.text.append(plan.text());
        for (int k = 0; k < plan.calls().size(); k++)
        {
            final CallPlan call = plan.calls().get(k);
            out.add(head + "\"tool_calls\":[{\"index\":" + k + ",\"id\":\"" + call.id() + "\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"" + call.name() + "\",\"arguments\":\"\"}}]},\"finish_reason\":null}");
            for (final String piece : split(call.arguments(), random))
            {
                out.add(head + "\"tool_calls\":[{\"index\":" + k + ",\"function\":{\"arguments\":" + quote(piece, random) +
                    "}}]},\"finish_reason\":null}");
            }
            final Message.Builder.CallBuilder cb = expected.call(k);
            cb.id = call.id();
            cb.name = call.name();
            cb.arguments.append(call.arguments());
        }
        String finish = head + "},\"finish_reason\":\"" + plan.finish() + "\"";
        if (!ids.isEmpty())
        {
            finish += ",\"token_ids\":" + ids;
            expected.tokenIds.addAll(ids);
        }
        out.add(finish + "}");
        expected.finishReason = plan.finish();
        return out;
    }

    /** Splits at random char positions: pieces may end between the two halves of a surrogate pair. */
    static List<String> split(final String s, final Random random)
    {
        final List<String> pieces = new ArrayList<>();
        int from = 0;
        while (from < s.length())
        {
            final int to = Math.min(s.length(), from + 1 + random.nextInt(8));
            pieces.add(s.substring(from, to));
            from = to;
        }
        return pieces;
    }

    /**
     * A JSON string literal: each piece written either with raw UTF-8 or all non-ASCII as {@code \\u}
     * escapes; a lone surrogate (half a pair, split off by {@link #split}) can only be an escape.
     */
    static String quote(final String s, final Random random)
    {
        final boolean ascii = random.nextBoolean();
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            final boolean pairHere = Character.isHighSurrogate(c) && i + 1 < s.length() &&
                Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c == '\n')
            {
                sb.append("\\n");
            }
            else if (c < 0x20 || (c >= 0x7F && ascii) || (Character.isSurrogate(c) && !pairHere && !isSecondHalf(s, i)))
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

    private static boolean isSecondHalf(final String s, final int i)
    {
        return Character.isLowSurrogate(s.charAt(i)) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
