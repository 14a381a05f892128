package io.streamfold.aggregator.internal.dialect.openai.chat;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;
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
 * <p>It reads the common shapes only: the envelope, choices whose {@code index} comes first, a delta of role and text
 * fields (and Groq's {@code channel}), logprob entries, the finish reason, usage, Groq's {@code x_groq} and an
 * {@code error}. A chunk holding anything else (tool calls, content parts, token ids, fields before a choice's index,
 * a value of an unexpected type the token reader reports) is left to the token reader before anything is changed: the
 * members are walked twice, once to check that every value is one this class folds, then to fold them.
 */
final class ChunkScan
{
    private final OpenAiChatDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ChunkLearner learner;
    private final LogprobEntries logprobs;
    private final MutableRawFields xGroq;
    private final EventBytes bytes;
    private final int maxDepth;
    private final int maxStringBytes;
    /**
     * One per object read at once: the chunk, a choice, its delta and logprobs, a thinking part's item, a content part,
     * a logprob list, x_groq, a usage (the chunk's or x_groq's).
     */
    private final JsonMembers chunk = new JsonMembers();
    private final JsonMembers choice = new JsonMembers();
    private final JsonMembers delta = new JsonMembers();
    private final JsonMembers logprobList = new JsonMembers();
    private final JsonMembers object = new JsonMembers();
    private final JsonMembers part = new JsonMembers();
    private final JsonMembers inner = new JsonMembers();
    private final JsonMembers groq = new JsonMembers();
    private final JsonMembers usage = new JsonMembers();
    /**
     * What the check locates in the same pass: the first choice and its delta (or message), which the walks then do not
     * scan again.
     */
    private final JsonMembers.Path firstDelta =
        JsonMembers.Path.firstElement(choice, JsonMembers.Path.object(delta, "delta", "message"), "choices");
    /**
     * Where the object {@link #choice}, {@link #delta}, {@link #logprobList}, {@link #groq} and {@link #usage} hold the
     * members of starts in the chunk (-1: none of this chunk): one located by the check or read before is not read
     * again, by either walk.
     */
    private int choiceAt;
    private int deltaAt;
    private int logprobsAt;
    private int groqAt;
    private int usageAt;
    /** The scan refused a chunk of this stream: it is not tried again until the next. */
    private boolean refused;
    /** Decodes as the template matches: a string learnt from here is one the template decodes the same way. */
    private final StringDecoder text = new StringDecoder(256);
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    /** TGI's {@code object} value, which the learner notes. */
    private static final char[] TEXT_COMPLETION = "text_completion".toCharArray();
    /** The type of Mistral's thinking content part. */
    private static final char[] THINKING = "thinking".toCharArray();

    ChunkScan(final OpenAiChatDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits,
        final ChunkLearner learner, final LogprobEntries logprobs, final MutableRawFields xGroq)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.learner = learner;
        this.logprobs = logprobs;
        this.xGroq = xGroq;
        bytes = new EventBytes(limits);
        maxDepth = limits.maxNestingDepth();
        maxStringBytes = EventBytes.scanStringBytes(limits);
    }

    /** A new stream: its chunks are scanned first again. */
    void reset()
    {
        refused = false;
    }

    /**
     * Folds the chunk when the scan accepts it and it holds only what this class reads (and no chunk of the stream was
     * refused before).
     *
     * @return false, nothing changed, when the token reader must read it.
     */
    boolean read(final Frame frame)
    {
        if (refused || !bytes.scans())
        {
            return false;
        }
        bytes.load(frame);
        choiceAt = -1;
        deltaAt = -1;
        logprobsAt = -1;
        groqAt = -1;
        usageAt = -1;
        final boolean checked = bytes.checkObject(chunk, firstDelta);
        if (checked && chunk.innerAt() >= 0)
        {
            choiceAt = choice.start();
            deltaAt = choice.innerAt() >= 0 ? delta.start() : -1;
        }
        if (!checked || negativeZero(chunk) || !walk(false))
        {
            // What the scan does not read (tool calls, token ids) comes again in the stream's next unfolded chunks: the
            // token reader reads them without a scan first.
            refused = true;
            return false;
        }
        walk(true);
        return true;
    }

    /**
     * Walks the chunk's members as the dialect's {@code readChunk} does.
     *
     * @param fold false to check only that every member is one this class reads (nothing changes), true to fold them.
     * @return false when a member is not (only ever with {@code fold} false).
     */
    private boolean walk(final boolean fold)
    {
        final byte[] src = chunk.bytes();
        boolean errorSeen = false;
        for (int m = 0; m < chunk.count(); m++)
        {
            final String name = chunk.name(m);
            final byte first = chunk.first(m);
            switch (name)
            {
                case "choices":
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
                        if (negativeZero(usage))
                        {
                            return false;
                        }
                        break;
                    }
                    learner.noteUsage(JsonToken.START_OBJECT);
                    dialect.mergeUsage(usage);
                    break;
                case "x_groq":
                    if (!xGroq(src, m, fold))
                    {
                        return false;
                    }
                    break;
                case "error":
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
        if (fold)
        {
            aggregate.start();
            learner.end(src, bytes.offset(), bytes.limit() - bytes.offset(), errorSeen);
            if (errorSeen)
            {
                // As the token reader: an in-band error is the provider's last word.
                aggregate.end(Outcome.ERROR);
            }
        }
        return true;
    }

    /**
     * @return whether a member is the integer {@code -0}, which the token reader keeps as {@code 0} (its text of the
     *         number) where a byte scan keeps what was sent: such a chunk is left to the token reader.
     */
    private static boolean negativeZero(final JsonMembers members)
    {
        for (int k = 0; k < members.count(); k++)
        {
            if (negativeZero(members, k))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean negativeZero(final JsonMembers members, final int k)
    {
        final int from = members.valueStart(k);
        return members.first(k) == '-' && members.valueEnd(k) - from == 2 && members.bytes()[from + 1] == '0';
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
        if (!fold && negativeZero(object))
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
                if (!fold && negativeZero(usage))
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

    /** One choice, as {@link ChoiceReader#readChoice} reads one whose index comes first. */
    private boolean choice(final byte[] src, final int from, final int to, final boolean fold)
    {
        if (from != choiceAt)
        {
            choice.readObject(src, from, to);
            choiceAt = from;
        }
        // A plain index of at most 18 digits: a value the token reader reads as a long (anything else it reports).
        if (choice.count() == 0 || !"index".equals(choice.name(0)) || choice.valueEnd(0) - choice.valueStart(0) > 18 ||
            (!fold && negativeZero(choice)))
        {
            return false;
        }
        final long index = choice.index(0);
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
            finishReason.clear();
        }
        for (int k = 1; k < choice.count(); k++)
        {
            final String name = choice.name(k);
            final byte first = choice.first(k);
            switch (name)
            {
                case "index":
                case "text":
                    return false;
                case "delta":
                case "message":
                    if (first == '{' && !delta(src, choice.valueStart(k), choice.valueEnd(k), target, fold))
                    {
                        return false;
                    }
                    break;
                case "logprobs":
                    if (first == '{' && !logprobs(src, choice.valueStart(k), choice.valueEnd(k), target, fold))
                    {
                        return false;
                    }
                    break;
                case "token_ids":
                    if (first != 'n')
                    {
                        return false;
                    }
                    break;
                case "finish_reason":
                    if (first == 'n')
                    {
                        break;
                    }
                    if (fold)
                    {
                        learner.refuse();
                        if (first == '"' && choice.decodeString(k, text) >= 0)
                        {
                            finishReason.set(text.chars(), 0, text.length(), limits.maxTextChars());
                        }
                    }
                    break;
                default:
                    if (fold)
                    {
                        dialect.captureKeepingNonEmpty(target.extra(), name, choice, k);
                    }
            }
        }
        if (fold && finishReason.length() > 0)
        {
            aggregate.finish(target, finishReason.array(), 0, finishReason.length());
        }
        return true;
    }

    /** A choice's delta, as {@link ChoiceReader}'s {@code readDelta} reads one of role and text fields. */
    private boolean delta(final byte[] src, final int from, final int to, final MutableChoice target, final boolean fold)
    {
        if (from != deltaAt)
        {
            delta.readObject(src, from, to);
            deltaAt = from;
        }
        boolean reasoningSeen = false;
        for (int k = 0; k < delta.count(); k++)
        {
            final String name = delta.name(k);
            final byte first = delta.first(k);
            switch (name)
            {
                case "role":
                    if (fold && first == '"' && delta.decodeString(k, text) > 0)
                    {
                        target.role().set(text.chars(), 0, text.length(), limits.maxTextChars());
                    }
                    break;
                case "content":
                    if (first == '"')
                    {
                        appendText(src, delta, k, target, MutablePart.Kind.TEXT, name, null, fold);
                    }
                    else
                    {
                        if (fold)
                        {
                            learner.noteTextFieldBeside();
                        }
                        if (first == '[' && !contentParts(src, k, target, fold))
                        {
                            return false;
                        }
                    }
                    break;
                case "refusal":
                    if (first == '"')
                    {
                        appendText(src, delta, k, target, MutablePart.Kind.REFUSAL, name, null, fold);
                    }
                    else if (fold)
                    {
                        learner.noteTextFieldBeside();
                    }
                    break;
                case "reasoning_content":
                case "reasoning":
                    // Some servers send the same reasoning under both names in one delta: take the first.
                    if (first == '"' && !reasoningSeen)
                    {
                        reasoningSeen = true;
                        appendText(src, delta, k, target, MutablePart.Kind.REASONING, name, name, fold);
                    }
                    else if (fold)
                    {
                        learner.noteTextFieldBeside();
                    }
                    break;
                case "tool_calls":
                    if (first == '[')
                    {
                        return false;
                    }
                    break;
                case "function_call":
                    if (first == '{')
                    {
                        return false;
                    }
                    if (fold && first != 'n')
                    {
                        learner.refuse();
                    }
                    break;
                case "channel":
                    if (!fold && negativeZero(delta, k))
                    {
                        return false;
                    }
                    // Groq repeats the channel on every delta: a state (ChoiceReader).
                    if (fold && !target.messageExtra().replace(name, delta, k, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                default:
                    // token_id and unknown fields: only null, which changes nothing, is read here.
                    if (first != 'n')
                    {
                        return false;
                    }
            }
        }
        return true;
    }

    /**
     * Appends the string member {@code k} of a delta or content part as {@link ChoiceReader} does, noting it to the
     * learner (when folding).
     *
     * @param name     the delta field holding it, or null in a content part.
     * @param typeName the name a new part of it is typed by (reasoning), or null.
     */
    private void appendText(final byte[] src, final JsonMembers members, final int k, final MutableChoice target,
        final MutablePart.Kind kind, final String name, final String typeName, final boolean fold)
    {
        // A string the check accepted always decodes (StringDecoder refuses only what JsonBytes refuses).
        final int quote = members.valueStart(k);
        if (fold && text.decode(src, quote + 1, members.valueEnd(k)) >= 0)
        {
            learner.noteScannedText(quote, target, kind, name);
            final MutablePart last = target.lastPart();
            aggregate.appendText(target, kind, text.chars(), 0, text.length());
            if (typeName != null && target.lastPart() != last && target.lastPart() != null)
            {
                target.lastPart().type().set(typeName, 64);
            }
        }
    }

    /**
     * Mistral's typed content parts, as {@link ChoiceReader}'s {@code readContentParts}: text parts, and thinking parts
     * holding text parts of their own (or a string). An element that is not an object is left to the token reader.
     */
    private boolean contentParts(final byte[] src, final int k, final MutableChoice target, final boolean fold)
    {
        final int to = delta.valueEnd(k);
        int e = JsonMembers.firstElement(src, delta.valueStart(k), to);
        while (e < to && src[e] != ']')
        {
            if (src[e] != '{')
            {
                return false;
            }
            part.readObject(src, e, to);
            MutablePart.Kind kind = MutablePart.Kind.TEXT;
            for (int p = 0; p < part.count(); p++)
            {
                final String name = part.name(p);
                final byte first = part.first(p);
                if ("type".equals(name) && first == '"')
                {
                    kind = part.decodeString(p, text) >= 0 && decoded(THINKING) ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT;
                }
                else if ("text".equals(name) && first == '"')
                {
                    appendText(src, part, p, target, kind, null, null, fold);
                }
                else if ("thinking".equals(name) && first == '[')
                {
                    if (!thinking(src, p, target, fold))
                    {
                        return false;
                    }
                }
                else if ("thinking".equals(name) && first == '"')
                {
                    appendText(src, part, p, target, MutablePart.Kind.REASONING, null, null, fold);
                }
            }
            e = JsonMembers.nextElement(src, part.end(), to);
        }
        return true;
    }

    /** A thinking part's array of text parts: each one's {@code text} string is reasoning. */
    private boolean thinking(final byte[] src, final int p, final MutableChoice target, final boolean fold)
    {
        final int to = part.valueEnd(p);
        int t = JsonMembers.firstElement(src, part.valueStart(p), to);
        while (t < to && src[t] != ']')
        {
            if (src[t] != '{')
            {
                return false;
            }
            object.readObject(src, t, to);
            for (int q = 0; q < object.count(); q++)
            {
                if ("text".equals(object.name(q)) && object.first(q) == '"')
                {
                    appendText(src, object, q, target, MutablePart.Kind.REASONING, null, null, fold);
                }
            }
            t = JsonMembers.nextElement(src, object.end(), to);
        }
        return true;
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
            if ((!refusal && !"content".equals(name)) || object.first(k) != '[')
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
