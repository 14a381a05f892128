package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.testkit.JsonTree;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Azure's per-choice {@code content_filter_results} folds category by category: each chunk reports the categories
 * of the filters that ran on its segment (the asynchronous filter sends the harm categories and the protected
 * material ones in separate chunks, the finish chunk sends {@code {}}), and the non-streaming choice holds them all.
 * Every stream is folded whole and in slices, fast path on and off (the token reader and the byte scan), with the
 * member before the choice's index (Azure's order) and after it.
 */
class ContentFilterResultsTest
{
    private static final String HARM = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
        + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";
    private static final String PROTECTED = "{\"protected_material_code\":{\"filtered\":false,\"detected\":false},"
        + "\"protected_material_text\":{\"filtered\":false,\"detected\":false}}";
    private static final String OFFSETS = "{\"check_offset\":0,\"start_offset\":0,\"end_offset\":9}";

    /** A chunk of choice 0 with {@code member}s (name and value pairs) and {@code delta} (null: none), in Azure's or index-first order. */
    private static String chunk(final boolean indexFirst, final String delta, final String finish, final String... members)
    {
        return chunk(0, indexFirst, delta, finish, members);
    }

    /** As above, for choice {@code index}. */
    private static String chunk(final int index, final boolean indexFirst, final String delta, final String finish,
        final String... members)
    {
        final StringBuilder choice = new StringBuilder("{");
        if (indexFirst)
        {
            choice.append("\"index\":").append(index).append(',');
        }
        for (int i = 0; i < members.length; i += 2)
        {
            choice.append('"').append(members[i]).append("\":").append(members[i + 1]).append(',');
        }
        if (delta != null)
        {
            choice.append("\"delta\":").append(delta).append(',');
        }
        choice.append("\"finish_reason\":").append(finish == null ? "null" : '"' + finish + '"');
        if (!indexFirst)
        {
            choice.append(",\"index\":").append(index);
        }
        choice.append('}');
        return "data: {\"choices\":[" + choice + "],\"created\":1,\"id\":\"c\",\"model\":\"m\",\"object\":\"chat.completion.chunk\"}\n\n";
    }

    private static String text(final boolean indexFirst, final String filter, final String piece)
    {
        return chunk(indexFirst, "{\"content\":\"" + piece + "\"}", null, "content_filter_results", filter);
    }

    /** A stream of text chunks each reporting {@code during}, a finish chunk reporting {} and then the given tail chunks. */
    private static String stream(final boolean indexFirst, final String during, final String... tail)
    {
        final StringBuilder s = new StringBuilder(chunk(indexFirst, "{\"role\":\"assistant\",\"content\":\"\"}", null,
            "content_filter_results", "{}"));
        for (final String piece : List.of("Kind", "ness", " is", " free", "."))
        {
            s.append(text(indexFirst, during, piece));
        }
        s.append(chunk(indexFirst, "{}", "stop", "content_filter_results", "{}"));
        for (final String t : tail)
        {
            s.append(t);
        }
        return s.append("data: [DONE]\n\n").toString();
    }

