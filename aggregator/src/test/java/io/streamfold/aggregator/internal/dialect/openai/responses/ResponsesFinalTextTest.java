package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A final text that repeats, byte for byte, one already found equal to the part's text is not decoded again (the
 * done part, the done item and the terminal response each send the whole text once more). These streams make that
 * wrong if the text had grown since, or the bytes differ by one, or the earlier text had not agreed.
 */
class ResponsesFinalTextTest
{
    private static final String ID = "msg_1";

    @Test
    void repeatedFinalTextsThatAgreeReportNothing()
    {
        final Aggregate a = fold(delta("Hi \\u00e9"), textDone("Hi \\u00e9"), partDone("Hi \\u00e9"), itemDone("Hi \\u00e9"),
            completed("Hi \\u00e9"));
        assertEquals("Hi \u00e9", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(List.of(), a.errors());
    }

    @Test
    void theSameBytesAfterTheTextGrewAreStillChecked()
    {
        // "Hi" agreed; a late delta makes the text "Hi more": the done part's "Hi" now disagrees, and so do the others.
        final Aggregate a = fold(delta("Hi"), textDone("Hi"), delta(" more"), partDone("Hi"), itemDone("Hi"), completed("Hi"));
        assertEquals("Hi more", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(3, disagreements(a.errors()), a.errors().toString());
    }

    @Test
    void aTailAddedByAFinalTextMakesTheEarlierBytesDisagree()
    {
        // "Hi" agreed; the done part adds a tail (reported); the done item's "Hi" is then shorter than the text.
        final Aggregate a = fold(delta("Hi"), textDone("Hi"), partDone("Hi there"), itemDone("Hi"), completed("Hi there"));
        assertEquals("Hi there", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(2, a.errors().size(), a.errors().toString());
        assertEquals(1, disagreements(a.errors()), a.errors().toString());
    }

    @Test
    void aFinalTextOneByteOffIsReported()
    {
        final Aggregate a = fold(delta("Hi \\u00e9"), textDone("Hi \\u00e9"), partDone("Hi \\u00e8"), itemDone("Hi \\u00e9"),
            completed("Hi \u00e9"));
        assertEquals(1, disagreements(a.errors()), a.errors().toString());
    }

    @Test
    void aDisagreeingTextIsNotTakenAsAgreedLater()
    {
        final Aggregate a = fold(delta("Hello"), textDone("Goodbye"), partDone("Goodbye"), itemDone("Goodbye"), completed("Hello"));
        assertEquals("Hello", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(3, disagreements(a.errors()), a.errors().toString());
    }

    @Test
    void theFastPathAndTheFullReaderAgreeOnEveryCase()
    {
        final String[][] cases = {
            {delta("Hi"), textDone("Hi"), delta(" more"), partDone("Hi"), itemDone("Hi"), completed("Hi")},
            {delta("Hi"), textDone("Hi"), partDone("Hi there"), itemDone("Hi"), completed("Hi there")},
            {delta("Hi"), textDone("Hi"), partDone("Hi"), itemDone("Hi"), completed("Hi")},
            {delta("a long text"), textDone("a long text"), partDone("a long text"), itemDone("a long text"), completed("x")},
        };
        for (final String[] events : cases)
        {
            FastPathRun.assertInvisible(Format.OPENAI_RESPONSES, stream(events).getBytes(StandardCharsets.UTF_8), String.join("\n", events),
                AggregationLimits.DEFAULT, AggregationLimits.builder().maxTextChars(4).build());
        }
    }

    /** The same for reasoning: a summary text and a reasoning text, repeated by the done part, item and response. */
    @Test
    void reasoningTextsRepeatedAsTheyAgreedFoldAsTheFullReaderFoldsThem()
    {
        final String[][] texts = {
            {"Hi", "Hi", "Hi", "Hi", "Hi"}, {"Hi", "Hi", "Hi there", "Hi", "Hi there"},
            {"Hi \\u00e9", "Hi \\u00e9", "Hi \\u00e8", "Hi \\u00e9", "Hi"},
            {"Hello", "Goodbye", "Goodbye", "Goodbye", "Hello"}, {"a long text", "a long text", "a long text", "a long text", "x"},
        };
        for (final boolean summary : new boolean[] {true, false})
        {
            for (final String[] t : texts)
            {
                final String sse = reasoningStream(summary, t);
                FastPathRun.assertInvisible(Format.OPENAI_RESPONSES, sse.getBytes(StandardCharsets.UTF_8), sse,
                    AggregationLimits.DEFAULT, AggregationLimits.builder().maxTextChars(4).build());
            }
        }
        final Aggregate a = ResponsesTestSupport.whole(reasoningStream(true, texts[0]), new RecordingListener());
        assertEquals(List.of(), a.errors());
    }

    /** A reasoning item: {@code t} is the delta, the done text, the done part's, the done item's, the response's. */
    private static String reasoningStream(final boolean summary, final String[] t)
    {
        final String kind = summary ? "summary_text" : "reasoning_text";
        final String list = summary ? "summary" : "content";
        final String index = summary ? "\"summary_index\":0" : "\"content_index\":0";
        final String partEvent = summary ? "response.reasoning_summary_part" : "response.content_part";
        final StringBuilder sse = new StringBuilder();
        event(sse, "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}");
        event(sse, "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
            "\"summary\":[],\"content\":[]}}");
        event(sse, "{\"type\":\"" + partEvent + ".added\",\"item_id\":\"rs_1\",\"output_index\":0," + index +
            ",\"part\":{\"type\":\"" + kind + "\",\"text\":\"\"}}");
        event(sse, "{\"type\":\"response." + (summary ? "reasoning_summary_text" : "reasoning_text") + ".delta\",\"item_id\":\"rs_1\"," +
            "\"output_index\":0," + index + ",\"delta\":\"" + t[0] + "\"}");
        event(sse, "{\"type\":\"response." + (summary ? "reasoning_summary_text" : "reasoning_text") + ".done\",\"item_id\":\"rs_1\"," +
            "\"output_index\":0," + index + ",\"text\":\"" + t[1] + "\"}");
        event(sse, "{\"type\":\"" + partEvent + ".done\",\"item_id\":\"rs_1\",\"output_index\":0," + index +
            ",\"part\":{\"type\":\"" + kind + "\",\"text\":\"" + t[2] + "\"}}");
        final String item = "{\"id\":\"rs_1\",\"type\":\"reasoning\",\"" + list + "\":[{\"type\":\"" + kind + "\",\"text\":\"";
        event(sse, "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item + t[3] + "\"}]}}");
        event(sse, "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[" + item + t[4] +
            "\"}]}]}}");
        return sse.toString();
    }

    private static long disagreements(final List<StreamError> errors)
    {
        return errors.stream().filter(e -> e.message().contains("disagrees")).count();
    }

    private static Aggregate fold(final String... events)
    {
        final Aggregate a = ResponsesTestSupport.whole(stream(events), new RecordingListener());
        assertTrue(a.choice(0) != null);
        return a;
    }

    private static String stream(final String... events)
    {
        final StringBuilder sse = new StringBuilder();
        event(sse, "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}");
        event(sse, "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"" + ID +
            "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}");
        event(sse, "{\"type\":\"response.content_part.added\",\"item_id\":\"" + ID + "\",\"output_index\":0,\"content_index\":0," +
            "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"text\":\"\"}}");
        for (final String e : events)
        {
            event(sse, e);
        }
        return sse.toString();
    }

    private static void event(final StringBuilder sse, final String data)
    {
        sse.append("data: ").append(data).append("\n\n");
    }

    private static String delta(final String text)
    {
        return "{\"type\":\"response.output_text.delta\",\"item_id\":\"" + ID + "\",\"output_index\":0,\"content_index\":0," +
            "\"delta\":\"" + text + "\",\"logprobs\":[]}";
    }

    private static String textDone(final String text)
    {
        return "{\"type\":\"response.output_text.done\",\"item_id\":\"" + ID + "\",\"output_index\":0,\"content_index\":0," +
            "\"text\":\"" + text + "\",\"logprobs\":[]}";
    }

    private static String part(final String text)
    {
        return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + text + "\"}";
    }

    private static String item(final String text)
    {
        return "{\"id\":\"" + ID + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[" + part(text) + "],\"role\":\"assistant\"}";
    }

    private static String partDone(final String text)
    {
        return "{\"type\":\"response.content_part.done\",\"item_id\":\"" + ID + "\",\"output_index\":0,\"content_index\":0,\"part\":" +
            part(text) + "}";
    }

    private static String itemDone(final String text)
    {
        return "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item(text) + "}";
    }

    private static String completed(final String text)
    {
        return "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[" + item(text) + "]}}";
    }
}
