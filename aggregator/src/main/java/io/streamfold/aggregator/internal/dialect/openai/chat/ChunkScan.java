package io.streamfold.aggregator.internal.dialect.openai.chat;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.dialect.ScanFirstReader;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.MemberPath;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.Frame;

/**
 * The full path's scan-first reader of a chunk the template did not fold (a stream's first chunks, a new kind of text,
 * the finish, usage and error chunks): one strict byte scan ({@link EventBytes#checkObject}, which accepts only what
 * the token reader accepts too) locates its members, and the chunk is folded from them exactly as
 * {@link OpenAiChatDialect}'s token reader and {@link ChoiceReader} fold it, member by member in the same order, with
 * the same notes to the {@link ChunkLearner}; opaque values (usage, an error, unknown fields) are kept as bytes without
 * being tokenized. On a stream of ~100 chunks the few read in full cost a third of the fold through the token reader
 * (UTF-8 and syntax check, then the parser).
 *
 * <p>It reads the common shapes only: the envelope, choices (a delta before the index too), a delta of role and text
 * fields (Mistral's content parts, Groq's {@code channel}, a {@code token_id}, tool-call fragments), Together's
 * choice-level {@code text} beside a delta, vLLM's {@code token_ids}, logprob entries, the finish reason, usage, Groq's
 * {@code x_groq} and an {@code error}. A chunk holding anything else (a legacy function call, token ids that are not all
 * plain integers, other fields before a choice's index, a value of an unexpected type the token reader reports) is left
 * to the token reader before anything is changed ({@link ScanFirstReader}): what the scan does not read comes again in
 * the stream's next unfolded chunks, which the token reader then reads without a scan first.
 */
final class ChunkScan extends ScanFirstReader
{
    private final OpenAiChatDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ChunkLearner learner;
    private final LogprobEntries logprobs;
    private final MutableRawFields xGroq;
    /** Azure's per-choice filter results, folded as the token reader folds them. */
    private final FilterResults filterResults;
    /**
     * One per object read at once: the chunk, a choice, its logprobs, a logprob list, x_groq, a usage (the chunk's or
     * x_groq's). The delta's are {@link #delta}'s.
     */
    private final JsonMembers chunk = new JsonMembers();
    private final JsonMembers choice = new JsonMembers();
    private final JsonMembers logprobList = new JsonMembers();
    private final JsonMembers inner = new JsonMembers();
    private final JsonMembers groq = new JsonMembers();
    private final JsonMembers usage = new JsonMembers();
    /**
     * What the check locates in the same pass: the first choice and its delta (or message), which the walks then do not
     * scan again.
     */
    private final MemberPath firstDelta;
    private final DeltaScan delta;
    /**
     * Where the object {@link #choice}, {@link #logprobList}, {@link #groq} and {@link #usage} hold the
     * members of starts in the chunk (-1: none of this chunk): one located by the check or read before is not read
     * again, by either walk.
     */
    private int choiceAt;
    private int logprobsAt;
    private int groqAt;
    private int usageAt;
    /** How many bytes opening the chunk {@link RepeatedEnvelope} passed over as repeated. */
    private int passedOver;
    /** Decodes as the template matches: a string learnt from here is one the template decodes the same way. */
    private final StringDecoder text = new StringDecoder(256);
    /** What the members passed over as repeated were ({@link RepeatedEnvelope}), for the learner. */
    private final RepeatedEnvelope.Passed passed = new RepeatedEnvelope.Passed();
    /** The longest string the token reader accepts, which limits a repeated value passed over. */
    private final int maxEnvelopeChars;
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    /** TGI's {@code object} value, which the learner notes. */
    private static final char[] TEXT_COMPLETION = "text_completion".toCharArray();