    /** @return the folded choice's content_filter_results, after checking every feeding folds the same. */
    private static Object filterResults(final String stream)
    {
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        FastPathRun.assertInvisible(Format.OPENAI_CHAT, bytes, "stream", AggregationLimits.DEFAULT);
        final FastPathRun run = FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, false, 0, true);
        assertEquals(List.of(), run.errors);
        // The text chunks repeat their filter results: the fast path folds them still.
        assertTrue(run.folds > 0, "the fast path folded none of the text chunks");
        assertEquals("Kindness is free.", JsonTree.at(JsonTree.parse(run.json), "choices", 0, "message", "content"));
        return JsonTree.at(JsonTree.parse(run.json), "choices", 0, "content_filter_results");
    }

    private static Object parsed(final String json)
    {
        return JsonTree.parse(json);
    }

    @Test
    void anEmptyObjectAtTheFinishKeepsWhatTheTextChunksReported()
    {
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            assertEquals(parsed(HARM), filterResults(stream(indexFirst, HARM)), "index first " + indexFirst);
        }
    }

    @Test
    void asynchronousFilterChunksAfterTheFinishAddTheirCategories()
    {
        final String all = "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"},\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"violence\":{\"filtered\":false,\"severity\":\"safe\"},"
            + "\"protected_material_code\":{\"filtered\":false,\"detected\":false},"
            + "\"protected_material_text\":{\"filtered\":false,\"detected\":false}}";
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            final String harmThenProtected = stream(indexFirst, "{}",
                chunk(indexFirst, null, null, "content_filter_offsets", OFFSETS, "content_filter_results", HARM),
                chunk(indexFirst, null, null, "content_filter_offsets", OFFSETS, "content_filter_results", PROTECTED));
            assertEquals(parsed(all), filterResults(harmThenProtected), "index first " + indexFirst);
            final String protectedThenHarm = stream(indexFirst, "{}",
                chunk(indexFirst, null, null, "content_filter_offsets", OFFSETS, "content_filter_results", PROTECTED),
                chunk(indexFirst, null, null, "content_filter_offsets", OFFSETS, "content_filter_results", HARM));
            final Object folded = filterResults(protectedThenHarm);
            assertEquals(parsed(all), folded, "index first " + indexFirst);
            // First-seen order, as every kept object's fields.
            assertEquals(List.of("protected_material_code", "protected_material_text", "hate", "self_harm", "sexual", "violence"),
                List.copyOf(((Map<?, ?>)folded).keySet()));
        }
    }

    @Test
    void aLaterCategoryReplacesTheSameCategoryWhole()
    {
        final String low = "{\"violence\":{\"filtered\":false,\"severity\":\"low\"},\"hate\":{\"filtered\":true,\"severity\":\"medium\"}}";
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            final String s = stream(indexFirst, HARM, chunk(indexFirst, null, null, "content_filter_results", low));
            final Map<?, ?> folded = (Map<?, ?>)filterResults(s);
            assertEquals(List.of("hate", "self_harm", "sexual", "violence"), List.copyOf(folded.keySet()));
            assertEquals(parsed("{\"filtered\":true,\"severity\":\"medium\"}"), folded.get("hate"));
            assertEquals(parsed("{\"filtered\":false,\"severity\":\"low\"}"), folded.get("violence"));
            assertEquals(parsed("{\"filtered\":false,\"severity\":\"safe\"}"), folded.get("sexual"));
        }
    }

    @Test
    void eachChoiceKeepsItsOwnCategories()
    {
        // n > 1: the member comes before the index in Azure's order, and a template learnt from one choice's chunk may
        // fold the same chunk sent for another; neither may move one choice's categories to another or skip them.
        final String low = "{\"hate\":{\"filtered\":false,\"severity\":\"low\"}}";
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            final StringBuilder s = new StringBuilder();
            for (int c = 0; c < 2; c++)
            {
                s.append(chunk(c, indexFirst, "{\"role\":\"assistant\",\"content\":\"\"}", null, "content_filter_results", "{}"));
            }
            for (final String piece : List.of("Kind", "ness", " is", " free", "."))
            {
                for (int c = 0; c < 2; c++)
                {
                    s.append(chunk(c, indexFirst, "{\"content\":\"" + piece + "\"}", null, "content_filter_results", HARM));
                }
            }
            s.append(chunk(1, indexFirst, null, null, "content_filter_results", low));
            for (int c = 0; c < 2; c++)
            {
                s.append(chunk(c, indexFirst, "{}", "stop", "content_filter_results", "{}"));
            }
            final byte[] bytes = s.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
            FastPathRun.assertInvisible(Format.OPENAI_CHAT, bytes, "index first " + indexFirst, AggregationLimits.DEFAULT);
            final Object out = JsonTree.parse(FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, false, 0,
                true).json);
            // The text too: before, a member ahead of the index sent the delta after it to the first choice.
            assertEquals("Kindness is free.", JsonTree.at(out, "choices", 0, "message", "content"));
            assertEquals("Kindness is free.", JsonTree.at(out, "choices", 1, "message", "content"));
            assertEquals(parsed(HARM), JsonTree.at(out, "choices", 0, "content_filter_results"), "index first " + indexFirst);
            assertEquals("low", JsonTree.at(out, "choices", 1, "content_filter_results", "hate", "severity"));
            assertEquals("safe", JsonTree.at(out, "choices", 1, "content_filter_results", "violence", "severity"));
        }
    }

    @Test
    void onlyEmptyObjectsFoldToAnEmptyObject()
    {
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            assertEquals(Map.of(), filterResults(stream(indexFirst, "{}")));
        }
    }

    @Test
    void otherObjectMembersOfAChoiceStayTheLastValue()
    {
        // content_filter_offsets describes one check window: a state, the last one sent wins as before.
        final String later = "{\"check_offset\":9,\"end_offset\":20}";
        for (final boolean indexFirst : new boolean[] {false, true})
        {
            final String s = stream(indexFirst, "{}",
                chunk(indexFirst, null, null, "content_filter_offsets", OFFSETS, "content_filter_results", HARM),
                chunk(indexFirst, null, null, "content_filter_offsets", later, "content_filter_results", PROTECTED));
            final FastPathRun run = FastPathRun.of(Format.OPENAI_CHAT, s.getBytes(StandardCharsets.UTF_8),
                AggregationLimits.DEFAULT, false, false, 0, true);
            assertEquals(parsed(later), JsonTree.at(JsonTree.parse(run.json), "choices", 0, "content_filter_offsets"));
        }
    }

    @Test
    void azureAsynchronousFilterRecordingKeepsEveryCategory()
    {
        final Path file = SharedFiles.require().resolve("corpus/openai-chat/azure-gpt4o-async-content-filter.sse");
        final byte[] bytes = SharedFiles.read(file);
        FastPathRun.assertInvisible(Format.OPENAI_CHAT, bytes, file.getFileName().toString(), AggregationLimits.DEFAULT);
        final FastPathRun run = FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, false, 0, true);
        final Map<?, ?> folded = (Map<?, ?>)JsonTree.at(JsonTree.parse(run.json), "choices", 0, "content_filter_results");
        assertEquals(List.of("hate", "self_harm", "sexual", "violence", "protected_material_code", "protected_material_text"),
            List.copyOf(folded.keySet()));
        assertEquals(false, JsonTree.at(folded, "hate", "filtered"));
        assertEquals(false, JsonTree.at(folded, "protected_material_text", "detected"));
        assertTrue(run.errors.isEmpty(), run.errors.toString());
    }
}
