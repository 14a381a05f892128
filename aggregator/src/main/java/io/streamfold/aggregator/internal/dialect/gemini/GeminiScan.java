package io.streamfold.aggregator.internal.dialect.gemini;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.dialect.ScanFirstReader;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.MemberPath;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;

/**
 * Reads a Gemini chunk the repeated-chunk fast path did not fold from its bytes, as {@link GeminiDialect#onFrame} reads
 * it with the token reader, when it holds only what this reader reads: candidates of text, thought, call and kept parts
 * and their citations, usage, and fields kept whole. A stream's first and last chunks (usage and finish reason), and
 * every chunk of the short streams most answers are, were otherwise read token by token twice over (a syntax check,
 * then Jackson's parser).
 *
 * <p>The chunk is checked whole and its members located in one pass, the first candidate, its content and its first
 * part with it; any other object whose members are read is checked again on its own, so that no name written with
 * escapes is read here (the token reader decodes names its own way). Anything the token reader would report, refuse or
 * read otherwise than the bytes say (an error, a blocked prompt, a value over a limit, an index that is not one,
 * {@code -0}, a citation source that is not an object) leaves the chunk to it, nothing changed.
 * Off with the fast path, so the tests that compare the two paths compare this reader with the token reader.
 */
final class GeminiScan extends ScanFirstReader
{
    /** {@link #usageCheckedAt} when the check walk checked more than one usage object. */
    private static final int NONE = -2;

    private final GeminiDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final StringDecoder strings = new StringDecoder(256);

    // The chunk's members; the first candidate, its content and first part as the chunk's check located them.
    private final JsonMembers chunk = new JsonMembers();
    private final JsonMembers candidate = new JsonMembers();
    private final JsonMembers content = new JsonMembers();
    private final JsonMembers part = new JsonMembers();
    private final MemberPath firstCandidate;
    // Any other candidate, content, part, and the usage: checked on their own when read.
    private final JsonMembers otherCandidate = new JsonMembers();
    private final JsonMembers otherContent = new JsonMembers();
    private final JsonMembers otherPart = new JsonMembers();
    private final JsonMembers usage = new JsonMembers();
    /** A candidate's citations, checked on their own when read, and the elements of their sources. */
    private final JsonMembers citations = new JsonMembers();
    private final JsonMembers sources = new JsonMembers();
    /** What the fold walk met: the chunk's first candidate's members, and its usage's (null when none). */
    private JsonMembers foldedCandidate;
    private JsonMembers foldedUsage;
    /**
     * The chunk's usage member the check walk checked (-1 when none, {@link #NONE} when more than one), whose
     * members the fold walk then reads without checking them again.
     */
    private int usageCheckedAt;

    GeminiScan(final GeminiDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(limits);
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        firstCandidate = MemberPath.firstElement(candidate,
            MemberPath.object(content, MemberPath.firstElement(part, null, "parts"), "content"), "candidates");
    }

    /** Off with the dialect's fast path, so that the tests comparing the two paths compare this reader with the token reader. */
    @Override
    protected boolean enabled()
    {
        return dialect.scans();
    }

    /** Checks the chunk whole, locating its first candidate, that candidate's content and first part. */
    @Override
    protected boolean check()
    {
        usageCheckedAt = -1;
        return bytes.checkObject(chunk, firstCandidate);
    }

    @Override
    protected void fold(final Frame frame) throws JsonReader.BadPayload
    {
        final GeminiFastPath fastPath = dialect.fastPath();
        fastPath.begin();
        foldedCandidate = null;
        foldedUsage = null;
        walk(true);
        aggregate.start();
        fastPath.end(frame.buffer(), frame.offset(), frame.length(), chunk, foldedCandidate, foldedUsage, bytes.offset());
    }