    ChunkScan(final OpenAiChatDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits,
        final ChunkLearner learner, final LogprobEntries logprobs, final MutableRawFields xGroq, final ToolCallDecoder toolCalls,
        final FilterResults filterResults)
    {
        super(limits);
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.learner = learner;
        this.logprobs = logprobs;
        this.xGroq = xGroq;
        this.filterResults = filterResults;
        maxEnvelopeChars = JsonReader.maxStringChars(limits);
        delta = new DeltaScan(aggregate, limits, learner, toolCalls);
        firstDelta = MemberPath.firstElement(choice, MemberPath.object(delta.members(), "delta", "message"),
            "choices");
    }

    /** Checks the chunk after the members that repeat the response's identity, locating its first choice and delta. */
    @Override
    protected boolean check()
    {
        choiceAt = -1;
        delta.located(-1);
        logprobsAt = -1;
        groqAt = -1;
        usageAt = -1;
        // The members that repeat the response's identity as kept (all but the choices of most chunks) would change
        // nothing: passed over unchecked, as the token reader passes over them.
        // Before the stream's first chunk every member is read: one passed over could be what makes it one.
        passedOver = dialect.chunkSeen() ? RepeatedEnvelope.skippable(bytes.array(), bytes.offset(), bytes.limit(),
            aggregate.meta(), limits.maxNumberLength(), maxEnvelopeChars, passed) : 0;
        final boolean checked = bytes.checkObjectAfter(chunk, firstDelta, passedOver);
        if (checked && chunk.innerAt() >= 0)
        {
            choiceAt = choice.start();
            delta.located(choice.innerAt() >= 0 ? delta.members().start() : -1);
        }
        return checked && !chunk.holdsNegativeZero();
    }

    @Override
    protected void fold(final Frame frame)
    {
        // What reading the members passed over would have told the learner (a TGI chunk's kind, its creation time).
        if (passedOver > 0 && passed.textCompletion)
        {
            learner.noteObject(true);
        }
        if (passedOver > 0 && passed.created)
        {
            learner.noteCreatedRepeated();
        }
        walk(true);
    }

    /**
     * Walks the chunk's members as the dialect's {@code readChunk} does.
     */
    @Override
    protected boolean walk(final boolean fold)
    {
        final byte[] src = chunk.bytes();
        boolean errorSeen = false;
        boolean recognised = false;
        for (int m = 0; m < chunk.count(); m++)
        {
            final String name = chunk.name(m);
            final byte first = chunk.first(m);
            switch (name)
            {
                case "choices":
                    recognised = true;
                    if (fold)
                    {
                        aggregate.start();
                    }
                    if (first == '[' && !choices(src, m, fold))
                    {
                        return false;
                    }
                    break;
                case "usage":
                    recognised = true;
                    if (first == 'n')
                    {
                        break;
                    }
                    if (first != '{')
                    {
                        return false;
                    }
                    readUsage(src, chunk.valueStart(m), chunk.valueEnd(m));
                    if (!fold)
                    {
                        if (usage.holdsNegativeZero())
                        {
                            return false;
                        }
                        break;
                    }
                    learner.noteUsage(JsonToken.START_OBJECT);
                    dialect.mergeUsage(usage);
                    break;
                case "x_groq":
                    recognised = true;
                    if (!xGroq(src, m, fold))
                    {
                        return false;
                    }
                    break;
                case "error":
                    recognised = true;
                    if (first != 'n')
                    {
                        if (fold)
                        {
                            learner.refuse();
                            final MutableRawJson slot = aggregate.providerErrorSlot();
                            chunk.capture(m, slot, limits.maxRawBytes());
                            aggregate.providerErrorReported();
                        }
                        errorSeen = true;
                    }
                    break;
                case "object":
                    recognised = true;
                    if (fold)
                    {
                        learner.noteObject(first == '"' && text.decode(src, chunk.valueStart(m) + 1, chunk.valueEnd(m)) >= 0 &&
                            decoded(TEXT_COMPLETION));
                    }
                    break;
                case "created":
                    if (fold)
                    {
                        created(src, m);
                    }
                    break;
                default:
                    if (fold)
                    {
                        if (learner.watchesValues())
                        {
                            final int quote = chunk.valueStart(m);
                            learner.noteScannedValue(name,
                                first == '"' && text.decode(src, quote + 1, chunk.valueEnd(m)) >= 0 ? quote : -1);
                        }
                        keep(name, src, m);
                    }
            }
        }
        if (fold && dialect.chunkRead(recognised))
        {
            aggregate.start();
            learner.end(src, bytes.offset(), bytes.limit() - bytes.offset(), errorSeen, true);
            if (errorSeen)
            {
                // As the token reader: an in-band error is the provider's last word.
                aggregate.end(Outcome.ERROR);
            }
        }
        return true;
    }

