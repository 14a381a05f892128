package io.streamfold.aggregator.internal.dialect.gemini;

import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import org.agrona.DirectBuffer;

/**
 * Gemini's repeated-chunk fast path, on the shared {@link EventTemplate}. While the full decoder reads a chunk,
 * it tells this class what it met; a chunk of one candidate whose content is one text (or thought) part, and
 * nothing that adds to the fold but that text and the usage, is learnt at its end. What varies in it: the text,
 * and every integer count of {@code usageMetadata} (Gemini resends the snapshot, growing, with every chunk). The
 * rest must repeat: a finishReason the candidate already has (Vertex repeats it on every chunk), safety ratings,
 * grounding metadata, the model version, the response id. Those the full path would set again to the same value,
 * so a repeat leaves them as they are; the objects and arrays among them are kept as their bytes, so they must
 * repeat whitespace included ({@link EventShape#LITERAL}). A repeat is folded from the slots: the text appended,
 * the counts set, in the order the learnt chunk had them.
 */
final class GeminiFastPath
{
    // Kinds of the values a learnt chunk's shape names beside its text.
    /** An integer of usageMetadata, read by the template and set on a repeat. */
    private static final byte USAGE_COUNT = 0;
    /** An object or array member of usageMetadata, kept verbatim. */
    private static final byte USAGE_KEPT = 1;
    /** An object or array member of the candidate (safetyRatings, groundingMetadata...), kept verbatim. */
    private static final byte CANDIDATE_KEPT = 2;
    /** An object or array member of the response, kept verbatim in the metadata. */
    private static final byte RESPONSE_KEPT = 3;

    /** More named values than this and the chunk is not learnt. */
    private static final int MAX_VALUES = 24;
    /** Shapes kept for reuse (a pooled aggregator meets the same few in every stream). */
    private static final int CACHED = 8;
    /**
     * A usage count longer than this goes to the full path: the value it replaces grew to at least 16 chars when
     * first set, so a shorter one is set in place exactly as the full path sets it, with no growth to charge.
     */
    private static final int MAX_COUNT_DIGITS = 16;

    private final GeminiDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final EventTemplate template;
    // The pending chunk's members, located when it is learnt (when the token reader read it).
    private final JsonMembers root = new JsonMembers();
    private final JsonMembers firstCandidate = new JsonMembers();
    private final JsonMembers usageMembers = new JsonMembers();
    /**
     * The last chunk read in full when it may be learnt, kept until the next chunk comes: only then is it learnt. A
     * stream's last chunk is never repeated, and Gemini's often carries kilobytes (grounding metadata with rendered
     * HTML) that learning would cross three times more (describing, locating, matching) for nothing.
     */
    private byte[] pending = new byte[0];
    /** Bytes of {@link #pending} to learn, or -1 when none. */
    private int pendingLength = -1;
    /**
     * Whether the scan read {@link #pending}, checking it whole; it is then described already (the scan located its
     * members), else it is described from its bytes when learnt.
     */
    private boolean pendingChecked;

    // What the chunk being read did, to decide whether it may be learnt: one candidate, one text part, no more.
    private boolean learnable;
    private int candidates;
    private int parts;
    private int usages;
    private boolean text;
    private int errorsBefore;

    // The learnt chunk: its effects, replayed for each repeat.
    private boolean thought;
    private long index;
    private boolean usagePresent;
    private boolean usageAfterCandidates;
    /** The usage values the count slots set (slots 1 to {@code counts}), resolved when learnt. */
    private MutableRawJson[] countValues = new MutableRawJson[4];
    private int counts;
    /** Bytes of the learnt chunk outside its content that any repeat has too (no whitespace, no count). */
    private int aroundContent;
    private int contentStart;
    private int contentEnd;
    private char[] scratch = new char[MAX_COUNT_DIGITS];
    /** The length of the data line {@link #matchLine} matched last. */
    private int hintedLength;

