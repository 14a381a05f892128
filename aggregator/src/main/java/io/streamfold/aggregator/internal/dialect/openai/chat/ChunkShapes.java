package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.RepeatedEntry;
import org.agrona.DirectBuffer;

/**
 * The fast path for chunks whose varying part is more than one string, on the shared {@link EventTemplate}:
 * beside the appended string (content, refusal, reasoning or tool-call arguments), a per-token
 * {@code delta.token_id} or {@code token_ids}, Together's choice-level {@code text} (a copy the full path
 * ignores when a delta is present), one {@code logprobs} entry, vLLM's running {@code usage} numbers, a
 * top-level string kept raw ({@code obfuscation}) and a {@code created} time that changes (TGI's). The {@link ChunkLearner} watches the full decode of a chunk,
 * records its effects in the order the decoder made them, and has it learnt with the shape of exactly those
 * slots; a matching chunk replays the same effects with its own slot values, in the same order. Nothing is
 * changed before every value has been read: a chunk this class cannot fold goes to the full decoder whole.
 */
final class ChunkShapes
{
    // What a chunk may hold beside its appended string: the bits of a shape's meaning.
    static final int TOKEN_ID = 1;
    static final int TOKEN_IDS = 2;
    static final int CHOICE_TEXT = 4;
    static final int LOGPROB = 8;
    static final int USAGE = 16;
    static final int VALUE = 32;
    static final int REFUSAL_LOGPROB = 64;
    static final int CREATED = 128;
    private static final int BITS = 8;

    /** Where the appended string is: the delta's text fields, then a tool call's arguments. */
    private static final String[] TEXT_FIELDS = {"content", "refusal", "reasoning_content", "reasoning", null};
    static final int ARGUMENTS = TEXT_FIELDS.length - 1;

    // Effects, in the order the decoder made them.
    static final byte APPEND = 0;
    static final byte TOKEN = 1;
    static final byte TOKENS = 2;
    static final byte ENTRY = 3;
    static final byte USAGE_MERGE = 4;
    private static final int MAX_EFFECTS = 8;
    /** Slots of one logprob entry: the entry, its token, its value. */
    private static final int ENTRY_SLOTS = 3;

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final EventTemplate template;
    private final LogprobEntries logprobs;
    private final EventShape[] shapes = new EventShape[TEXT_FIELDS.length << BITS];
    private String shapesValueName;

    // The learnt chunk's effects and their targets.
    private final byte[] effects = new byte[MAX_EFFECTS];
    private int effectCount;
    private MutableChoice choice;
    private MutablePart.Kind kind;
    private MutablePart call;
    private boolean refusalLogprob;
    // Slot numbers in the learnt shape (-1 when it has none), worked out once per learn.
    private int tokenSlot;
    private int tokensSlot;
    private int entrySlot;
    private int usageSlot;
    private int valueSlot;
    private int createdSlot;
    private final MetaField created = new MetaField();
    /**
     * The created second the last fold kept, or -1 since the last learn or forget: the next chunk of the same second
     * need not keep it again (nothing but a fold changes it between two folds: any other chunk makes this forget).
     */
    private long keptSecond = -1;
    private final MetaField value = new MetaField();
    private char[] scratch = new char[32];
    /** The matched logprob entry's token and value, read for a listener. */
    private final RepeatedEntry entry = new RepeatedEntry();
    private long folds;