    /** @return whether {@link #text} holds {@code chars}. */
    private boolean decoded(final char[] chars)
    {
        return java.util.Arrays.equals(text.chars(), 0, text.length(), chars, 0, chars.length);
    }

    private void created(final byte[] src, final int m)
    {
        final int from = chunk.valueStart(m);
        final int to = chunk.valueEnd(m);
        final boolean integer = chunk.isInteger(m);
        // Azure's filter-only chunks say "created": 0 beside an empty id and model: a placeholder.
        if (integer && to - from == 1 && src[from] == '0' && aggregate.meta().has("created"))
        {
            return;
        }
        final MutableRawJson kept = aggregate.meta().get("created");
        learner.noteScannedCreated(integer, kept, src, from, to);
        if (!repeats(kept, src, from, to))
        {
            dialect.captureKeepingNonEmpty(aggregate.meta(), kept, "created", chunk, m);
        }
    }

    /**
     * Keeps a top-level member as metadata; one repeating, plainly written, the value kept now is passed over (keeping
     * it again would change nothing, as {@link RepeatedEnvelope} finds for the token reader): the response's identity
     * in every chunk.
     */
    private void keep(final String name, final byte[] src, final int m)
    {
        final MutableRawJson kept = aggregate.meta().get(name);
        if (!repeats(kept, src, chunk.valueStart(m), chunk.valueEnd(m)))
        {
            dialect.captureKeepingNonEmpty(aggregate.meta(), kept, name, chunk, m);
        }
    }

    /** @return whether the value {@code src[from, to)}, without an escape, is the one {@code kept}. */
    private static boolean repeats(final MutableRawJson kept, final byte[] src, final int from, final int to)
    {
        if (kept == null)
        {
            return false;
        }
        // Compared byte for character: an escaped backslash could equal a kept backslash pair it does not decode to.
        for (int k = from; k < to; k++)
        {
            if (src[k] == '\\')
            {
                return false;
            }
        }
        return RepeatedEnvelope.kept(kept, src, from, to);
    }

    /** Locates the members of a usage object in {@link #usage}, unless they are located there already. */
    private void readUsage(final byte[] src, final int from, final int to)
    {
        if (from != usageAt)
        {
            usage.readObject(src, from, to);
            usageAt = from;
        }
    }

    /** Groq's {@code x_groq}: its usage merged, its other fields kept. */
    private boolean xGroq(final byte[] src, final int m, final boolean fold)
    {
        if (fold)
        {
            learner.refuse();
        }
        if (chunk.first(m) != '{')
        {
            return true;
        }
        final JsonMembers object = groq;
        if (chunk.valueStart(m) != groqAt)
        {
            object.readObject(src, chunk.valueStart(m), chunk.valueEnd(m));
            groqAt = chunk.valueStart(m);
        }
        if (!fold && object.holdsNegativeZero())
        {
            return false;
        }
        for (int k = 0; k < object.count(); k++)
        {
            final String name = object.name(k);
            if ("usage".equals(name))
            {
                final byte first = object.first(k);
                if (first == 'n')
                {
                    continue;
                }
                if (first != '{')
                {
                    return false;
                }
                readUsage(src, object.valueStart(k), object.valueEnd(k));
                if (!fold && usage.holdsNegativeZero())
                {
                    return false;
                }
                if (fold)
                {
                    dialect.mergeUsage(usage);
                }
            }
            else if (fold)
            {
                dialect.captureKeepingNonEmpty(xGroq, name, object, k);
            }
        }
        return true;
    }