    /**
     * Walks the chunk's members as {@link GeminiDialect#onFrame} does.
     */
    @Override
    protected boolean walk(final boolean fold) throws JsonReader.BadPayload
    {
        final byte[] src = chunk.bytes();
        final int limit = bytes.limit();
        final GeminiFastPath fastPath = dialect.fastPath();
        boolean candidates = false;
        boolean feedback = false;
        for (int m = 0; m < chunk.count(); m++)
        {
            final String name = chunk.name(m);
            final byte first = chunk.first(m);
            switch (name)
            {
                case "candidates":
                    if (first != '[')
                    {
                        break;
                    }
                    boolean located = m == chunk.innerAt();
                    for (int at = JsonMembers.firstElement(src, chunk.valueStart(m), limit); src[at] != ']'; )
                    {
                        final JsonMembers c = object(src, at, limit, located, candidate, otherCandidate);
                        if (c == null)
                        {
                            return false;
                        }
                        candidates = true;
                        if (fold)
                        {
                            fastPath.candidate();
                            if (foldedCandidate == null)
                            {
                                foldedCandidate = c;
                            }
                        }
                        if (!candidate(c, located, fold))
                        {
                            return false;
                        }
                        located = false;
                        at = JsonMembers.nextElement(src, c.end(), limit);
                    }
                    break;
                case "usageMetadata":
                    if (fold)
                    {
                        fastPath.usage(first == '{');
                    }
                    if (first == 'n')
                    {
                        break;
                    }
                    // Checked by the check walk; the fold walk finds its members still there unless a second usage
                    // object was checked after it (the token reader merges both; so does the fold walk).
                    if (first != '{' || (!fold || usageCheckedAt != m) &&
                        (usage.checkObjectAt(src, chunk.valueStart(m), limit, maxDepth, maxStringBytes) < 0 ||
                        usage.holdsNegativeZero()))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        dialect.mergeUsage(usage);
                        foldedUsage = usage;
                    }
                    else
                    {
                        usageCheckedAt = usageCheckedAt == -1 ? m : NONE;
                    }
                    break;
                case "error":
                    if (first != 'n')
                    {
                        return false;
                    }
                    break;
                case "promptFeedback":
                    // Kept as any other field; a blocked prompt (feedback, no candidate, no choice yet) is read by the
                    // token reader, which finishes a choice with the block reason.
                    feedback |= first == '{';
                    if (fold)
                    {
                        fastPath.notLearnable();
                        dialect.captureKeepingNonEmpty(aggregate.meta(), name, chunk, m);
                    }
                    else if (chunk.isNegativeZero(m))
                    {
                        return false;
                    }
                    break;
                default:
                    if (chunk.isNegativeZero(m))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        dialect.captureKeepingNonEmpty(aggregate.meta(), name, chunk, m);
                    }
            }
        }
        return !(feedback && !candidates && aggregate.choiceCount() == 0);
    }

    /**
     * One candidate, as {@code readCandidate}: its index may follow its content, so the content is read once its
     * members are all known.
     *
     * @param located whether {@code c} is the chunk's first candidate, whose content and first part its check located.
     */
    private boolean candidate(final JsonMembers c, final boolean located, final boolean fold) throws JsonReader.BadPayload
    {
        long index = 0;
        int contentAt = -1;
        int citationsAt = -1;
        final GeminiFastPath fastPath = dialect.fastPath();
        if (fold)
        {
            dialect.pendingExtra().clear();
            dialect.finishReason().clear();
        }
        for (int k = 0; k < c.count(); k++)
        {
            final String name = c.name(k);
            final byte first = c.first(k);
            switch (name)
            {
                case "index":
                    index = c.index(k);
                    if (index < 0)
                    {
                        // Not an index: reported by the token reader.
                        return false;
                    }
                    break;
                case "content":
                    if (first == '{')
                    {
                        if (c.valueEnd(k) - c.valueStart(k) > limits.maxRawBytes())
                        {
                            return false;
                        }
                        contentAt = k;
                    }
                    break;
                case "citationMetadata":
                    // As the token reader: the last object sent is read once the candidate's members are known.
                    if (fold)
                    {
                        fastPath.notLearnable();
                    }
                    if (first == '{')
                    {
                        if (c.valueEnd(k) - c.valueStart(k) > limits.maxRawBytes())
                        {
                            return false;
                        }
                        citationsAt = k;
                    }
                    break;
                case "finishReason":
                    if (first == '"' && !dialect.parts().keepText(c, k, strings, dialect.finishReason(), fold))
                    {
                        return false;
                    }
                    break;
                default:
                    if (c.isNegativeZero(k))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        dialect.captureKeepingNonEmpty(dialect.pendingExtra(), name, c, k);
                    }
            }
        }
        final MutableChoice choice;
        if (fold)
        {
            choice = dialect.candidateChoice(index);
            if (choice == null)
            {
                return true;
            }
        }
        else
        {
            choice = null;
        }
        if (contentAt >= 0 && !content(c, contentAt, located, choice, fold))
        {
            return false;
        }
        if (citationsAt >= 0 && !citations(c, citationsAt, choice, fold))
        {
            return false;
        }
        if (fold)
        {
            dialect.endCandidate(choice);
        }
        return true;
    }

    /**
     * @return the members of the object at {@code from}: {@code located}'s when the chunk's check located them, else
     *         {@code other}'s, checked now (no escaped name read); null when it is not an object or the check refuses it.
     */
    private JsonMembers object(final byte[] src, final int from, final int limit, final boolean isLocated, final JsonMembers located,
        final JsonMembers other)
    {
        if (src[from] != '{')
        {
            return null;
        }
        return isLocated ? located : other.checkObjectAt(src, from, limit, maxDepth, maxStringBytes) < 0 ? null : other;
    }

    /**
     * The candidate's citations, member {@code k} of {@code c}, as {@code GeminiDialect.readCitations}: every
     * {@code citationSources} array's elements added to the choice's. Elements that are not objects or arrays are left to
     * the token reader (a scalar is kept as its text there, {@code -0} as {@code 0}).
     */
    private boolean citations(final JsonMembers c, final int k, final MutableChoice choice, final boolean fold)
    {
        final byte[] src = c.bytes();
        final int limit = bytes.limit();
        if (citations.checkObjectAt(src, c.valueStart(k), limit, maxDepth, maxStringBytes) < 0)
        {
            return false;
        }
        for (int m = 0; m < citations.count(); m++)
        {
            if (!GeminiDialect.CITATION_SOURCES.equals(citations.name(m)) || citations.first(m) != '[')
            {
                continue;
            }
            if (!fold)
            {
                sources.readArray(src, citations.valueStart(m), citations.valueEnd(m));
                for (int e = 0; e < sources.count(); e++)
                {
                    if (sources.first(e) != '{' && sources.first(e) != '[')
                    {
                        return false;
                    }
                }
            }
            else if (!choice.messageExtra().fold(GeminiDialect.CITATION_SOURCES, citations, m, sources, strings, limits))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "citation sources dropped: limit");
            }
        }
        return true;
    }

    /** The candidate's content, member {@code k} of {@code c}: its role and parts. */
    private boolean content(final JsonMembers c, final int k, final boolean located, final MutableChoice choice, final boolean fold)
        throws JsonReader.BadPayload
    {
        final byte[] src = c.bytes();
        final int limit = bytes.limit();
        // The located content is the one the check met first: a later "content" member is checked on its own.
        final boolean contentLocated = located && k == c.innerAt();
        final JsonMembers into = object(src, c.valueStart(k), limit, contentLocated, content, otherContent);
        if (into == null)
        {
            return false;
        }
        final int partsLocated = contentLocated ? into.innerAt() : -1;
        for (int m = 0; m < into.count(); m++)
        {
            final String name = into.name(m);
            final byte first = into.first(m);
            if ("role".equals(name) && first == '"' && fold)
            {
                // As the token reader: a role over the limit is not kept, and not reported.
                final int length = into.decodeString(m, strings);
                if (length > 0)
                {
                    choice.role().set(strings.chars(), 0, length, limits.maxTextChars());
                }
            }
            else if ("parts".equals(name) && first == '[')
            {
                boolean partLocated = m == partsLocated;
                for (int at = JsonMembers.firstElement(src, into.valueStart(m), limit); src[at] != ']'; )
                {
                    final JsonMembers p = object(src, at, limit, partLocated, part, otherPart);
                    if (p == null)
                    {
                        return false;
                    }
                    partLocated = false;
                    if (fold)
                    {
                        dialect.fastPath().part();
                    }
                    if (!dialect.parts().readPart(p, strings, choice, fold))
                    {
                        return false;
                    }
                    at = JsonMembers.nextElement(src, p.end(), limit);
                }
            }
        }
        return true;
    }
}