    // The description of the chunk being learnt: what its shape names beside the text, in byte order.
    private final byte[] kinds = new byte[MAX_VALUES];
    private final String[] names = new String[MAX_VALUES];
    private int described;
    // Shapes already built, by description; replaced round robin.
    private final byte[][] cachedKinds = new byte[CACHED][];
    private final String[][] cachedNames = new String[CACHED][];
    private final EventShape[] cachedShapes = new EventShape[CACHED];
    private int nextCached;

    GeminiFastPath(final GeminiDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits,
        final EventTemplate template)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.template = template;
    }

    /**
     * @param streamOffset the frame's stream offset: with the same bytes, says whether the hint ({@link #matchLine})
     *                     matched or refused them already.
     * @return true when the chunk repeats the learnt one and was folded; else the full decoder reads it.
     */
    boolean foldIfRepeated(final DirectBuffer buffer, final int offset, final int length, final long streamOffset)
    {
        if (pendingLength >= 0)
        {
            learnPending();
        }
        return fits(length) && template.match(buffer, offset, length, streamOffset) && foldMatched();
    }

    /**
     * The framer's line-end hint: the data line matched against the learnt chunk (learnt first if it is pending, as
     * the frame would learn it), for the frame that carries it not to be matched again.
     */
    int matchLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        if (pendingLength >= 0)
        {
            learnPending();
        }
        final int end = template.matchLine(src, from, to, lineOffset);
        hintedLength = end - from;
        return end;
    }

    /** Folds the chunk the framer offers whole in place of its frame: the data line {@link #matchLine} matched last. */
    boolean foldHinted()
    {
        return template.matchHinted() && fits(hintedLength) && foldMatched();
    }

    /**
     * The candidate's content, which the full path keeps raw a moment, must fit the raw limit: it is at most what the
     * chunk holds beyond the learnt bytes around it.
     */
    private boolean fits(final int length)
    {
        return length - aroundContent <= limits.maxRawBytes();
    }

    /** Folds the chunk the template has just matched; false, nothing changed, when the full path must read it. */
    private boolean foldMatched()
    {
        final byte[] input = template.input();
        for (int s = 1; s <= counts; s++)
        {
            final int from = template.valueStart(s);
            final int digits = template.valueEnd(s) - from;
            if (input[from] == '-' || digits > MAX_COUNT_DIGITS)
            {
                // Jackson writes -0 as 0; and a longer count could need room the result's budget may refuse. (A
                // shorter one fits the raw limit: the learnt content, longer than 16 bytes, did.)
                return false;
            }
        }
        if (usagePresent && !usageAfterCandidates)
        {
            replayUsage(input);
        }
        final MutableChoice choice = aggregate.choiceForIndex(index);
        if (choice != null)
        {
            dialect.repeatedText(choice, template.stringChars(0), template.stringLength(0), thought);
        }
        if (usagePresent && usageAfterCandidates)
        {
            replayUsage(input);
        }
        aggregate.start();
        return true;
    }

    /** The usage snapshot of a repeat: its counts set as the full path captures them (their text as written). */
    private void replayUsage(final byte[] input)
    {
        for (int s = 1; s <= counts; s++)
        {
            final int from = template.valueStart(s);
            final int n = template.valueEnd(s) - from;
            for (int i = 0; i < n; i++)
            {
                scratch[i] = (char)input[from + i];
            }
            countValues[s - 1].setScalar(MutableRawJson.Type.NUMBER, scratch, 0, n, limits.maxRawBytes());
        }
        aggregate.usageUpdated();
    }

    /** The full decoder starts on a chunk that did not repeat the learnt one. */
    void begin()
    {
        template.forget();
        learnable = true;
        candidates = 0;
        parts = 0;
        usages = 0;
        text = false;
        thought = false;
        usagePresent = false;
        errorsBefore = aggregate.errorCount();
    }

    /** The chunk holds something a repeat could not replay (an error, a call, a citation, a signature...). */
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

    /**
     * The candidate had a finishReason: a repeat may carry it only if the candidate now has exactly that reason,
     * which the full path would then leave as it is.
     */
    void finishReason(final boolean candidateHasIt)
    {
        learnable &= candidateHasIt;
    }

    void usage(final boolean present)
    {
        // A second usageMetadata would be merged (and announced) twice: not replayed.
        learnable &= ++usages == 1;
        usagePresent = present;
        usageAfterCandidates = candidates > 0;
    }

    /**
     * The token reader folded the chunk: when it was one text part and reported no error, it is kept to be learnt
     * when the next chunk comes (and only then described: a stream's last chunk is never learnt).
     */
    void end(final DirectBuffer buffer, final int offset, final int length)
    {
        if (learnsChunk())
        {
            keep(buffer, offset, length);
            pendingChecked = false;
        }
    }

    /**
     * The scan folded the chunk, checking it whole: as {@link #end(DirectBuffer, int, int)}, described now from the
     * members the scan located, which the learner would otherwise locate again.
     *
     * @param chunk     the chunk's members.
     * @param candidate its one candidate's members.
     * @param usage     its usage object's members, or null when it has none.
     * @param base      where the chunk's first byte lies in the array the members lie in.
     */
    void end(final DirectBuffer buffer, final int offset, final int length, final JsonMembers chunk,
        final JsonMembers candidate, final JsonMembers usage, final int base)
    {
        if (learnsChunk() && describe(chunk, candidate, usage, base, length))
        {
            keep(buffer, offset, length);
            pendingChecked = true;
        }
    }

    private boolean learnsChunk()
    {
        return learnable && candidates == 1 && parts == 1 && text && aggregate.errorCount() == errorsBefore &&
            template.enabled();
    }

    private void keep(final DirectBuffer buffer, final int offset, final int length)
    {
        if (pending.length < length)
        {
            pending = new byte[Math.max(length, 2 * pending.length)];
        }
        buffer.getBytes(offset, pending, 0, length);
        pendingLength = length;
    }

    /** A new stream: nothing of the last one is learnt. */
    void reset()
    {
        pendingLength = -1;
    }

    /**
     * Learns the chunk kept by {@link #end}. Nothing has changed since it was folded: the counts it resolves are the
     * usage values that chunk set.
     */
    private void learnPending()
    {
        final int length = pendingLength;
        pendingLength = -1;
        if ((pendingChecked || describe(pending, length)) && template.learn(pending, 0, length, shape(), pendingChecked) &&
            resolveCounts())
        {
            aroundContent = around(pending, 0, length);
            return;
        }
        template.forget();
    }

    /**
     * Locates the members of the chunk {@code src[0, length)} (the token reader accepted it), its first candidate's and
     * its usage's, and describes it by them.
     *
     * @return false when there are too many values to learn the chunk by.
     */
    private boolean describe(final byte[] src, final int length)
    {
        if (!root.readObject(src, 0, length))
        {
            return false;
        }
        int candidatesAt = -1;
        int usageAt = -1;
        for (int i = 0; i < root.count(); i++)
        {
            final String name = root.name(i);
            if ("candidates".equals(name))
            {
                candidatesAt = root.valueStart(i);
            }
            else if ("usageMetadata".equals(name))
            {
                usageAt = root.valueStart(i);
            }
        }
        final boolean candidate = candidatesAt >= 0 && src[candidatesAt] == '[' &&
            firstCandidate.readObject(src, JsonMembers.firstElement(src, candidatesAt, length), length);
        final boolean usage = usageAt >= 0 && usageMembers.readObject(src, usageAt, length);
        return describe(root, candidate ? firstCandidate : null, usage ? usageMembers : null, 0, length);
    }

    /**
     * Lists, in byte order, the values the shape must name beside the text: the usage counts and the objects and
     * arrays the full path keeps verbatim; and where the candidate's content lies. One description, whichever reader
     * located the members.
     *
     * @param candidate the first candidate's members, or null when there is none.
     * @param usage     the usage object's members, or null when there is none.
     * @param base      where the chunk starts in the array the members lie in.
     * @param length    the chunk's length.
     * @return false when there are too many to learn the chunk by.
     */
    private boolean describe(final JsonMembers chunk, final JsonMembers candidate, final JsonMembers usage, final int base,
        final int length)
    {
        described = 0;
        contentStart = length;
        contentEnd = length;
        for (int i = 0; i < chunk.count(); i++)
        {
            final String name = chunk.name(i);
            if (!"candidates".equals(name) && !"usageMetadata".equals(name) && chunk.isStructure(i) && !add(RESPONSE_KEPT, name))
            {
                return false;
            }
        }
        for (int i = 0; candidate != null && i < candidate.count(); i++)
        {
            final String name = candidate.name(i);
            if ("content".equals(name))
            {
                contentStart = candidate.valueStart(i) - base;
                contentEnd = candidate.valueEnd(i) - base;
            }
            else if (candidate.isStructure(i) && !add(CANDIDATE_KEPT, name))
            {
                return false;
            }
        }
        for (int i = 0; usage != null && i < usage.count(); i++)
        {
            final boolean count = usage.isInteger(i);
            if ((count || usage.isStructure(i)) && !add(count ? USAGE_COUNT : USAGE_KEPT, usage.name(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** @return the learnt chunk's bytes outside its content, but for whitespace and the counts' digits. */
    private int around(final byte[] src, final int from, final int limit)
    {
        // The chunk was accepted as JSON (by the scan or the token reader): its only bytes up to the space are whitespace.
        int n = JsonBytes.countNonWhitespace(src, from, contentStart) + JsonBytes.countNonWhitespace(src, contentEnd, limit);
        for (int s = 1; s <= counts; s++)
        {
            n -= template.valueEnd(s) - template.valueStart(s);
        }
        return n;
    }

    private boolean add(final byte kind, final String name)
    {
        if (described == MAX_VALUES)
        {
            return false;
        }
        kinds[described] = kind;
        names[described] = name;
        described++;
        return true;
    }

    /** @return the shape of the chunk just described, built the first time such a chunk is met. */
    private EventShape shape()
    {
        for (int c = 0; c < CACHED; c++)
        {
            if (cachedShapes[c] != null &&
                Arrays.equals(cachedKinds[c], 0, cachedKinds[c].length, kinds, 0, described) &&
                Arrays.equals(cachedNames[c], 0, cachedNames[c].length, names, 0, described))
            {
                return cachedShapes[c];
            }
        }
        // Slot 0 the text; then the counts, in byte order; then the values kept verbatim.
        final EventShape.Builder b = EventShape.of(0).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text");
        for (int k = 0; k < described; k++)
        {
            if (kinds[k] == USAGE_COUNT)
            {
                // A number slot, not an integer one: a repeat only copies the count's text as written (the full
                // path captures it so), so reading it into a long was work thrown away on every chunk.
                b.number("usageMetadata", names[k]);
            }
        }
        for (int k = 0; k < described; k++)
        {
            switch (kinds[k])
            {
                case USAGE_KEPT:
                    b.literal("usageMetadata", names[k]);
                    break;
                case CANDIDATE_KEPT:
                    b.literal("candidates", EventShape.ONLY, names[k]);
                    break;
                case RESPONSE_KEPT:
                    b.literal(names[k]);
                    break;
                default:
                    break;
            }
        }
        final int c = nextCached;
        nextCached = (nextCached + 1) % CACHED;
        cachedKinds[c] = Arrays.copyOf(kinds, described);
        cachedNames[c] = Arrays.copyOf(names, described);
        cachedShapes[c] = b.build();
        return cachedShapes[c];
    }

    /** @return whether every count of the learnt chunk's usage is a value of the aggregate's usage to set. */
    private boolean resolveCounts()
    {
        counts = 0;
        final MutableRawFields fields = aggregate.usage().mutableFields();
        for (int k = 0; k < described; k++)
        {
            if (kinds[k] != USAGE_COUNT)
            {
                continue;
            }
            final MutableRawJson value = fields.get(names[k]);
            if (value == null)
            {
                return false;
            }
            if (counts == countValues.length)
            {
                countValues = Arrays.copyOf(countValues, counts * 2);
            }
            countValues[counts++] = value;
        }
        return true;
    }
}