    private boolean choices(final byte[] src, final int m, final boolean fold)
    {
        // Element by element: each choice is scanned once per walk at most, by the read that locates its members.
        final int to = chunk.valueEnd(m);
        int e = JsonMembers.firstElement(src, chunk.valueStart(m), to);
        while (e < to && src[e] != ']')
        {
            if (src[e] != '{' || !choice(src, e, to, fold))
            {
                return false;
            }
            e = JsonMembers.nextElement(src, choice.end(), to);
        }
        return true;
    }

    /**
     * One choice, as {@link ChoiceReader#readChoice} reads it: its members in order, a delta sent before the index
     * (Qwen's order) after all of them, as the token reader replays the delta it kept. Before the index only what that
     * reader keeps for later without effect may come (a delta, the finish reason, the text, null logprobs or token
     * ids); anything else there, or a second index, is left to it.
     */
    private boolean choice(final byte[] src, final int from, final int to, final boolean fold)
    {
        if (from != choiceAt)
        {
            choice.readObject(src, from, to);
            choiceAt = from;
        }
        final int at = indexMember(choice);
        if (at < 0 || (!fold && choice.holdsNegativeZero()) || hasMember(choice, "message"))
        {
            // A message (a server's in place of the delta, or Writer's beside it) is left to the token reader, which
            // reads it after the choice's other members, once it knows whether a delta came too.
            return false;
        }
        int deferred = -1;
        for (int k = 0; k < at; k++)
        {
            final String name = choice.name(k);
            final byte first = choice.first(k);
            if ("delta".equals(name) || "message".equals(name))
            {
                if (first != 'n')
                {
                    if (deferred >= 0)
                    {
                        return false;
                    }
                    deferred = k;
                }
            }
            else if (!"finish_reason".equals(name) && !"text".equals(name) &&
                !(first == 'n' && ("logprobs".equals(name) || "token_ids".equals(name))))
            {
                return false;
            }
        }
        final long index = choice.plainIndex(at);
        if (index < 0)
        {
            return false;
        }
        MutableChoice target = null;
        if (fold)
        {
            target = aggregate.choiceForIndex(index);
            if (target == null)
            {
                // Past a limit (reported): the token reader skips the rest of the choice.
                return true;
            }
            learner.noteScannedChoiceIndex(choice.valueStart(at), choice.valueEnd(at));
            finishReason.clear();
        }
        for (int k = 0; k < choice.count(); k++)
        {
            if (k != at && k != deferred && !member(src, k, target, fold))
            {
                return false;
            }
        }
        if (deferred >= 0 && choice.first(deferred) == '{' &&
            !delta.read(src, choice.valueStart(deferred), choice.valueEnd(deferred), target, fold))
        {
            return false;
        }
        if (fold && finishReason.length() > 0)
        {
            aggregate.finish(target, finishReason.array(), 0, finishReason.length());
        }
        return true;
    }

    /**
     * vLLM's {@code token_ids} of a choice, as {@link ChoiceReader} reads them: each an integer the scan reads exactly,
     * else the array is left to the token reader.
     */
    private boolean tokenIds(final byte[] src, final int k, final MutableChoice target, final boolean fold)
    {
        final int to = choice.valueEnd(k);
        if (fold)
        {
            learner.noteScannedTokenIds();
        }
        int e = JsonMembers.firstElement(src, choice.valueStart(k), to);
        while (e < to && src[e] != ']')
        {
            final int end = JsonMembers.skip(src, e, to);
            final long id = JsonBytes.integerValue(src, e, end);
            if (id == JsonBytes.NOT_AN_INTEGER)
            {
                return false;
            }
            if (fold)
            {
                aggregate.tokenId(target, id);
            }
            e = JsonMembers.nextElement(src, end, to);
        }
        return true;
    }

    /** @return where the choice's one {@code index} member is, or -1 when it has none or more than one. */
    static int indexMember(final JsonMembers choice)
    {
        int at = -1;
        for (int k = 0; k < choice.count(); k++)
        {
            if ("index".equals(choice.name(k)))
            {
                if (at >= 0)
                {
                    return -1;
                }
                at = k;
            }
        }
        return at;
    }

