package io.streamfold.aggregator.internal.dialect.openai.chat;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * One element of a chunk's {@code choices}: its index in any field order (values that come before it are
 * captured and read once it is known), the delta's text, reasoning, refusal and tool calls, token ids,
 * logprobs, the finish reason, and whatever else the choice carries, kept raw. Each step is reported to the
 * {@link ChunkLearner}, which decides whether the chunk can be learnt for the fast path.
 */
final class ChoiceReader
{
    /**
     * Groq's compound models list the tools they ran under this delta field, keyed by index, each entry sent whole
     * again with the tool's output (its arguments repeated): entries are replaced, never joined.
     */
    static final String WHOLE_ENTRIES = "executed_tools";

    private final OpenAiChatDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ChunkLearner learner;
    /** The payload's own reader (values read from it can be learnt; replayed ones cannot). */
    private final JsonReader json;
    private final JsonReader deferredReader;
    private final ToolCallDecoder toolCalls;
    private final LogprobEntries logprobs;
    /** Values that came before the choice's index, read again once the choice is known ({@link JsonReader#captureForReplay}). */
    private final MutableRawJson deferredDelta = new MutableRawJson();
    private final MutableRawJson deferredLogprobs = new MutableRawJson();
    private final MutableRawJson deferredTokenIds = new MutableRawJson();
    private final MutableRawJson deferredText = new MutableRawJson();
    /** A choice's {@code message}, read as its delta only when the choice has no {@code delta} (see readChoice). */
    private final MutableRawJson deferredMessage = new MutableRawJson();
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    private final MutableTextBuffer scratchText = new MutableTextBuffer();
    /** Locates the members of a typed content part of a kind this dialect does not read (Mistral's reference chunk). */
    private final JsonMembers otherPart = new JsonMembers();
    private final StringDecoder otherPartDecoder = new StringDecoder(16);
    /** Azure's per-choice filter results, folded category by category rather than kept as the last value. */
    private final FilterResults filterResults;
    /** The choice's members located ahead of the reader, to find an index sent after them. */
    private final JsonMembers ahead = new JsonMembers();
    /**
     * Other members that came before the choice's index (Azure sends its members in name order, content_filter_results
     * before the index), kept until the index says which choice they belong to: reused, grown once.
     */
    private String[] earlyNames = new String[2];
    private MutableRawJson[] earlyValues = new MutableRawJson[2];
    private int earlyCount;

