package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * {@link ChunkScan}'s reader of a choice's delta (or message): the scan-first twin of {@link ChoiceReader}'s
 * {@code readDelta}, folding role and text fields, Mistral's content parts, Groq's channel, token ids and tool-call
 * fragments from members a strict byte scan located, with the same notes to the {@link ChunkLearner}. A delta holding
 * anything else (a legacy function call, a value the token reader reports or keeps raw) is refused in the check walk,
 * before anything changes.
 */
final class DeltaScan
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ChunkLearner learner;
    private final ToolCallDecoder toolCalls;
    /** One per object read at once: the delta, a content part or tool call, a thinking part's item or a function. */
    private final JsonMembers delta = new JsonMembers();
    private final JsonMembers part = new JsonMembers();
    private final JsonMembers object = new JsonMembers();
    /** Where the object {@link #delta} holds the members of starts in the chunk (-1: none of this chunk). */
    private int deltaAt = -1;
    /** Decodes as the template matches: a string learnt from here is one the template decodes the same way. */
    private final StringDecoder text = new StringDecoder(256);
    /** The type of Mistral's thinking content part. */
    private static final char[] THINKING = "thinking".toCharArray();
    private static final char[] TEXT = "text".toCharArray();

    DeltaScan(final MutableAggregate aggregate, final AggregationLimits limits, final ChunkLearner learner,
        final ToolCallDecoder toolCalls)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.learner = learner;
        this.toolCalls = toolCalls;
    }

    /** @return where a check that locates the delta along with its chunk puts its members. */
    JsonMembers members()
    {
        return delta;
    }

    /**
     * @param at where the delta {@link #members()} now holds starts in the chunk, or -1 when they hold none of this
     *           chunk's (a new chunk).
     */
    void located(final int at)
    {
        deltaAt = at;
    }

    /**
     * Reads a choice's delta, as {@link ChoiceReader}'s {@code readDelta} reads one of role and text fields.
     *
     * @param target the choice it folds into (null when only checking).
     * @param fold   false to check only that every member is one this class reads (nothing changes), true to fold them.
     * @return false when a member is not (only ever with {@code fold} false).
     */
    boolean read(final byte[] src, final int from, final int to, final MutableChoice target, final boolean fold)
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
                    if (first == '[' && !toolCalls(src, k, target, fold))
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
                    if (!fold && delta.isNegativeZero(k))
                    {
                        return false;
                    }
                    // Groq repeats the channel on every delta: a state (ChoiceReader).
                    if (fold && !target.messageExtra().replace(name, delta, k, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                case "token_id":
                    // Together and vLLM send one per delta. A value the token reader might read otherwise (a
                    // fraction, a long of 19 digits, a string) is left to it.
                    if (first != 'n')
                    {
                        final long tokenId = delta.integerValue(k);
                        if (tokenId == JsonBytes.NOT_AN_INTEGER)
                        {
                            return false;
                        }
                        if (fold)
                        {
                            learner.noteScannedTokenId();
                            aggregate.tokenId(target, tokenId);
                        }
                    }
                    break;
                default:
                    if (first != 'n' && !unknownField(src, k, target, fold))
                    {
                        return false;
                    }
            }
        }
        return true;
    }

    /**
     * A delta field this dialect does not know (OpenRouter's {@code reasoning_details}), folded into the message's
     * extra fields as {@link ChoiceReader} folds it: strings joined, arrays concatenated, anything else the last value
     * (an object, which is merged field by field, is left to it).
     * The chunk is then not learnt. A {@code -0}, which the token reader keeps as {@code 0}, is left to it.
     */
    private boolean unknownField(final byte[] src, final int k, final MutableChoice target, final boolean fold)
    {
        if (!fold)
        {
            if (delta.first(k) == '{')
            {
                // An object is folded field by field, which the token reader does.
                return false;
            }
            if (delta.first(k) != '[')
            {
                return !delta.isNegativeZero(k);
            }
            object.readArray(src, delta.valueStart(k), delta.valueEnd(k));
            for (int e = 0; e < object.count(); e++)
            {
                if (object.isNegativeZero(e))
                {
                    return false;
                }
            }
            return true;
        }
        learner.refuse();
        final String name = delta.name(k);
        if (!target.messageExtra().fold(name, delta, k, object, text, limits, ChoiceReader.WHOLE_ENTRIES.equals(name)))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
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
     * holding text parts of their own (or a string). An element that is not an object, or a part of another type, is
     * left to the token reader.
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
            if (fold)
            {
                target.typedContentSeen();
            }
            part.readObject(src, e, to);
            MutablePart.Kind kind = MutablePart.Kind.TEXT;
            for (int p = 0; p < part.count(); p++)
            {
                final String name = part.name(p);
                final byte first = part.first(p);
                if ("type".equals(name) && first == '"')
                {
                    if (part.decodeString(p, text) < 0 || !(decoded(THINKING) || decoded(TEXT)))
                    {
                        // A part of another type (a reference chunk) is kept whole by the token reader.
                        return false;
                    }
                    kind = decoded(THINKING) ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT;
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

    /**
     * The tool-call fragments of a delta, as {@link ChoiceReader} reads them ({@link ToolCallDecoder}). The token reader
     * stops at an element that is not an object: such an array is left to it.
     */
    private boolean toolCalls(final byte[] src, final int k, final MutableChoice target, final boolean fold)
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
            if (!toolCalls.readScannedToolCall(src, part, object, text, target, fold))
            {
                return false;
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

    /** @return whether {@link #text} holds {@code chars}. */
    private boolean decoded(final char[] chars)
    {
        return java.util.Arrays.equals(text.chars(), 0, text.length(), chars, 0, chars.length);
    }
}
