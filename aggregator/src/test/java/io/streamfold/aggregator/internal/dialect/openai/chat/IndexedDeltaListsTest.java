package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delta fields streamed as a list of entries that name their place by {@code index} (OpenRouter's {@code
 * reasoning_details}, Groq's {@code executed_tools}): each delta's elements are pieces of those entries, merged entry by
 * entry, so that the message holds each entry once, whole, as the provider means it to be sent back.
 */
class IndexedDeltaListsTest
{
    private static final String HEAD = "{\"id\":\"gen-1\",\"model\":\"m\",\"object\":\"chat.completion.chunk\",\"created\":1," +
        "\"choices\":[{\"index\":0,\"delta\":{";
    private static final String TAIL = "},\"finish_reason\":null}]}";

    private static Choice fold(final AggregationLimits limits, final String... deltas)
    {
        final String[] payloads = new String[deltas.length + 1];
        for (int i = 0; i < deltas.length; i++)
        {
            payloads[i] = HEAD + deltas[i] + TAIL;
        }
        payloads[deltas.length] = "[DONE]";
        final byte[] stream = ChatFeeding.utf8(ChatFeeding.sse(payloads));
        // The byte scan and the token reader read these chunks; both fold them alike, however the bytes are sliced.
        FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, limits, new Random(7), new String(stream, StandardCharsets.UTF_8));
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(limits).build();
        ChatFeeding.feedWhole(a, stream);
        a.end();
        return a.result().choice(0);
    }

    @Test
    void piecesOfOneEntryAreMergedTextJoinedIdentityKeptOnce()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"reasoning_details\":[]",
            "\"reasoning\":\"Th\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"Th\",\"format\":\"anthropic-claude-v1\",\"index\":0}]",
            "\"reasoning\":\"is \\u00e9\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"is \\u00e9\",\"format\":\"anthropic-claude-v1\",\"index\":0}]",
            "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"signature\":\"Et0B\",\"format\":\"anthropic-claude-v1\",\"index\":0}]",
            "\"content\":\"4\"");
        assertEquals("This \u00e9", c.joined(Part.Kind.REASONING));
        assertEquals("[{\"type\":\"reasoning.text\",\"text\":\"This \u00e9\",\"format\":\"anthropic-claude-v1\",\"index\":0," +
            "\"signature\":\"Et0B\"}]", c.messageExtra().json("reasoning_details"));
    }

    @Test
    void entriesStayApartByIndexInTheOrderTheyFirstCame()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"reasoning_details\":[{\"type\":\"reasoning.summary\",\"summary\":\"A\",\"index\":1}]",
            "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"x\",\"index\":0},{\"type\":\"reasoning.summary\",\"summary\":\"B\",\"index\":1}]",
            "\"reasoning_details\":[{\"type\":\"reasoning.encrypted\",\"data\":\"ZW5j\",\"id\":\"rs_1\",\"index\":2,\"format\":null}]",
            "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"y\",\"index\":0,\"id\":\"r\"}]");
        assertEquals("[{\"type\":\"reasoning.summary\",\"summary\":\"AB\",\"index\":1},{\"type\":\"reasoning.text\",\"text\":\"xy\"," +
            "\"index\":0,\"id\":\"r\"},{\"type\":\"reasoning.encrypted\",\"data\":\"ZW5j\",\"id\":\"rs_1\",\"index\":2,\"format\":null}]",
            c.messageExtra().json("reasoning_details"));
    }

    @Test
    void elementsWithoutAnIntegerIndexAreKeptAsSent()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"a\",\"index\":0}]",
            "\"reasoning_details\":[{\"text\":\"b\"},{\"index\":\"0\",\"text\":\"c\"},3,{\"type\":\"reasoning.text\",\"text\":\"d\",\"index\":0}]");
        assertEquals("[{\"type\":\"reasoning.text\",\"text\":\"ad\",\"index\":0},{\"text\":\"b\"},{\"index\":\"0\",\"text\":\"c\"},3]",
            c.messageExtra().json("reasoning_details"));
    }

    @Test
    void aListWhoseFirstElementHasNoIndexIsConcatenatedAsBefore()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"annotations\":[{\"type\":\"url_citation\",\"url\":\"https://a\"}]",
            "\"annotations\":[{\"type\":\"url_citation\",\"url\":\"https://b\",\"index\":0}]");
        assertEquals("[{\"type\":\"url_citation\",\"url\":\"https://a\"},{\"type\":\"url_citation\",\"url\":\"https://b\",\"index\":0}]",
            c.messageExtra().json("annotations"));
    }

    /** A member an entry first got as null takes its first value as a new one does: later pieces join it. */
    @Test
    void aMemberFirstSentAsNullJoinsItsPieces()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"reasoning_details\":[{\"index\":0,\"text\":null,\"signature\":null,\"arr\":null}]",
            "\"reasoning_details\":[{\"index\":0,\"text\":\"Hel\",\"arr\":[1]}]",
            "\"reasoning_details\":[{\"index\":0,\"text\":\"lo\",\"arr\":[2]}]",
            "\"reasoning_details\":[{\"index\":0,\"signature\":\"sig\"}]");
        assertEquals("[{\"index\":0,\"text\":\"Hello\",\"signature\":\"sig\",\"arr\":[1,2]}]", c.messageExtra().json("reasoning_details"));
    }

    /** An element over the raw-value limit is dropped whole, on both paths, and said to be; nothing stands in for it. */
    @Test
    void elementsOverTheRawLimitAreDroppedAlike()
    {
        final AggregationLimits small = AggregationLimits.builder().maxRawBytes(24).build();
        final String big = "x".repeat(40);
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(small).build();
        final String[] deltas = {
            "\"reasoning_details\":[{\"index\":0,\"text\":\"a\"},\"" + big + "\",[\"" + big + "\"],{\"note\":\"" + big + "\"}," +
                "{\"index\":0,\"text\":\"b\"}]"};
        final Choice c = fold(small, deltas);
        assertEquals("[{\"index\":0,\"text\":\"ab\"}]", c.messageExtra().json("reasoning_details"));
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(ChatFeeding.sse(HEAD + deltas[0] + TAIL, "[DONE]")));
        a.end();
        assertEquals(ErrorKind.LIMIT_EXCEEDED, a.result().errors().get(0).kind());
    }

    /** Groq's compound models send each executed tool again with its output, arguments and all: replaced, not joined. */
    @Test
    void groqExecutedToolsAreWholeEntries()
    {
        final Choice c = fold(AggregationLimits.DEFAULT,
            "\"executed_tools\":[{\"index\":0,\"type\":\"search\",\"arguments\":\"{\\\"query\\\":\\\"Go\\\"}\",\"search_results\":{\"results\":[]}}]",
            "\"content\":\"found\",\"executed_tools\":[{\"index\":0,\"type\":\"search\",\"arguments\":\"{\\\"query\\\":\\\"Go\\\"}\"," +
                "\"output\":\"stream result\"}]");
        assertEquals("[{\"index\":0,\"type\":\"search\",\"arguments\":\"{\\\"query\\\":\\\"Go\\\"}\",\"search_results\":{\"results\":[]}," +
            "\"output\":\"stream result\"}]", c.messageExtra().json("executed_tools"));
    }

    /** A stream naming more entries than a choice may have parts: the rest are dropped and said to be. */
    @Test
    void entriesAreBoundedByMaxPartsPerChoice()
    {
        final AggregationLimits two = AggregationLimits.builder().maxPartsPerChoice(2).build();
        final String[] deltas = new String[5];
        for (int i = 0; i < deltas.length; i++)
        {
            deltas[i] = "\"reasoning_details\":[{\"text\":\"t" + i + "\",\"index\":" + (i % 2 == 0 ? i : 0) + "}]";
        }
        final String stream = ChatFeeding.sse(HEAD + deltas[0] + TAIL, HEAD + deltas[1] + TAIL, HEAD + deltas[2] + TAIL,
            HEAD + deltas[3] + TAIL, HEAD + deltas[4] + TAIL, "[DONE]");
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(two).build();
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(stream));
        a.end();
        assertEquals("[{\"text\":\"t0t1t3\",\"index\":0},{\"text\":\"t2\",\"index\":2}]",
            a.result().choice(0).messageExtra().json("reasoning_details"));
        assertEquals(ErrorKind.LIMIT_EXCEEDED, a.result().errors().get(0).kind());
        fold(two, deltas);
    }

    /** The recorded OpenRouter stream (shared corpus): one entry, its text the reasoning, its signature whole. */
    @Test
    void openRouterRecording()
    {
        final byte[] recorded = SharedFiles.read(SharedFiles.require().resolve("corpus/openai-chat/openrouter-reasoning-details.sse"));
        final StreamAggregator a = StreamAggregator.create(Format.OPENAI_CHAT);
        ChatFeeding.feedWhole(a, recorded);
        a.end();
        final Choice c = a.result().choice(0);
        final String details = c.messageExtra().json("reasoning_details");
        assertTrue(details.startsWith("[{\"type\":\"reasoning.text\",\"text\":\"" + c.joined(Part.Kind.REASONING) +
            "\",\"signature\":\"Et0BCkgIChACGAIq"), details);
        assertTrue(details.endsWith("\",\"format\":\"anthropic-claude-v1\",\"index\":0}]"), details);
    }
}