    /** Member {@code k} of a choice other than its index and a delta sent before it. */
    private boolean member(final byte[] src, final int k, final MutableChoice target, final boolean fold)
    {
        final String name = choice.name(k);
        final byte first = choice.first(k);
        switch (name)
        {
            case "text":
                // Together repeats each token as the choice's text beside its delta, which the token reader then
                // ignores; a choice without a delta (the legacy completions shape) takes it as content, there.
                if (first == '"')
                {
                    if (!hasDelta(choice))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        learner.noteChoiceText(JsonToken.VALUE_STRING);
                    }
                }
                return true;
            case "delta":
            case "message":
                if (fold)
                {
                    dialect.deltaChoice();
                }
                return first != '{' || delta.read(src, choice.valueStart(k), choice.valueEnd(k), target, fold);
            case "logprobs":
                return first != '{' || logprobs(src, choice.valueStart(k), choice.valueEnd(k), target, fold);
            case "token_ids":
                return first == 'n' || first == '[' && tokenIds(src, k, target, fold);
            case "finish_reason":
                if (first != 'n' && fold)
                {
                    learner.refuse();
                    if (first == '"' && choice.decodeString(k, text) >= 0)
                    {
                        finishReason.set(text.chars(), 0, text.length(), limits.maxTextChars());
                    }
                }
                return true;
            default:
                if (!fold)
                {
                    return true;
                }
                learner.noteChoiceMember();
                if (FilterResults.NAME.equals(name))
                {
                    filterResults.fold(target.extra(), choice, k);
                }
                else
                {
                    dialect.captureKeepingNonEmpty(target.extra(), name, choice, k);
                }
                return true;
        }
    }

    /** @return whether the choice has a delta or message member, whatever its value (as the token reader counts one). */
    private static boolean hasDelta(final JsonMembers choice)
    {
        return hasMember(choice, "delta") || hasMember(choice, "message");
    }

    private static boolean hasMember(final JsonMembers choice, final String name)
    {
        for (int k = 0; k < choice.count(); k++)
        {
            if (name.equals(choice.name(k)))
            {
                return true;
            }
        }
        return false;
    }

    /** A choice's logprobs object, as {@link ChoiceReader}'s {@code readLogprobs}: its entries scanned and kept. */
    private boolean logprobs(final byte[] src, final int from, final int to, final MutableChoice target, final boolean fold)
    {
        final JsonMembers object = logprobList;
        if (from != logprobsAt)
        {
            object.readObject(src, from, to);
            logprobsAt = from;
        }
        for (int k = 0; k < object.count(); k++)
        {
            final String name = object.name(k);
            final boolean refusal = "refusal".equals(name);
            if (!refusal && !"content".equals(name))
            {
                if (object.first(k) != 'n')
                {
                    // Another member (a legacy completion's token arrays) is folded by the token reader.
                    return false;
                }
                continue;
            }
            if (object.first(k) != '[')
            {
                continue;
            }
            inner.readArray(src, object.valueStart(k), object.valueEnd(k));
            final MutableRawList list = fold ? (refusal ? target.refusalLogprobs() : target.contentLogprobs()) : null;
            if (fold)
            {
                list.markPresent();
            }
            for (int e = 0; e < inner.count(); e++)
            {
                final int start = inner.valueStart(e);
                final int end = inner.valueEnd(e);
                // An entry within the chunk, object, choices, choice, logprobs and list: six levels deep.
                if (inner.first(e) != '{' || logprobs.valueEnd(src, start, end, maxDepth - 5, maxStringBytes) != end)
                {
                    return false;
                }
                if (fold)
                {
                    learner.noteScannedLogprobEntry(refusal);
                    logprobs.keepScanned(src, start, end, target, refusal, list);
                }
            }
        }
        if (fold)
        {
            target.logprobsSeen();
        }
        return true;
    }
}