    ChoiceReader(
        final OpenAiChatDialect dialect,
        final MutableAggregate aggregate,
        final AggregationLimits limits,
        final ChunkLearner learner,
        final JsonReader json,
        final LogprobEntries logprobs,
        final ToolCallDecoder toolCalls,
        final FilterResults filterResults)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.learner = learner;
        this.json = json;
        this.logprobs = logprobs;
        deferredReader = new JsonReader(limits);
        this.toolCalls = toolCalls;
        this.filterResults = filterResults;
    }

    /** Forgets a stream's half-read state. */
    void reset()
    {
        deferredReader.abandon();
    }

    void readChoice(final JsonReader r) throws JsonReader.BadPayload
    {
        final int choiceStart = r.checkedObjectStart();
        MutableChoice choice = null;
        boolean skipChoice = false;
        boolean deltaSeen = false;
        boolean hasDeferredDelta = false;
        boolean hasDeferredLogprobs = false;
        boolean hasDeferredTokenIds = false;
        boolean hasDeferredMessage = false;
        boolean messageSeen = false;
        boolean hasText = false;
        earlyCount = 0;
        finishReason.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (skipChoice)
            {
                r.skip();
                continue;
            }
            switch (name)
            {
                case "index":
                    final long index = dialect.index(r, "choices[].index");
                    choice = index < 0 ? null : aggregate.choiceForIndex(index);
                    skipChoice = choice == null;
                    break;
                case "message":
                    // Writer sends each chunk's content twice, as delta and as message: a choice with a delta reads that
                    // one only. A message alone (servers that stream it so) is the delta, read once the choice is known.
                    messageSeen = true;
                    learner.refuse();
                    if (deltaSeen || value == JsonToken.VALUE_NULL)
                    {
                        r.skip();
                    }
                    else
                    {
                        r.captureForReplay(deferredMessage);
                        hasDeferredMessage = true;
                    }
                    break;
                case "delta":
                    deltaSeen = true;
                    if (choice != null)
                    {
                        readDelta(r, choice);
                    }
                    else if (value != JsonToken.VALUE_NULL)
                    {
                        learner.refuse();
                        r.captureForReplay(deferredDelta);
                        hasDeferredDelta = true;
                    }
                    break;
                case "logprobs":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        break;
                    }
                    if (choice != null)
                    {
                        readLogprobs(r, choice);
                    }
                    else
                    {
                        learner.refuse();
                        r.captureForReplay(deferredLogprobs);
                        hasDeferredLogprobs = true;
                    }
                    break;
                case "token_ids":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        break;
                    }
                    if (choice != null)
                    {
                        learner.noteTokenIds(json, r);
                        readTokenIds(r, choice);
                    }
                    else
                    {
                        learner.refuse();
                        r.captureForReplay(deferredTokenIds);
                        hasDeferredTokenIds = true;
                    }
                    break;
                case "finish_reason":
                    learner.refuseUnlessNull(value);
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = r.text();
                        finishReason.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "text":
                    learner.noteChoiceText(value);
                    // Together repeats each token as choices[].text beside delta.content; only a choice
                    // without a delta (legacy completions shape) takes it as its content.
                    if (value == JsonToken.VALUE_STRING)
                    {
                        r.captureForReplay(deferredText);
                        hasText = true;
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                default:
                    if (choice == null && earlyCount == 0)
                    {
                        final long later = indexAhead(r, choiceStart);
                        if (later >= 0)
                        {
                            choice = aggregate.choiceForIndex(later);
                            skipChoice = choice == null;
                            if (skipChoice)
                            {
                                r.skip();
                                break;
                            }
                        }
                    }
                    if (choice == null)
                    {
                        keepEarly(name, r);
                    }
                    else
                    {
                        keep(choice, name, r);
                    }
            }
        }
        if (skipChoice)
        {
            return;
        }
        if (choice == null)
        {
            // No index at all: the only choice.
            choice = aggregate.choiceForIndex(0);
            if (choice == null)
            {
                return;
            }
        }
        for (int i = 0; i < earlyCount; i++)
        {
            if (FilterResults.NAME.equals(earlyNames[i]))
            {
                filterResults.fold(choice.extra(), earlyValues[i]);
            }
            else
            {
                dialect.keepKeepingNonEmpty(choice.extra(), earlyNames[i], earlyValues[i]);
            }
        }
        if (deltaSeen || messageSeen)
        {
            dialect.deltaChoice();
        }
        if (hasDeferredDelta)
        {
            replay(deferredDelta, choice, Deferred.DELTA);
        }
        else if (hasDeferredMessage && !deltaSeen)
        {
            replay(deferredMessage, choice, Deferred.DELTA);
        }
        if (hasDeferredTokenIds)
        {
            replay(deferredTokenIds, choice, Deferred.TOKEN_IDS);
        }
        if (hasDeferredLogprobs)
        {
            replay(deferredLogprobs, choice, Deferred.LOGPROBS);
        }
        if (hasText && !deltaSeen && !messageSeen)
        {
            learner.refuse();
            dialect.completionText();
            final CharSequence text = deferredText.text();
            aggregate.appendText(choice, MutablePart.Kind.TEXT, toChars(text), 0, text.length());
        }
        if (finishReason.length() > 0)
        {
            aggregate.finish(choice, finishReason.array(), 0, finishReason.length());
        }
    }

    /** Keeps an unknown member of {@code choice} by its rule: the last value, or category by category for the filter results. */
    private void keep(final MutableChoice choice, final String name, final JsonReader r) throws JsonReader.BadPayload
    {
        if (FilterResults.NAME.equals(name))
        {
            filterResults.fold(choice.extra(), r);
        }
        else
        {
            dialect.captureKeepingNonEmpty(choice.extra(), name, r);
        }
    }

    /**
     * The index a choice sends after other members (Azure sends a choice's members in name order:
     * content_filter_results, delta, finish_reason, index), found by reading ahead in the checked bytes, so that what
     * comes before it is read into its own choice at once, as when the index comes first: the delta is then read
     * directly, and the fast path learns such chunks. Before, such members went to the first choice, another choice's
     * text with them.
     *
     * @return the index, or -1 when it is not one plain non-negative integer (or the bytes were not checked): the
     *         members are then kept until the reader comes to it, which reports what is wrong with it.
     */
    private long indexAhead(final JsonReader r, final int choiceStart)
    {
        if (choiceStart < 0 || !ahead.readObject(r.inputArray(), choiceStart, r.inputOffset() + r.inputLength()))
        {
            return -1;
        }
        final int at = ChunkScan.indexMember(ahead);
        return at < 0 || ahead.isNegativeZero(at) ? -1 : ahead.plainIndex(at);
    }

    /**
     * Captures an unknown member sent before the choice's index, held to the raw-value limit now (the error then comes
     * where the member is, as when it is kept at once), to be kept once the choice is known.
     */
    private void keepEarly(final String name, final JsonReader r) throws JsonReader.BadPayload
    {
        if (earlyCount == earlyNames.length)
        {
            earlyNames = java.util.Arrays.copyOf(earlyNames, earlyCount * 2);
            earlyValues = java.util.Arrays.copyOf(earlyValues, earlyCount * 2);
        }
        if (earlyValues[earlyCount] == null)
        {
            earlyValues[earlyCount] = new MutableRawJson();
        }
        earlyNames[earlyCount] = name;
        if (!r.capture(earlyValues[earlyCount++]))
        {
            dialect.rawValueTooLarge(name);
        }
    }

    private char[] toChars(final CharSequence text)
    {
        scratchText.set(text, Integer.MAX_VALUE);
        return scratchText.array();
    }

    /** The values of a choice that can arrive before its index and are captured until it does. */
    private enum Deferred
    {
        DELTA,
        LOGPROBS,
        TOKEN_IDS
    }

    /** Reads a value captured before the choice's index was known, now that it is. */
    private void replay(final MutableRawJson captured, final MutableChoice choice, final Deferred what) throws JsonReader.BadPayload
    {
        if (captured.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        deferredReader.begin(captured);
        switch (what)
        {
            case DELTA:
                readDelta(deferredReader, choice);
                break;
            case LOGPROBS:
                readLogprobs(deferredReader, choice);
                break;
            default:
                readTokenIds(deferredReader, choice);
        }
        deferredReader.finish();
    }

    private void readDelta(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        boolean reasoningSeen = false;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "role":
                    if (value == JsonToken.VALUE_STRING && r.text().length() > 0)
                    {
                        final CharView v = r.text();
                        choice.role().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "content":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        learner.noteText(json, r, choice, MutablePart.Kind.TEXT, name);
                        appendText(r, choice, MutablePart.Kind.TEXT, null);
                    }
                    else if (value == JsonToken.START_ARRAY)
                    {
                        learner.noteTextFieldBeside();
                        readContentParts(r, choice);
                    }
                    else
                    {
                        learner.noteTextFieldBeside();
                        r.skip();
                    }
                    break;
                case "refusal":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        learner.noteText(json, r, choice, MutablePart.Kind.REFUSAL, name);
                        appendText(r, choice, MutablePart.Kind.REFUSAL, null);
                    }
                    else
                    {
                        learner.noteTextFieldBeside();
                        r.skip();
                    }
                    break;
                case "reasoning_content":
                case "reasoning":
                    // Some servers send the same reasoning under both names in one delta: take the first.
                    if (value == JsonToken.VALUE_STRING && !reasoningSeen)
                    {
                        reasoningSeen = true;
                        learner.noteText(json, r, choice, MutablePart.Kind.REASONING, name);
                        appendText(r, choice, MutablePart.Kind.REASONING, name);
                    }
                    else
                    {
                        learner.noteTextFieldBeside();
                        r.skip();
                    }
                    break;
                case "tool_calls":
                    if (value == JsonToken.START_ARRAY)
                    {
                        while (r.next() == JsonToken.START_OBJECT)
                        {
                            toolCalls.readToolCall(r, choice, false);
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "function_call":
                    learner.refuseUnlessNull(value);
                    if (value == JsonToken.START_OBJECT)
                    {
                        toolCalls.readToolCall(r, choice, true);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "token_id":
                    learner.noteTokenId(json, r, value);
                    if (value == JsonToken.VALUE_NUMBER_INT)
                    {
                        aggregate.tokenId(choice, r.longValue());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "channel":
                    // Groq repeats the channel ("analysis", "final") on every delta: a state, not text to join. A
                    // chunk that repeats the learnt one's bytes sets it to what it already is: nothing to replay.
                    if (!choice.messageExtra().replace(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                case WHOLE_ENTRIES:
                    learner.refuseUnlessNull(value);
                    if (!choice.messageExtra().foldWholeEntries(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                default:
                    learner.refuseUnlessNull(value);
                    if (!choice.messageExtra().foldMergingObjects(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
            }
        }
    }

    private void appendText(final JsonReader r, final MutableChoice choice, final MutablePart.Kind kind, final String fieldName)
        throws JsonReader.BadPayload
    {
        final CharView v = r.text();
        final MutablePart last = choice.lastPart();
        aggregate.appendText(choice, kind, v.array(), v.offset(), v.length());
        if (fieldName != null && choice.lastPart() != last && choice.lastPart() != null)
        {
            choice.lastPart().type().set(fieldName, 64);
        }
    }

    /**
     * Mistral sends content as typed parts: text, and thinking holding text parts of its own. A part of another type (a
     * reference chunk) is kept whole as a part of its own, in its place among the others.
     */
    private void readContentParts(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.START_OBJECT)
        {
            choice.typedContentSeen();
            final int partStart = r.structureStartOffset();
            MutablePart.Kind kind = MutablePart.Kind.TEXT;
            boolean other = false;
            while (r.next() == JsonToken.FIELD_NAME)
            {
                final String name = r.name();
                final JsonToken value = r.next();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    final CharView type = r.text();
                    kind = type.contentEquals("thinking") ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT;
                    other = kind == MutablePart.Kind.TEXT && !type.contentEquals("text");
                }
                else if ("text".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    learner.noteText(json, r, choice, kind, null);
                    appendText(r, choice, kind, null);
                }
                else if ("thinking".equals(name) && value == JsonToken.START_ARRAY)
                {
                    while (r.next() == JsonToken.START_OBJECT)
                    {
                        while (r.next() == JsonToken.FIELD_NAME)
                        {
                            final String inner = r.name();
                            if (r.next() == JsonToken.VALUE_STRING && "text".equals(inner))
                            {
                                learner.noteText(json, r, choice, MutablePart.Kind.REASONING, null);
                                appendText(r, choice, MutablePart.Kind.REASONING, null);
                            }
                            else
                            {
                                r.skip();
                            }
                        }
                    }
                }
                else if ("thinking".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    learner.noteText(json, r, choice, MutablePart.Kind.REASONING, null);
                    appendText(r, choice, MutablePart.Kind.REASONING, null);
                }
                else
                {
                    r.skip();
                }
            }
            if (other)
            {
                keepOtherPart(choice, r.inputArray(), partStart, r.structureEndOffset(partStart));
            }
        }
    }

    /**
     * A typed content part of another type, kept whole: its type and its fields but the text already appended, read
     * from its bytes (checked with the event) once the reader has walked it, since its type may come after them.
     */
    private void keepOtherPart(final MutableChoice choice, final byte[] src, final int from, final int to)
    {
        learner.refuse();
        final MutablePart part = aggregate.newPart(choice, MutablePart.Kind.OTHER, -1);
        if (part == null || !otherPart.readObject(src, from, to))
        {
            return;
        }
        for (int m = 0; m < otherPart.count(); m++)
        {
            final String name = otherPart.name(m);
            if ("type".equals(name))
            {
                otherPart.textInto(m, part.type(), limits.maxTextChars(), otherPartDecoder);
            }
            else if (!"text".equals(name) && !"thinking".equals(name))
            {
                final MutableRawJson slot = part.extra().slot(name, limits.maxRawFields());
                if (slot == null || !otherPart.capture(m, slot, limits.maxRawBytes()))
                {
                    // Dropped whole, not kept cut.
                    part.extra().remove(name);
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "content part field '" + name + "' dropped: limit");
                }
            }
        }
        aggregate.endPart(choice, part);
    }

    private void readTokenIds(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_ARRAY)
        {
            r.skip();
            return;
        }
        while (r.next() != JsonToken.END_ARRAY)
        {
            if (r.token() == JsonToken.VALUE_NUMBER_INT)
            {
                aggregate.tokenId(choice, r.longValue());
            }
            else
            {
                r.skip();
            }
        }
    }

    private void readLogprobs(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            final boolean refusal = "refusal".equals(name);
            if ((refusal || "content".equals(name)) && value == JsonToken.START_ARRAY)
            {
                final MutableRawList list = refusal ? choice.refusalLogprobs() : choice.contentLogprobs();
                list.markPresent();
                while (r.next() == JsonToken.START_OBJECT)
                {
                    learner.noteLogprobEntry(json, r, refusal);
                    logprobs.read(r, choice, refusal, list, null);
                }
            }
            else if (!refusal && !"content".equals(name) && value != JsonToken.VALUE_NULL)
            {
                // A legacy completion's tokens / token_logprobs / top_logprobs / text_offset, any other member: arrays
                // concatenated chunk after chunk, as the non-streaming response holds them whole.
                learner.refuse();
                if (!choice.logprobsExtra().fold(name, r, limits))
                {
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs field '" + name + "' dropped: limit");
                }
            }
            else
            {
                // Content or refusal entries that are no list (as the scan passes them over), or a null member.
                r.skip();
            }
        }
        choice.logprobsSeen();
    }
}
