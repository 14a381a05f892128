package io.streamfold.aggregator.internal.dialect.openai.chat;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.Frame;
import io.streamfold.parser.internal.DataLineHint;

/**
 * The fast path's side of the normal decode: watches what one payload does while the decoder reads it,
 * and when it did nothing but append exactly one string to one part (beside idempotent values), hands the
 * payload to the {@link ChunkTemplate} to be learnt; when it also reported token ids, one logprob entry or
 * running usage, to {@link ChunkShapes}. The decoder reports each step; anything else it reads makes the
 * payload unlearnable.
 */
final class ChunkLearner
{
    private final MutableAggregate aggregate;
    private final ChunkTemplate template;
    private final ChunkShapes shapes;
    private boolean enabled = ChunkTemplate.ENABLED;
    private byte[] directCopy = new byte[0];
    // What the payload being parsed did, to decide whether it may become the template: learnable until it
    // does anything but replay idempotent captures and append exactly one string to one part.
    private boolean learnable;
    private int appends;
    private int errorsBefore;
    private MutableChoice choice;
    private MutablePart.Kind kind;
    private int textQuote;
    /** The delta field holding the appended text, or null (a content part's text, tool-call arguments). */
    private String textName;
    /** No other text field in the delta: the learnt text's field name may change in a chunk folded on the template. */
    private boolean switchable;
    private MutablePart call;
    /** Opening quote of the arguments string of the tool-call fragment being read, or -1. */
    private int argumentsQuote;
    private String valueName;
    private int valueQuote;
    /** Where the appended string is ({@link ChunkShapes#textField} or {@link ChunkShapes#ARGUMENTS}). */
    private int field;
    /** What else the payload reported ({@link ChunkShapes}' bits), and its effects in order. */
    private int extras;
    private final byte[] effects = new byte[8];
    private int effectCount;
    /** The payload names itself TGI's way ({@code "object":"text_completion"}) and has a {@code created} number. */
    private boolean tgiObject;
    private boolean createdSeen;
    /**
     * Array indexes of the digits of the payload's one choice index as the scan located it ({@link #NO_INDEX} when not
     * located, {@link #MANY_INDEXES} when more than one choice was read): a template learnt from them folds the same
     * chunk sent for any other choice (n > 1 streams alternate their choices chunk by chunk).
     */
    private int choiceIndexFrom;
    private int choiceIndexTo;
    private static final int NO_INDEX = -1;
    private static final int MANY_INDEXES = -2;

    ChunkLearner(final MutableAggregate aggregate, final AggregationLimits limits, final EventTemplate eventTemplate,
        final LogprobEntries logprobs)
    {
        this.aggregate = aggregate;
        template = new ChunkTemplate(aggregate, limits);
        shapes = new ChunkShapes(aggregate, limits, eventTemplate, logprobs);
    }

    /** Turns the repeated-prefix fast path on or off (tests compare both). */
    void enabled(final boolean on)
    {
        enabled = on;
        forget();
    }

    /** @return whether the fast paths are on. */
    boolean enabled()
    {
        return enabled;
    }

    /** @return payloads folded by the repeated-prefix fast path so far. */
    long folds()
    {
        return template.folds() + shapes.folds();
    }

    void forget()
    {
        template.forget();
        shapes.forget();
    }

    /**
     * Folds the payload through the template when it repeats the learnt chunk; otherwise starts watching
     * it, as the decoder is about to read it.
     *
     * @return true when the payload was folded and must not be read again.
     */
    boolean foldOrWatch(final Frame frame)
    {
        if (!enabled)
        {
            learnable = false;
            return false;
        }
        if (foldRepeated(frame) || shapes.fold(frame.buffer(), frame.offset(), frame.length(), frame.streamOffset()))
        {
            return true;
        }
        // Whatever this payload does, the template no longer describes the chunk before the next one.
        forget();
        learnable = true;
        appends = 0;
        extras = 0;
        effectCount = 0;
        call = null;
        valueName = null;
        valueQuote = -1;
        switchable = true;
        tgiObject = false;
        createdSeen = false;
        choiceIndexFrom = NO_INDEX;
        errorsBefore = aggregate.errorCount();
        return false;
    }

    /**
     * Folds the chunk the framer offers whole in place of its frame (its data is the line {@link #matchLine} matched
     * last), as {@link #foldOrWatch} folds a repeated one.
     *
     * @return false (nothing changed) to have it framed: {@link #foldOrWatch} then reads it as usual.
     */
    boolean foldHinted()
    {
        return enabled && (template.foldHinted() || shapes.foldHinted());
    }

