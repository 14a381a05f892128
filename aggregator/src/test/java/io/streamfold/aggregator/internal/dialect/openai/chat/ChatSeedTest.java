package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.JsonTree;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recording the project started from (shared/seed, a Together AI cassette): see its README. */
class ChatSeedTest
{
    @Test
    void foldsTheSeedStream() throws Exception
    {
        final Path seed = SharedFiles.require().resolve("seed").resolve("000_5fd678bb3025000e.txt");
        final byte[] sse = Cassette.toSse(SharedFiles.read(seed));
        final RecordingListener events = new RecordingListener();
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, sse);
        a.end();
        final Aggregate r = a.result();

        assertEquals(List.of(), r.errors());
        assertEquals(1, r.choices().size());
        final Choice c = r.choice(0);
        assertEquals("assistant", c.role().toString());
        assertEquals("[1]", c.joined(Part.Kind.TEXT));
        assertArrayEquals(new long[] {58, 16, 60, 128009}, c.tokenIds());
        assertEquals("stop", c.finishReason().toString());
        assertEquals(92, r.usage().inputTokens());
        assertEquals(4, r.usage().outputTokens());
        assertEquals(96, r.usage().totalTokens());
        assertEquals("0", r.usage().fields().get("cached_tokens").json());
        assertEquals(List.of("token 0 58", "token 0 16", "token 0 60", "token 0 128009"), events.starting("token"));

        // The seed is above 2^63: it must reach the output text digit for digit.
        final String json = r.toJson();
        assertTrue(json.contains("\"seed\":9314001608812126000"), json);
        final Map<String, Object> out = JsonTree.object(json);
        assertEquals("[1]", JsonTree.at(out, "choices", 0, "message", "content"));
        assertEquals("stop", JsonTree.at(out, "choices", 0, "finish_reason"));
        assertEquals(List.of(58, 16, 60, 128009),
            ((List<?>)JsonTree.at(out, "choices", 0, "token_ids")).stream().map(n -> ((Number)n).intValue()).toList());
        assertEquals(92, ((Number)JsonTree.at(out, "usage", "prompt_tokens")).intValue());
        assertEquals(4, ((Number)JsonTree.at(out, "usage", "completion_tokens")).intValue());
        assertEquals(96, ((Number)JsonTree.at(out, "usage", "total_tokens")).intValue());
        assertEquals(0, ((Number)JsonTree.at(out, "usage", "cached_tokens")).intValue());
        assertEquals(Outcome.COMPLETE, r.outcome());
    }

    @Test
    void theSeedIsTheSameHoweverItIsSliced() throws Exception
    {
        final Path seed = SharedFiles.require().resolve("seed").resolve("000_5fd678bb3025000e.txt");
        final byte[] sse = Cassette.toSse(SharedFiles.read(seed));
        final StreamAggregator whole = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedWhole(whole, sse);
        whole.end();
        final StreamAggregator bytes = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedByteByByte(bytes, sse);
        bytes.end();
        assertEquals(ChatFeeding.fingerprint(whole), ChatFeeding.fingerprint(bytes));
    }
}
