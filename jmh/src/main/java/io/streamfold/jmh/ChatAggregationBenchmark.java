package io.streamfold.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Bytes of one OpenAI chat stream to its final aggregate: streamfold beside the official openai-java
 * accumulator and a hand-written Jackson-tree aggregator (readTree per chunk), in the same run.
 * Streams are generated in memory: {@code text} is one choice of short content deltas, {@code tools} is
 * four parallel tool calls whose arguments arrive in small fragments. {@code chunks} is the number of
 * {@code data:} events; per-chunk cost must not grow with it.
 *
 * <p>Report per stream: MB/s = ops/s × {@link #bytes}, chunks/s = ops/s × chunks, B/chunk =
 * {@code gc.alloc.rate.norm} / chunks (run with {@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class ChatAggregationBenchmark
{
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /**
     * text: OpenAI content chunks; tools: argument fragments of four calls; together: the seed's provider and
     * shape (a {@code token_id} in every delta, the token again as the choice's {@code text}); logprobs: OpenAI
     * content chunks with one logprob entry each ({@code logprobs: true}).
     */
    @Param({"text", "tools", "together", "logprobs"})
    public String stream;

    @Param({"1000", "100000"})
    public int chunks;

    byte[] bytes;
    private StreamAggregator aggregator;
    private final ChatText chatText = new ChatText();
    private final LongSupplier pairedStreamfold = () -> streamfold().choices().size();
    private final LongSupplier pairedSdk = () -> openAiJava().choices().size();
    private final ObjectMapper treeMapper = new ObjectMapper();
    private final com.fasterxml.jackson.databind.json.JsonMapper sdkMapper = ObjectMappers.jsonMapper();

    @Setup(Level.Trial)
    public void setUp()
    {
        bytes = "tools".equals(stream) ? ChatStreams.toolStream(chunks) :
            "together".equals(stream) ? ChatStreams.togetherStream(chunks) :
            "logprobs".equals(stream) ? ChatStreams.logprobsStream(chunks) : ChatStreams.textStream(chunks);
        aggregator = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        System.out.println("\n[stream " + stream + ", " + chunks + " chunks: " + bytes.length + " bytes, " +
            (bytes.length / chunks) + " B/chunk on the wire]");
        // Every contender must fold the stream to the same text before its speed means anything.
        final String ours = streamfold().toNormalizedJson();
        if (aggregator.result().outcome() != Outcome.COMPLETE || !aggregator.result().errors().isEmpty())
        {
            throw new IllegalStateException("streamfold did not complete: " + aggregator.result().errors());
        }
        final ChatCompletion sdk = openAiJava();
        final TreeResult tree = jacksonTree();
        if (!"tools".equals(stream))
        {
            final String text = aggregator.result().choice(0).joined(io.streamfold.aggregator.model.Part.Kind.TEXT);
            check(text.equals(sdk.choices().get(0).message().content().orElse("")), "openai-java text differs");
            check(text.equals(tree.content.get(0).toString()), "tree text differs");
        }
        else
        {
            final String args = aggregator.result().choice(0).toolCalls().get(3).text().toString();
            check(args.equals(sdk.choices().get(0).message().toolCalls().orElseThrow().get(3).asFunction().function().arguments()),
                "openai-java arguments differ");
            check(args.equals(tree.arguments.get(3).toString()), "tree arguments differ");
        }
        check(ours.length() > 0, "empty");
    }

    private static void check(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalStateException(message);
        }
    }

    /** streamfold: the pooled aggregator is reset and fed the stream in network-sized slices. */
    @Benchmark
    public Aggregate streamfold()
    {
        CorpusAggregationBenchmark.run(aggregator, bytes);
        return aggregator.result();
    }

    /**
     * streamfold on this stream, openai-java on the same bytes (as {@link #openAiJava}) and streamfold on the 1,000-chunk
     * text stream, timed apart in every invocation (see {@link PairedTimes}): the Together and logprobs shares of the
     * text rate (targets: at least 60 %) and the SDK ratio, read with the host's drift cancelled.
     */
    @Benchmark
    public long paired(final PairedTimes times)
    {
        return times.timeWithChatText(pairedStreamfold, bytes.length, pairedSdk, chatText);
    }

    /** The official SDK: each payload parsed to a ChatCompletionChunk, folded by its ChatCompletionAccumulator. */
    @Benchmark
    public ChatCompletion openAiJava() 
    {
        final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        final byte[] b = bytes;
        int line = 0;
        while (line < b.length)
        {
            final int end = lineEnd(b, line);
            if (startsWith(b, line, end, DATA_PREFIX))
            {
                final int start = line + DATA_PREFIX.length;
                if (!startsWith(b, start, end, DONE))
                {
                    try
                    {
                        accumulator.accumulate(sdkMapper.readValue(b, start, end - start, ChatCompletionChunk.class));
                    }
                    catch (final IOException e)
                    {
                        throw new IllegalStateException(e);
                    }
                }
            }
            line = end + 1;
        }
        return accumulator.chatCompletion();
    }

    /** What most gateways do today: a JsonNode tree per chunk, content and arguments appended to builders. */
    @Benchmark
    public TreeResult jacksonTree()
    {
        final TreeResult result = new TreeResult();
        final byte[] b = bytes;
        int line = 0;
        while (line < b.length)
        {
            final int end = lineEnd(b, line);
            if (startsWith(b, line, end, DATA_PREFIX))
            {
                final int start = line + DATA_PREFIX.length;
                if (!startsWith(b, start, end, DONE))
                {
                    try
                    {
                        result.add(treeMapper.readTree(b, start, end - start));
                    }
                    catch (final IOException e)
                    {
                        throw new IllegalStateException(e);
                    }
                }
            }
            line = end + 1;
        }
        return result;
    }

    private static int lineEnd(final byte[] b, final int from)
    {
        for (int i = from; i < b.length; i++)
        {
            if (b[i] == '\n')
            {
                return i;
            }
        }
        return b.length;
    }

    private static boolean startsWith(final byte[] b, final int from, final int end, final byte[] prefix)
    {
        if (end - from < prefix.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (b[from + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /** The tree baseline's fold: per choice content, per tool-call index id/name/arguments, finish reason, usage. */
    public static final class TreeResult
    {
        final List<StringBuilder> content = new ArrayList<>();
        final List<StringBuilder> arguments = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        String id;
        String model;
        String finishReason;
        JsonNode usage;

        void add(final JsonNode chunk)
        {
            if (id == null)
            {
                id = chunk.path("id").asText();
                model = chunk.path("model").asText();
            }
            final JsonNode u = chunk.get("usage");
            if (u != null && !u.isNull())
            {
                usage = u;
            }
            for (final JsonNode choice : chunk.path("choices"))
            {
                final int index = choice.path("index").asInt();
                while (content.size() <= index)
                {
                    content.add(new StringBuilder());
                }
                final JsonNode delta = choice.path("delta");
                final JsonNode text = delta.get("content");
                if (text != null && text.isTextual())
                {
                    content.get(index).append(text.textValue());
                }
                for (final JsonNode call : delta.path("tool_calls"))
                {
                    final int k = call.path("index").asInt();
                    while (arguments.size() <= k)
                    {
                        arguments.add(new StringBuilder());
                        ids.add(null);
                        names.add(null);
                    }
                    if (call.hasNonNull("id"))
                    {
                        ids.set(k, call.get("id").textValue());
                    }
                    final JsonNode function = call.path("function");
                    if (function.hasNonNull("name"))
                    {
                        names.set(k, function.get("name").textValue());
                    }
                    if (function.hasNonNull("arguments"))
                    {
                        arguments.get(k).append(function.get("arguments").textValue());
                    }
                }
                final JsonNode finish = choice.get("finish_reason");
                if (finish != null && finish.isTextual())
                {
                    finishReason = finish.textValue();
                }
            }
        }
    }

    /**
     * The reference the ratio targets are set against: the text stream of 1,000 chunks, fed as {@link #streamfold}
     * feeds it, through an aggregator of its own (the paired benchmarks fold it beside their own stream).
     */
    static final class ChatText
    {
        final byte[] bytes = ChatStreams.textStream(1000);
        private final StreamAggregator aggregator = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();

        Aggregate fold()
        {
            CorpusAggregationBenchmark.run(aggregator, bytes);
            return aggregator.result();
        }
    }

    /** Realistic OpenAI chat.completion.chunk streams, generated deterministically. */
    static final class ChatStreams
    {
        private static final String[] WORDS = {
            " the", " quick", " brown", " fox", " jumps", " over", " lazy", " dog", ".", "\\n", " Gateways", " fold",
            " streamed", " tokens", " into", " messages", ",", " café", " naïve", " 東京", " 😀", " \\\"quoted\\\"", " and",
            " a", " of", " to", " in", " is", " that", " it"};
        private static final String HEAD = "data: {\"id\":\"chatcmpl-BzQ7yKp3Xw8aLm2nR4tV6uS9oE1\",\"object\":\"chat.completion.chunk\"," +
            "\"created\":1754385721,\"model\":\"gpt-4o-2024-08-06\",\"service_tier\":\"default\"," +
            "\"system_fingerprint\":\"fp_07871e2ad8\",\"choices\":[";
        private static final String USAGE = "{\"prompt_tokens\":1187,\"completion_tokens\":%d,\"total_tokens\":%d," +
            "\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},\"completion_tokens_details\":" +
            "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";

        static byte[] textStream(final int chunks)
        {
            final Random random = new Random(42);
            final StringBuilder sse = new StringBuilder(chunks * 260);
            chunk(sse, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null");
            for (int i = 0; i < chunks - 3; i++)
            {
                chunk(sse, "{\"content\":\"" + WORDS[random.nextInt(WORDS.length)] + "\"}", "null");
            }
            chunk(sse, "{}", "\"stop\"");
            usage(sse, chunks);
            return sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Together's chunks as recorded (shared/corpus/openai-chat/together-deepseek-r1-token-ids-think-tags.sse). */
        static byte[] togetherStream(final int chunks)
        {
            final Random random = new Random(42);
            final StringBuilder sse = new StringBuilder(chunks * 300);
            for (int i = 0; i < chunks - 3; i++)
            {
                final String word = WORDS[random.nextInt(WORDS.length)];
                sse.append("data: {\"id\":\"oV1nHvx-28Eivz-9c4b16f37c27e605\",\"object\":\"chat.completion.chunk\",")
                    .append("\"created\":1769546683,\"choices\":[{\"index\":0,\"text\":\"").append(word)
                    .append("\",\"logprobs\":null,\"finish_reason\":null,\"seed\":null,\"delta\":{\"token_id\":")
                    .append(random.nextInt(128_000)).append(",\"role\":\"assistant\",\"content\":\"").append(word)
                    .append("\"}}],\"model\":\"deepseek-ai/DeepSeek-R1\",\"usage\":null}\n\n");
            }
            sse.append("data: {\"id\":\"oV1nHvx-28Eivz-9c4b16f37c27e605\",\"object\":\"chat.completion.chunk\",")
                .append("\"created\":1769546683,\"choices\":[{\"index\":0,\"text\":\"\",\"logprobs\":null,")
                .append("\"finish_reason\":\"stop\",\"seed\":1234,\"delta\":{\"token_id\":1,\"role\":\"assistant\",")
                .append("\"content\":\"\"}}],\"model\":\"deepseek-ai/DeepSeek-R1\",\"usage\":null}\n\n");
            // Together sends usage on the finish chunk, which openai-java's accumulator refuses (see shared/seed):
            // here in a chunk of its own, so that the SDK can be measured on the same stream.
            sse.append("data: {\"id\":\"oV1nHvx-28Eivz-9c4b16f37c27e605\",\"object\":\"chat.completion.chunk\",")
                .append("\"created\":1769546683,\"choices\":[],\"model\":\"deepseek-ai/DeepSeek-R1\",\"usage\":{\"prompt_tokens\":12,")
                .append("\"completion_tokens\":").append(chunks).append(",\"total_tokens\":").append(chunks + 12).append("}}\n\n");
            return sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        /**
         * OpenAI content chunks with {@code logprobs: true}: one entry (token, logprob, bytes) per chunk; logprobs
         * written with at most nine decimals, as providers print their float32 values.
         */
        static byte[] logprobsStream(final int chunks)
        {
            final Random random = new Random(42);
            final StringBuilder sse = new StringBuilder(chunks * 360);
            chunk(sse, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null");
            for (int i = 0; i < chunks - 3; i++)
            {
                final String word = WORDS[random.nextInt(WORDS.length)];
                final StringBuilder bytes = new StringBuilder();
                for (final byte b : word.replace("\\n", "\n").replace("\\\"", "\"").getBytes(StandardCharsets.UTF_8))
                {
                    bytes.append(bytes.length() == 0 ? "" : ",").append(b & 0xFF);
                }
                sse.append(HEAD).append("{\"index\":0,\"delta\":{\"content\":\"").append(word)
                    .append("\"},\"logprobs\":{\"content\":[{\"token\":\"").append(word).append("\",\"logprob\":")
                    .append(String.format(java.util.Locale.ROOT, "%.9f", -random.nextInt(2_000_000) / 1e7)).append(",\"bytes\":[").append(bytes)
                    .append("],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Xy3\"}\n\n");
            }
            chunk(sse, "{}", "\"stop\"");
            usage(sse, chunks);
            return sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        static byte[] toolStream(final int chunks)
        {
            final Random random = new Random(7);
            final StringBuilder sse = new StringBuilder(chunks * 260);
            final int calls = 4;
            chunk(sse, "{\"role\":\"assistant\",\"content\":null,\"refusal\":null}", "null");
            final int fragments = chunks - 3 - calls;
            for (int k = 0; k < calls; k++)
            {
                chunk(sse, "{\"tool_calls\":[{\"index\":" + k + ",\"id\":\"call_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) +
                    "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", "null");
                final int count = fragments / calls + (k < fragments % calls ? 1 : 0);
                for (int i = 0; i < count; i++)
                {
                    final String piece = i == 0 ? "{\\\"location\\\": \\\"" :
                        i == count - 1 ? "\\\"}" : WORDS[random.nextInt(WORDS.length)].replace("\\\"", "'");
                    chunk(sse, "{\"tool_calls\":[{\"index\":" + k + ",\"function\":{\"arguments\":\"" + piece + "\"}}]}", "null");
                }
            }
            chunk(sse, "{}", "\"tool_calls\"");
            usage(sse, chunks);
            return sse.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void chunk(final StringBuilder sse, final String delta, final String finish)
        {
            sse.append(HEAD).append("{\"index\":0,\"delta\":").append(delta)
                .append(",\"logprobs\":null,\"finish_reason\":").append(finish).append("}],\"usage\":null,\"obfuscation\":\"Xy3\"}\n\n");
        }

        private static void usage(final StringBuilder sse, final int chunks)
        {
            sse.append(HEAD).append("],\"usage\":").append(String.format(USAGE, chunks, 1187 + chunks))
                .append(",\"obfuscation\":\"aB\"}\n\n");
        }
    }
}
