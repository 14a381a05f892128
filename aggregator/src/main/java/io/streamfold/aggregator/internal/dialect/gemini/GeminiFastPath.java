package io.streamfold.aggregator.internal.dialect.gemini;

import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.internal.Buffers;
import org.agrona.DirectBuffer;

/**
 * Gemini's repeated-chunk fast path. While the full decoder reads a chunk, it tells this class what it met;
 * a chunk of one candidate whose content is one text part, and nothing else that could change the fold, is
 * learnt at its end. A later chunk that repeats it byte for byte but for the text (and the usage object,
 * which Gemini resends growing on every chunk) is then folded from the template's values, without parsing.
 */
final class GeminiFastPath
{
    /**
     * A chunk of one candidate whose content is one text part: the text (slot 0) varies, and the usage object
     * (slot 1, when there is one) is taken whole and merged as usual.
     */
    private static final EventShape TEXT_CHUNK =
        EventShape.of(0).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text").build();
    private static final EventShape TEXT_USAGE_CHUNK =
        EventShape.of(1).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text")
            .raw("usageMetadata").build();

    private final GeminiDialect dialect;
    private final MutableAggregate aggregate;
    private final EventTemplate template;
    private final JsonReader usageReader;
    private final DirectBuffer usageBytes = Buffers.wrap(new byte[0]);

    // What the chunk being read did, to decide whether it may be learnt: one candidate, one text part, no more.
    private boolean learnable;
    private int candidates;
    private int parts;
    private boolean text;
    private int errorsBefore;
    // What the learnt chunk did, replayed for each repeat.
    private boolean thought;
    private long index;
    private boolean usagePresent;
    private boolean usageAfterCandidates;

    /** @param usageReader a reader the dialect lends for the repeated usage object (not in use while a repeat folds). */
    GeminiFastPath(final GeminiDialect dialect, final MutableAggregate aggregate, final EventTemplate template,
        final JsonReader usageReader)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.template = template;
        this.usageReader = usageReader;
    }

    /** @return true when the chunk repeats the learnt one and was folded; else the full decoder reads it. */
    boolean foldIfRepeated(final DirectBuffer buffer, final int offset, final int length) throws JsonReader.BadPayload
    {
        if (!template.match(buffer, offset, length))
        {
            return false;
        }
        foldRepeated();
        return true;
    }

    /**
     * A chunk that repeats the learnt one around a new text and usage: the learnt chunk's effects in its order
     * (the text part, the usage merge) with the new values; every other field repeats the learnt bytes.
     */
    private void foldRepeated() throws JsonReader.BadPayload
    {
        if (usagePresent && !usageAfterCandidates)
        {
            mergeRepeatedUsage();
        }
        final MutableChoice choice = aggregate.choiceForIndex(index);
        if (choice != null)
        {
            dialect.repeatedText(choice, template.stringChars(0), template.stringLength(0), thought);
        }
        if (usagePresent && usageAfterCandidates)
        {
            mergeRepeatedUsage();
        }
        aggregate.start();
    }

    /** The usage object of a repeated chunk, already checked whole by the template, merged as the full path does. */
    private void mergeRepeatedUsage() throws JsonReader.BadPayload
    {
        final int start = template.valueStart(1);
        usageBytes.wrap(template.input(), start, template.valueEnd(1) - start);
        usageReader.begin(usageBytes, 0, usageBytes.capacity());
        dialect.mergeUsage(usageReader);
        usageReader.finish();
    }

    /** The full decoder starts on a chunk that did not repeat the learnt one. */
    void begin()
    {
        template.forget();
        learnable = true;
        candidates = 0;
        parts = 0;
        text = false;
        thought = false;
        usagePresent = false;
        errorsBefore = aggregate.errorCount();
    }

    /** The chunk holds something the template cannot replay (an error, a finish, a call, an extra field...). */
    void notLearnable()
    {
        learnable = false;
    }

    void candidate()
    {
        candidates++;
    }

    void candidateIndex(final long index)
    {
        this.index = index;
    }

    void part()
    {
        parts++;
    }

    void text()
    {
        text = true;
    }

    void thought(final boolean thought)
    {
        this.thought = thought;
    }

    void usage(final boolean present)
    {
        usagePresent = present;
        usageAfterCandidates = candidates > 0;
    }

    /** The full decoder folded the chunk: learn it when it was one text part and reported no error. */
    void end(final DirectBuffer buffer, final int offset, final int length)
    {
        if (learnable && candidates == 1 && parts == 1 && text && aggregate.errorCount() == errorsBefore)
        {
            template.learn(buffer, offset, length, usagePresent ? TEXT_USAGE_CHUNK : TEXT_CHUNK);
        }
    }
}