    ChunkShapes(final MutableAggregate aggregate, final AggregationLimits limits, final EventTemplate template,
        final LogprobEntries logprobs)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.template = template;
        this.logprobs = logprobs;
        created.name("created");
    }

    /** @return the index into {@link #TEXT_FIELDS} of a delta's text field, or -1. */
    static int textField(final String name)
    {
        for (int i = 0; i < ARGUMENTS; i++)
        {
            if (TEXT_FIELDS[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    long folds()
    {
        return folds;
    }

    /** @return whether a chunk is learnt. */
    boolean isLearnt()
    {
        return choice != null && template.shape() != null;
    }

    /**
     * Where a data line's value that repeats the learnt chunk ends, for the framer ({@code DataLineHint}): matched
     * by {@link EventTemplate#matchLine} and kept for the frame that carries exactly these bytes, whose
     * {@link #fold} then does not match them again. Changes nothing a fold observes.
     *
     * @return index after the value's last byte (no CR or LF before it), or -1.
     */
    int matchLine(final byte[] src, final int offset, final int to, final long lineOffset)
    {
        return choice == null ? -1 : template.matchLine(src, offset, to, lineOffset);
    }

    void forget()
    {
        template.forget();
        choice = null;
        call = null;
        keptSecond = -1;
    }

    /**
     * Learns the chunk the decoder has just read whole.
     *
     * @param field   where its string was ({@link #textField} or {@link #ARGUMENTS}).
     * @param mask    what else varies (the bits above).
     * @param effects its effects in order, {@code count} of them.
     * @param checked whether a byte scan checked it whole (the template then does not check it again).
     */
    boolean learn(final byte[] src, final int offset, final int length, final int field, final int mask,
        final byte[] effects, final int count, final MutableChoice choice, final MutablePart.Kind kind,
        final MutablePart call, final boolean refusalLogprob, final String valueName, final boolean checked)
    {
        if (count > MAX_EFFECTS)
        {
            return false;
        }
        if (!template.learn(src, offset, length, shape(field, mask, valueName), checked))
        {
            return false;
        }
        System.arraycopy(effects, 0, this.effects, 0, count);
        tokenSlot = slot(mask, TOKEN_ID);
        tokensSlot = slot(mask, TOKEN_IDS);
        entrySlot = slot(mask, mask & (LOGPROB | REFUSAL_LOGPROB));
        usageSlot = slot(mask, USAGE);
        valueSlot = slot(mask, VALUE);
        createdSlot = slot(mask, CREATED);
        keptSecond = -1;
        effectCount = count;
        this.choice = choice;
        this.kind = kind;
        this.call = call;
        this.refusalLogprob = refusalLogprob;
        if (valueName != null)
        {
            value.name(valueName);
        }
        return true;
    }

    private EventShape shape(final int field, final int mask, final String valueName)
    {
        if ((mask & VALUE) != 0 && !valueName.equals(shapesValueName))
        {
            // Shapes naming another raw field: rebuilt for this one (one name per stream in practice).
            for (int i = 0; i < shapes.length; i++)
            {
                if ((i & VALUE) != 0)
                {
                    shapes[i] = null;
                }
            }
            shapesValueName = valueName;
        }
        final int key = field << BITS | mask;
        EventShape shape = shapes[key];
        if (shape == null)
        {
            shape = build(field, mask, valueName);
            shapes[key] = shape;
        }
        return shape;
    }

    /**
     * Slots: 0 the string; then, for each bit of {@code mask} in the order of the bits: the token id, the token
     * ids, the choice's text, the content logprob entry (its {@link #entry} slots), the usage's completion and
     * total tokens, the raw top-level value, the refusal logprob entry, the creation time.
     */
    private EventShape build(final int field, final int mask, final String valueName)
    {
        final EventShape.Builder b = EventShape.of(mask);
        if (field == ARGUMENTS)
        {
            b.string("choices", EventShape.ONLY, "delta", "tool_calls", EventShape.ONLY, "function", "arguments");
        }
        else
        {
            b.string("choices", EventShape.ONLY, "delta", TEXT_FIELDS[field]);
        }
        if ((mask & TOKEN_ID) != 0)
        {
            b.integer("choices", EventShape.ONLY, "delta", "token_id");
        }
        if ((mask & TOKEN_IDS) != 0)
        {
            b.integerArray("choices", EventShape.ONLY, "token_ids");
        }
        if ((mask & CHOICE_TEXT) != 0)
        {
            // Ignored beside the delta every learnt chunk has, whose text it repeats: compared, never decoded.
            b.sameString(0, "choices", EventShape.ONLY, "text");
        }
        if ((mask & LOGPROB) != 0)
        {
            entry(b, "content");
        }
        if ((mask & USAGE) != 0)
        {
            b.integer("usage", "completion_tokens");
            b.integer("usage", "total_tokens");
        }
        if ((mask & VALUE) != 0)
        {
            b.string(valueName);
        }
        if ((mask & REFUSAL_LOGPROB) != 0)
        {
            entry(b, "refusal");
        }
        if ((mask & CREATED) != 0)
        {
            b.integer("created");
        }
        return b.build();
    }

    /**
     * A logprob entry's three slots: the entry, kept whole (its other members, {@code bytes} and
     * {@code top_logprobs}, may vary); its token, which usually repeats the appended string; its value.
     */
    private static void entry(final EventShape.Builder b, final String list)
    {
        b.object("choices", EventShape.ONLY, "logprobs", list, EventShape.ONLY);
        b.sameString(0, "choices", EventShape.ONLY, "logprobs", list, EventShape.ONLY, "token");
        b.number("choices", EventShape.ONLY, "logprobs", list, EventShape.ONLY, "logprob");
    }

    /**
     * @return the slot number of {@code bit}'s first slot in a shape of {@code mask} (as {@link #build} numbers
     * them), or -1 when the shape has none.
     */
    private static int slot(final int mask, final int bit)
    {
        if ((mask & bit) == 0)
        {
            return -1;
        }
        int slot = 1;
        for (int b = 1; b < bit; b <<= 1)
        {
            if ((mask & b) != 0)
            {
                slot += b == USAGE ? 2 : b == LOGPROB || b == REFUSAL_LOGPROB ? ENTRY_SLOTS : 1;
            }
        }
        return slot;
    }

    /**
     * Folds the chunk when it matches the learnt one.
     *
     * @return false (nothing changed) when it does not: the full decoder must read it.
     */
    boolean fold(final DirectBuffer buffer, final int offset, final int length, final long streamOffset)
    {
        return choice != null && template.match(buffer, offset, length, streamOffset) && foldMatched();
    }

    /** As {@link #fold} for the chunk the framer offers whole: its data is the line {@link #matchLine} matched last. */
    boolean foldHinted()
    {
        return choice != null && template.matchHinted() && foldMatched();
    }

    /** Folds the chunk the template has just matched. @return false (nothing changed) to leave it to the full path. */
    private boolean foldMatched()
    {
        final byte[] input = template.input();
        if (call == null)
        {
            final MutablePart last = choice.lastPart();
            if (last == null || last.kind() != kind || last.isEnded())
            {
                // The full path would open a new part (and name its type): leave that to it.
                return false;
            }
        }
        // A listener hears each logprob entry's token and value: read here, where the chunk can still go to the
        // full decoder (a value ExactDouble is not sure of). Without one, the entry is only kept as sent.
        final int e = entrySlot;
        if (e >= 0 && aggregate.listener() != StreamListener.NONE && !entry.read(template, e))
        {
            return false;
        }
        MutableRawJson completion = null;
        MutableRawJson total = null;
        final int s = usageSlot;
        if (s >= 0)
        {
            final MutableRawFields fields = aggregate.usage().mutableFields();
            completion = fields.get("completion_tokens");
            total = fields.get("total_tokens");
            if (completion == null || total == null || !plainCount(input, s) || !plainCount(input, s + 1))
            {
                // Missing (the full path would add it), or a number the full path may keep otherwise.
                return false;
            }
        }
        MutableRawJson keptValue = null;
        final int valueSlot = this.valueSlot;
        if (valueSlot >= 0)
        {
            keptValue = value.in(aggregate.meta());
            if (keptValue == null || template.stringLength(valueSlot) > limits.maxRawBytes())
            {
                return false;
            }
        }
        MutableRawJson keptCreated = null;
        long second = -1;
        final int c = createdSlot;
        if (c >= 0)
        {
            // TGI stamps every chunk with the current second: kept as the full path keeps it, a number as written.
            // A 0 is Azure's placeholder, which the full path ignores: left to it.
            keptCreated = created.in(aggregate.meta());
            second = template.integer(c);
            if (keptCreated == null || !plainCount(input, c) || second == 0)
            {
                return false;
            }
        }
        aggregate.start();
        if (keptCreated != null && second != keptSecond)
        {
            // A plain count is written one way only (no sign, no leading zero): the same number is the same text.
            number(keptCreated, input, template.valueStart(c), template.valueEnd(c));
            keptSecond = second;
        }
        for (int k = 0; k < effectCount; k++)
        {
            switch (effects[k])
            {
                case APPEND:
                    append();
                    break;
                case TOKEN:
                    aggregate.tokenId(choice, template.integer(tokenSlot));
                    break;
                case TOKENS:
                {
                    final long[] ids = template.integers(tokensSlot);
                    for (int i = 0, n = template.integerCount(tokensSlot); i < n; i++)
                    {
                        aggregate.tokenId(choice, ids[i]);
                    }
                    break;
                }
                case ENTRY:
                {
                    final MutableRawList list = refusalLogprob ? choice.refusalLogprobs() : choice.contentLogprobs();
                    logprobs.keepMatched(input, template.valueStart(e), template.valueEnd(e), choice, refusalLogprob, list,
                        entry.token(), entry.tokenLength(), entry.logprob());
                    choice.logprobsSeen();
                    break;
                }
                case USAGE_MERGE:
                {
                    number(completion, input, template.valueStart(s), template.valueEnd(s));
                    number(total, input, template.valueStart(s + 1), template.valueEnd(s + 1));
                    aggregate.usageUpdated();
                    break;
                }
                default:
                    throw new IllegalStateException("effect " + effects[k]);
            }
        }
        // As the full path keeps it: an empty string never replaces a value already there.
        if (keptValue != null && (template.stringLength(valueSlot) > 0 || keptValue.isNullish()))
        {
            keptValue.setScalar(MutableRawJson.Type.STRING, template.stringChars(valueSlot), 0, template.stringLength(valueSlot),
                limits.maxRawBytes());
        }
        folds++;
        return true;
    }

    private void append()
    {
        final char[] text = template.stringChars(0);
        final int length = template.stringLength(0);
        if (call != null)
        {
            // As the full path copies arguments: at most one character past the limit, the aggregate reports it.
            final int most = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
            aggregate.appendArguments(choice, call, text, 0, Math.min(length, most));
        }
        else
        {
            aggregate.appendText(choice, kind, text, 0, length);
        }
    }

    /**
     * @return true for a usage number kept as written: not negative (Jackson's text of {@code -0} is {@code 0})
     * and not longer than a raw value may be (the full path would report it).
     */
    private boolean plainCount(final byte[] src, final int slot)
    {
        final int from = template.valueStart(slot);
        return src[from] != '-' && template.valueEnd(slot) - from <= limits.maxRawBytes();
    }

    /** As the full path captures a number: its text as written. */
    private void number(final MutableRawJson into, final byte[] src, final int from, final int to)
    {
        final int n = to - from;
        if (scratch.length < n)
        {
            scratch = new char[n];
        }
        for (int i = 0; i < n; i++)
        {
            scratch[i] = (char)src[from + i];
        }
        into.setScalar(MutableRawJson.Type.NUMBER, scratch, 0, n, limits.maxRawBytes());
    }
}