    private boolean foldRepeated(final Frame frame)
    {
        final org.agrona.DirectBuffer buffer = frame.buffer();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return template.tryFold(array, (int)buffer.wrapAdjustment() + frame.offset(), frame.length(), frame.streamOffset());
        }
        final int length = frame.length();
        if (!template.isLearnt())
        {
            return false;
        }
        if (directCopy.length < length)
        {
            directCopy = new byte[Math.max(length, directCopy.length * 2)];
        }
        buffer.getBytes(frame.offset(), directCopy, 0, length);
        return template.tryFold(directCopy, 0, length, frame.streamOffset());
    }

    /**
     * For the framer ({@link DataLineHint}, by way of the dialect): where a data line's value starting at {@code from}
     * ends when it repeats the learnt chunk, or -1.
     */
    int matchLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        if (template.isLearnt())
        {
            return template.matchLine(src, from, to, lineOffset);
        }
        return shapes.isLearnt() ? shapes.matchLine(src, from, to, lineOffset) : -1;
    }

    boolean learnable()
    {
        return learnable;
    }

    /** The payload did something the template cannot repeat. */
    void refuse()
    {
        learnable = false;
    }

    /** A field the template can repeat only while it is null. */
    void refuseUnlessNull(final JsonToken value)
    {
        learnable &= value == JsonToken.VALUE_NULL;
    }

    /** @return true while a top-level field after the appended text may be the varying last value. */
    boolean watchesValues()
    {
        return learnable && appends > 0;
    }

    /**
     * The one string this payload appends: where it is, once proven to decode as Jackson decoded it.
     *
     * @param name the delta field holding it, or null for a string inside a content part (Mistral's typed parts:
     *             only the one-string template repeats those, it needs no path).
     */
    void noteText(final JsonReader top, final JsonReader r, final MutableChoice choice, final MutablePart.Kind kind,
        final String name) throws JsonReader.BadPayload
    {
        if (!learnable)
        {
            return;
        }
        if (r != top || ++appends > 1)
        {
            learnable = false;
            return;
        }
        final int quote = r.stringStartOffset();
        if (!template.decodesTo(r.inputArray(), quote, r.inputOffset() + r.inputLength(), r.text()))
        {
            learnable = false;
            return;
        }
        text(quote, choice, kind, name);
    }

    /**
     * As {@link #noteText} for a string {@link ChunkScan} decoded (with the decoder the template matches by) from the
     * payload it scanned: the payload's own string, at array index {@code quote}.
     */
    void noteScannedText(final int quote, final MutableChoice choice, final MutablePart.Kind kind, final String name)
    {
        if (!learnable)
        {
            return;
        }
        if (++appends > 1)
        {
            learnable = false;
            return;
        }
        text(quote, choice, kind, name);
    }

    private void text(final int quote, final MutableChoice choice, final MutablePart.Kind kind, final String name)
    {
        this.choice = choice;
        this.kind = kind;
        call = null;
        textQuote = quote;
        textName = name;
        field = ChunkShapes.textField(name);
        effect(ChunkShapes.APPEND);
    }

    /** A choice's index, a plain integer at {@code src[from, to)} of the payload {@link ChunkScan} read. */
    void noteScannedChoiceIndex(final int from, final int to)
    {
        choiceIndexFrom = choiceIndexFrom == NO_INDEX ? from : MANY_INDEXES;
        choiceIndexTo = to;
    }

    /**
     * The choice keeps a member of its own (one its reader does not interpret, kept raw): a template learnt from this
     * payload folds only the same choice's chunks, as one that folded another choice's would not keep it there.
     */
    void noteChoiceMember()
    {
        choiceIndexFrom = MANY_INDEXES;
    }

    /** A delta's {@code token_id}: varies per chunk. */
    void noteTokenId(final JsonReader top, final JsonReader r, final JsonToken value)
    {
        if (value == JsonToken.VALUE_NUMBER_INT && r == top)
        {
            noteScannedTokenId();
        }
        else
        {
            refuseUnlessNull(value);
        }
    }

    /** A delta's integer {@code token_id} read where the chunk was read, not replayed. */
    void noteScannedTokenId()
    {
        extra(ChunkShapes.TOKEN_ID, ChunkShapes.TOKEN);
    }

    /** A choice's {@code token_ids} array, read as the decoder finds it. */
    void noteTokenIds(final JsonReader top, final JsonReader r)
    {
        if (r == top)
        {
            noteScannedTokenIds();
        }
        else
        {
            learnable = false;
        }
    }

    /** A choice's {@code token_ids} array read where the chunk was read, not replayed. */
    void noteScannedTokenIds()
    {
        extra(ChunkShapes.TOKEN_IDS, ChunkShapes.TOKENS);
    }

    /** Together's copy of the token as the choice's {@code text}: no effect beside a delta, but it varies. */
    void noteChoiceText(final JsonToken value)
    {
        if (value == JsonToken.VALUE_STRING)
        {
            extra(ChunkShapes.CHOICE_TEXT, (byte)-1);
        }
    }

    /** One logprob entry was read and kept. */
    void noteLogprobEntry(final JsonReader top, final JsonReader r, final boolean refusal)
    {
        if (r == top)
        {
            noteScannedLogprobEntry(refusal);
        }
        else
        {
            learnable = false;
        }
    }

    /** One logprob entry of the payload itself was read and kept (the token reader's, or {@link ChunkScan}'s). */
    void noteScannedLogprobEntry(final boolean refusal)
    {
        extra(refusal ? ChunkShapes.REFUSAL_LOGPROB : ChunkShapes.LOGPROB, ChunkShapes.ENTRY);
        // One entry per chunk only: a second of the other list is refused here.
        learnable &= (extras & (ChunkShapes.LOGPROB | ChunkShapes.REFUSAL_LOGPROB)) != (ChunkShapes.LOGPROB | ChunkShapes.REFUSAL_LOGPROB);
    }

    /**
     * The chunk's creation time, before it is kept: a slot once it differs from the one kept (TGI stamps each chunk
     * with the current second), else literal like the fields that name the response.
     */
    void noteCreated(final JsonToken value, final MutableRawJson kept, final CharSequence text)
    {
        createdSeen = value == JsonToken.VALUE_NUMBER_INT;
        if (learnable && value == JsonToken.VALUE_NUMBER_INT && kept != null && !kept.isNullish() &&
            CharSequence.compare(kept.text(), text) != 0)
        {
            extra(ChunkShapes.CREATED, (byte)-1);
        }
    }

    /**
     * As {@link #noteCreated} for a value {@link ChunkScan} located: {@code integer} when it is one, its text the
     * ASCII bytes {@code src[from, to)}.
     */
    void noteScannedCreated(final boolean integer, final MutableRawJson kept, final byte[] src, final int from, final int to)
    {
        createdSeen = integer;
        if (learnable && integer && kept != null && !kept.isNullish() && !sameText(kept.text(), src, from, to))
        {
            extra(ChunkShapes.CREATED, (byte)-1);
        }
    }

    /** An integer creation time equal to the one kept, passed over unread ({@link RepeatedEnvelope}). */
    void noteCreatedRepeated()
    {
        createdSeen = true;
    }

    private static boolean sameText(final CharSequence text, final byte[] src, final int from, final int to)
    {
        if (text.length() != to - from)
        {
            return false;
        }
        for (int k = from; k < to; k++)
        {
            if (text.charAt(k - from) != src[k])
            {
                return false;
            }
        }
        return true;
    }

    /** The chunk's {@code object} (the reader is on its value). */
    void noteObject(final JsonToken value, final JsonReader top) throws JsonReader.BadPayload
    {
        noteObject(learnable && value == JsonToken.VALUE_STRING && top.text().contentEquals("text_completion"));
    }

    /** The chunk's {@code object}, as {@link #noteObject(JsonToken, JsonReader)}: whether it is the string {@code text_completion}. */
    void noteObject(final boolean textCompletion)
    {
        tgiObject = learnable && textCompletion;
    }

    /** The top-level usage (an object is merged and announced; null does nothing). */
    void noteUsage(final JsonToken value)
    {
        if (value == JsonToken.START_OBJECT)
        {
            extra(ChunkShapes.USAGE, ChunkShapes.USAGE_MERGE);
        }
        else
        {
            refuseUnlessNull(value);
        }
    }

    /** Something varying beside the string: at most once each, recorded in order when it has an effect. */
    private void extra(final int bit, final byte effect)
    {
        if ((extras & bit) != 0)
        {
            learnable = false;
            return;
        }
        extras |= bit;
        if (effect >= 0)
        {
            effect(effect);
        }
    }

    private void effect(final byte effect)
    {
        if (effectCount == effects.length)
        {
            learnable = false;
            return;
        }
        effects[effectCount++] = effect;
    }

    /**
     * A top-level field after the text: the last one, when a string, may vary from chunk to chunk (OpenAI's
     * {@code obfuscation}). The fields that name the response stay literal: they repeat unchanged in every chunk,
     * and a slot would only decode and keep them again (Together sends {@code model} last).
     */
    void noteValue(final JsonReader top, final String name, final JsonToken value) throws JsonReader.BadPayload
    {
        if (isIdentity(name))
        {
            return;
        }
        valueName = null;
        valueQuote = -1;
        if (value == JsonToken.VALUE_STRING)
        {
            final int quote = top.stringStartOffset();
            if (template.decodesTo(top.inputArray(), quote, top.inputOffset() + top.inputLength(), top.text()))
            {
                valueName = name;
                valueQuote = quote;
            }
        }
    }

    /**
     * As {@link #noteValue} for a value {@link ChunkScan} located: {@code quote} the array index of a string's opening
     * quote, decoded there by the template's decoder, or -1 for any other value.
     */
    void noteScannedValue(final String name, final int quote)
    {
        if (isIdentity(name))
        {
            return;
        }
        valueName = quote >= 0 ? name : null;
        valueQuote = quote;
    }

    private static boolean isIdentity(final String name)
    {
        switch (name)
        {
            case "id":
            case "model":
            case "system_fingerprint":
            case "service_tier":
            case "provider":
                return true;
            default:
                return false;
        }
    }

    /**
     * A text field of the delta beside the appended text (null, not a string, or a second reasoning): a chunk naming
     * another text field in the text's place would be read differently, so the template learnt from this one must not
     * fold it.
     */
    void noteTextFieldBeside()
    {
        switchable = false;
    }

    /** A tool-call fragment begins: no arguments string seen yet. */
    void beginCall()
    {
        argumentsQuote = -1;
    }

    /** The arguments string of the fragment being read (the decoder's reader is on it). */
    void noteArguments(final JsonReader top, final JsonReader r, final CharView v) throws JsonReader.BadPayload
    {
        if (learnable && r == top)
        {
            final int quote = r.stringStartOffset();
            argumentsQuote = template.decodesTo(r.inputArray(), quote, r.inputOffset() + r.inputLength(), v) ? quote : -1;
            learnable = argumentsQuote >= 0;
        }
    }

    /**
     * As {@link #noteArguments} for an arguments string {@link ChunkScan} decoded (with the decoder the template matches
     * by) from the payload it scanned, at array index {@code quote}.
     */
    void noteScannedArguments(final int quote)
    {
        if (learnable)
        {
            argumentsQuote = quote;
        }
    }

    /**
     * The fragment was matched to a call. Only a fragment that appends arguments and nothing else (no id or name; a
     * type, which a call found ignores) to a call found by its index can be replayed: the same bytes around other
     * arguments find the same call and append to it, nothing else.
     */
    void noteCall(final boolean bareFragmentByIndex, final MutableChoice choice, final MutablePart call)
    {
        if (learnable)
        {
            if (bareFragmentByIndex && argumentsQuote >= 0 && ++appends == 1)
            {
                this.choice = choice;
                kind = MutablePart.Kind.TOOL_CALL;
                this.call = call;
                textQuote = argumentsQuote;
                textName = null;
                field = ChunkShapes.ARGUMENTS;
                effect(ChunkShapes.APPEND);
            }
            else
            {
                learnable = false;
            }
        }
    }

    /** The payload was read whole: learn it when it appended exactly one string and reported nothing. */
    void end(final JsonReader top, final boolean errorSeen)
    {
        end(top.inputArray(), top.inputOffset(), top.inputLength(), errorSeen, false);
    }

    /**
     * As {@link #end(JsonReader, boolean)} for the payload {@code src[offset, offset + length)}.
     *
     * @param checked whether a byte scan checked the payload whole ({@link ChunkScan}): a template learnt from it need
     *                not check it again.
     */
    void end(final byte[] src, final int offset, final int length, final boolean errorSeen, final boolean checked)
    {
        if (!learnable || errorSeen || appends != 1 || aggregate.errorCount() != errorsBefore)
        {
            return;
        }
        if (extras == 0)
        {
            final boolean oneIndex = choiceIndexFrom >= 0 && call == null;
            template.learn(src, offset, length, choice, kind, call,
                switchable ? textName : null, textQuote, valueName, valueQuote,
                oneIndex ? choiceIndexFrom : -1, oneIndex ? choiceIndexTo : -1);
        }
        else if (field >= 0)
        {
            // TGI stamps every chunk with the current second: learnt as a slot at once, rather than when the second
            // first changes (a full read and a second learn, a fifth of a short stream's fold). Only beside other
            // slots: a plain text chunk stays on the one-string template.
            final int created = tgiObject && createdSeen ? ChunkShapes.CREATED : 0;
            shapes.learn(src, offset, length, field,
                extras | created | (valueName != null ? ChunkShapes.VALUE : 0), effects, effectCount, choice, kind, call,
                (extras & ChunkShapes.REFUSAL_LOGPROB) != 0, valueName, checked);
        }
    }
}
