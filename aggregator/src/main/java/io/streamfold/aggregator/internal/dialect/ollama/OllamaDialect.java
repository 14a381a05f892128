package io.streamfold.aggregator.internal.dialect.ollama;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.fold.MutableUsage;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.ndjson.NdjsonFramer;

/**
 * Ollama's native NDJSON streams, one JSON object per line, from {@code /api/chat} ({@code message} with
 * {@code role}, {@code content}, {@code thinking}, {@code tool_calls}) and {@code /api/generate}
 * ({@code response}, {@code thinking}, and {@code context} on the last line). One choice, 0.
 *
 * <p>Rules: content and thinking deltas join; each tool call arrives whole (its {@code arguments} object
 * becomes the arguments JSON text; {@code function.index} is its wire index). The counters
 * ({@code prompt_eval_count}, {@code eval_count}) and durations of the final line are merged into usage,
 * so {@link MutableUsage} normalizes them, and are written back at top level as Ollama does; {@code model},
 * {@code created_at}, {@code context} and unknown fields go to meta. {@code done: true} finishes the
 * choice with {@code done_reason} and ends the stream COMPLETE; end of input without it is TRUNCATED; an
 * {@code error} line ends it at once with ERROR.
 */
public final class OllamaDialect extends Dialect
{
    private final MutableTextBuffer doneReason = new MutableTextBuffer();
    private final MutableTextBuffer pendingText = new MutableTextBuffer();
    private final MutableTextBuffer pendingThinking = new MutableTextBuffer();
    private final MutableTextBuffer pendingRole = new MutableTextBuffer();
    private final MutableRawJson pendingToolCalls = new MutableRawJson();
    /** The line's counts, merged into the usage only once the whole line has parsed. */
    private final MutableRawFields pendingUsage = new MutableRawFields();
    private final JsonReader replayReader;
    private final MutableRawJson scratch = new MutableRawJson();
    private final MutableTextBuffer arguments = new MutableTextBuffer();
    private final MutableTextBuffer callId = new MutableTextBuffer();
    private final MutableTextBuffer callName = new MutableTextBuffer();
    private final MutableRawFields callExtra = new MutableRawFields();
    private boolean generate;
    private boolean chat;

    // The repeated line: any of these strings may vary (slot order: the bits' order), the rest must repeat.
    // created_at is only checked, and kept as its bytes: nobody reads it until the result is written.
    private static final int RESPONSE = 1;
    private static final int THINKING = 2;
    private static final int CONTENT = 4;
    private static final int MESSAGE_THINKING = 8;
    private static final int CREATED_AT = 16;
    private static final String CREATED_AT_NAME = "created_at";
    private static final EventShape[] LINE_SHAPES = lineShapes();
    /** Per shape (by its mask): the field bit each slot reads, in slot order. */
    private static final int[][] SLOT_FIELDS = slotFields();
    /**
     * Per shape: the slot of its one text string, of its one thinking string and of created_at (-1 when absent); null
     * for the rare shapes with two strings of a kind (response and message.content), which gather them first.
     */
    private static final int[][] DIRECT_SLOTS = directSlots();
    /** What the line being read holds among the bits above; -1 once it did anything the fast path does not repeat. */
    private int learnMask;
    /** Where {@code created_at} was last found in the metadata (a hint, checked before use). */
    private int createdAtIndex = -1;

    public OllamaDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, OllamaReporting.INSTANCE);
        replayReader = new JsonReader(limits);
    }

    private static EventShape[] lineShapes()
    {
        final EventShape[] shapes = new EventShape[32];
        for (int mask = 1; mask < 32; mask++)
        {
            final EventShape.Builder b = EventShape.of(mask);
            if ((mask & RESPONSE) != 0)
            {
                b.string("response");
            }
            if ((mask & THINKING) != 0)
            {
                b.string("thinking");
            }
            if ((mask & CONTENT) != 0)
            {
                b.string("message", "content");
            }
            if ((mask & MESSAGE_THINKING) != 0)
            {
                b.string("message", "thinking");
            }
            if ((mask & CREATED_AT) != 0)
            {
                b.raw("created_at");
            }
            shapes[mask] = b.build();
        }
        return shapes;
    }

    private static int[][] slotFields()
    {
        final int[][] fields = new int[32][];
        for (int mask = 1; mask < 32; mask++)
        {
            fields[mask] = new int[Integer.bitCount(mask)];
            int slot = 0;
            for (int bit = 1; bit <= CREATED_AT; bit <<= 1)
            {
                if ((mask & bit) != 0)
                {
                    fields[mask][slot++] = bit;
                }
            }
        }
        return fields;
    }

    private static int[][] directSlots()
    {
        final int[][] direct = new int[32][];
        for (int mask = 1; mask < 32; mask++)
        {
            final int[] fields = SLOT_FIELDS[mask];
            final int[] slots = {-1, -1, -1};
            boolean twoOfAKind = false;
            for (int slot = 0; slot < fields.length; slot++)
            {
                final int kind = fields[slot] == RESPONSE || fields[slot] == CONTENT ? 0 :
                    fields[slot] == THINKING || fields[slot] == MESSAGE_THINKING ? 1 : 2;
                twoOfAKind |= slots[kind] >= 0;
                slots[kind] = slot;
            }
            direct[mask] = twoOfAKind ? null : slots;
        }
        return direct;
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new NdjsonFramer(listener, limits.framing());
    }

    @Override
    public void reset()
    {
        super.reset();
        replayReader.abandon();
        pendingUsage.clear();
        generate = false;
        chat = false;
    }

    /** The learnt line answers the framer's line-end hint, and folds the line the framer then offers: read once. */
    @Override
    public boolean hintsDataLines()
    {
        return true;
    }

    @Override
    public boolean foldHinted()
    {
        if (!eventTemplate.matchHinted())
        {
            return false;
        }
        foldRepeated();
        return true;
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        // Kept small so that the repeated line's path compiles into the caller; the full decoder is a call away.
        if (eventTemplate.match(frame.buffer(), frame.offset(), frame.length()))
        {
            foldRepeated();
            return;
        }
        readLine(frame);
    }

    /** The full decoder: one line read with the JSON reader, learnt when it may repeat. */
    private void readLine(final Frame frame) throws JsonReader.BadPayload
    {
        eventTemplate.forget();
        learnMask = 0;
        final int errorsBefore = aggregate.errorCount();
        json.beginObject(frame.buffer(), frame.offset(), frame.length());
        pendingUsage.clear();
        boolean done = false;
        boolean failed = false;
        boolean usage = false;
        doneReason.clear();
        pendingText.clear();
        pendingThinking.clear();
        pendingRole.clear();
        pendingToolCalls.clear();
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "message":
                    chat = true;
                    if (value == JsonToken.START_OBJECT)
                    {
                        readMessage();
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "response":
                    generate = true;
                    noteString(RESPONSE, value);
                    pend(pendingText);
                    break;
                case "thinking":
                    noteString(THINKING, value);
                    pend(pendingThinking);
                    break;
                case "done":
                    done = value == JsonToken.VALUE_TRUE;
                    break;
                case "created_at":
                    noteString(CREATED_AT, value);
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
                    break;
                case "done_reason":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = json.text();
                        doneReason.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "prompt_eval_count":
                case "eval_count":
                case "total_duration":
                case "load_duration":
                case "prompt_eval_duration":
                case "eval_duration":
                    captureKeepingNonEmpty(pendingUsage, name, json);
                    usage = true;
                    break;
                case "error":
                    if (value != JsonToken.VALUE_NULL)
                    {
                        providerError(json);
                        failed = true;
                    }
                    break;
                default:
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
        // The object itself parsed whole (beginObject checked it balanced, the parser read it to its end),
        // so it is applied before finish() looks at what trails it: two lines run together by a lost
        // newline keep the first one.
        aggregate.start();
        apply();
        if (usage)
        {
            mergePendingUsage();
            aggregate.usageUpdated();
        }
        json.finish();
        if (learnMask > 0 && !failed && !done && !usage && pendingToolCalls.type() != MutableRawJson.Type.STRUCTURED &&
            aggregate.errorCount() == errorsBefore)
        {
            eventTemplate.learn(frame.buffer(), frame.offset(), frame.length(), LINE_SHAPES[learnMask]);
        }
        if (failed)
        {
            aggregate.end(Outcome.ERROR);
        }
        else if (done)
        {
            final MutableChoice choice = aggregate.choiceForIndex(0);
            if (choice != null)
            {
                aggregate.finish(choice, doneReason.array(), 0, doneReason.length());
            }
            aggregate.end(Outcome.COMPLETE);
        }
    }

    @Override
    public String unfinished()
    {
        return "before the done:true line";
    }

    /** Copies the parsed line's counts into the usage; a null or empty count never replaces one already there. */
    private void mergePendingUsage()
    {
        final MutableRawFields fields = aggregate.usage().mutableFields();
        for (int i = 0; i < pendingUsage.size(); i++)
        {
            final String name = pendingUsage.name(i);
            final MutableRawJson value = pendingUsage.value(i);
            final MutableRawJson existing = fields.get(name);
            if (existing != null && !existing.isNullish() && value.isNullish())
            {
                continue;
            }
            final MutableRawJson slot = fields.slot(name, limits.maxRawFields());
            if (slot == null)
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + name + "' dropped");
                continue;
            }
            slot.copyFrom(value);
        }
        pendingUsage.clear();
    }

    /** A string field the fast path may see vary; anything but a string there makes the line unlearnable. */
    private void noteString(final int bit, final JsonToken value)
    {
        learnMask = learnMask >= 0 && value == JsonToken.VALUE_STRING ? learnMask | bit : -1;
    }

    /**
     * A line that repeats the learnt one around new strings: the learnt line's effects (its other fields are
     * the same bytes, and what they left pending is still there) with the new strings, in the line's order.
     * The role it set is not set again: the same bytes would set the same role.
     */
    private void foldRepeated()
    {
        final int[] direct = DIRECT_SLOTS[eventTemplate.shape().meaning()];
        if (direct == null || !withinLineLimit(direct[0]) || !withinLineLimit(direct[1]))
        {
            foldGathered();
            return;
        }
        // One string of each kind, each within the line's limit: gathering would copy them unchanged, so they go
        // straight to the choice, thinking first as apply() does.
        final int createdAt = direct[2];
        if (createdAt >= 0)
        {
            keepCreatedAt(eventTemplate.input(), eventTemplate.valueStart(createdAt), eventTemplate.valueEnd(createdAt) - 1);
        }
        aggregate.start();
        final int thinking = direct[1];
        final int text = direct[0];
        if (thinking >= 0 && eventTemplate.stringLength(thinking) > 0 || text >= 0 && eventTemplate.stringLength(text) > 0)
        {
            final MutableChoice choice = aggregate.choiceForIndex(0);
            if (choice != null)
            {
                appendSlot(choice, MutablePart.Kind.REASONING, thinking);
                appendSlot(choice, MutablePart.Kind.TEXT, text);
            }
        }
    }

    private boolean withinLineLimit(final int slot)
    {
        return slot < 0 || eventTemplate.stringLength(slot) <= limits.maxTextChars();
    }

    private void appendSlot(final MutableChoice choice, final MutablePart.Kind kind, final int slot)
    {
        if (slot >= 0 && eventTemplate.stringLength(slot) > 0)
        {
            aggregate.appendText(choice, kind, eventTemplate.stringChars(slot), 0, eventTemplate.stringLength(slot));
        }
    }

    /** The general repeated line: its strings gathered per kind in the line's order, as the full decoder does. */
    private void foldGathered()
    {
        final int[] fields = SLOT_FIELDS[eventTemplate.shape().meaning()];
        pendingText.clear();
        pendingThinking.clear();
        for (int k = 0; k < fields.length; k++)
        {
            final int slot = eventTemplate.slotInByteOrder(k);
            switch (fields[slot])
            {
                case RESPONSE:
                case CONTENT:
                    pend(pendingText, eventTemplate.stringChars(slot), 0, eventTemplate.stringLength(slot));
                    break;
                case THINKING:
                case MESSAGE_THINKING:
                    pend(pendingThinking, eventTemplate.stringChars(slot), 0, eventTemplate.stringLength(slot));
                    break;
                default:
                    keepCreatedAt(eventTemplate.input(), eventTemplate.valueStart(slot), eventTemplate.valueEnd(slot) - 1);
            }
        }
        aggregate.start();
        if (pendingText.length() > 0 || pendingThinking.length() > 0)
        {
            final MutableChoice choice = aggregate.choiceForIndex(0);
            if (choice != null)
            {
                appendPendingText(choice);
            }
        }
    }

    /**
     * The repeated line's {@code created_at} (its quotes at {@code open} and {@code close}), into the slot the learnt
     * line kept it in (found by name otherwise).
     */
    private void keepCreatedAt(final byte[] src, final int open, final int close)
    {
        final MutableRawFields meta = aggregate.meta();
        MutableRawJson slot = meta.valueAtIfNamed(createdAtIndex, CREATED_AT_NAME);
        if (slot == null)
        {
            createdAtIndex = meta.indexOf(CREATED_AT_NAME);
            slot = meta.valueAtIfNamed(createdAtIndex, CREATED_AT_NAME);
        }
        keepCheckedStringKeepingNonEmpty(meta, slot, CREATED_AT_NAME, src, open, close);
    }

    /**
     * Keeps a string until the line has parsed completely, so a malformed line changes nothing (lenient
     * mode skips it whole).
     */
    private void pend(final MutableTextBuffer into) throws JsonReader.BadPayload
    {
        if (json.token() != JsonToken.VALUE_STRING)
        {
            json.skip();
            return;
        }
        final CharView v = json.text();
        pend(into, v.array(), v.offset(), v.length());
    }

    private void pend(final MutableTextBuffer into, final char[] chars, final int offset, final int length)
    {
        if (!into.append(chars, offset, length, limits.maxTextChars()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "line text longer than " + limits.maxTextChars() + " characters");
        }
    }

    /** Folds what the line carried, now that it is known to be well formed. */
    private void apply() throws JsonReader.BadPayload
    {
        if (pendingText.length() == 0 && pendingThinking.length() == 0 && pendingRole.length() == 0 &&
            pendingToolCalls.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        if (pendingRole.length() > 0)
        {
            choice.role().set(pendingRole, limits.maxTextChars());
        }
        appendPendingText(choice);
        if (pendingToolCalls.type() == MutableRawJson.Type.STRUCTURED)
        {
            replayReader.begin(pendingToolCalls);
            while (replayReader.next() == JsonToken.START_OBJECT)
            {
                readToolCall(replayReader, choice);
            }
            replayReader.finish();
        }
    }

    /** Thinking first, then the answer, whatever order the line gave them in. */
    private void appendPendingText(final MutableChoice choice)
    {
        if (pendingThinking.length() > 0)
        {
            aggregate.appendText(choice, MutablePart.Kind.REASONING, pendingThinking.array(), 0, pendingThinking.length());
        }
        if (pendingText.length() > 0)
        {
            aggregate.appendText(choice, MutablePart.Kind.TEXT, pendingText.array(), 0, pendingText.length());
        }
    }

    private void readMessage() throws JsonReader.BadPayload
    {
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "role":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = json.text();
                        pendingRole.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "content":
                    noteString(CONTENT, value);
                    pend(pendingText);
                    break;
                case "thinking":
                    noteString(MESSAGE_THINKING, value);
                    pend(pendingThinking);
                    break;
                case "tool_calls":
                    learnMask = -1;
                    if (value == JsonToken.START_ARRAY)
                    {
                        if (!json.capture(pendingToolCalls))
                        {
                            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool_calls larger than " + limits.maxRawBytes() + " bytes");
                        }
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                default:
                    learnMask = -1;
                    final MutableChoice choice = aggregate.choiceForIndex(0);
                    if (choice == null)
                    {
                        json.skip();
                    }
                    else if (!choice.messageExtra().fold(name, json, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "message field '" + name + "' dropped: limit");
                    }
            }
        }
    }

    /** One whole tool call: {@code {id?, type?, function: {index?, name, arguments}}}. */
    private void readToolCall(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        long index = -1;
        boolean refused = false;
        callId.clear();
        callName.clear();
        arguments.clear();
        callExtra.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("id".equals(name) && value == JsonToken.VALUE_STRING)
            {
                copyText(r, callId, limits.maxArgumentChars());
            }
            else if ("function".equals(name) && value == JsonToken.START_OBJECT)
            {
                while (r.next() == JsonToken.FIELD_NAME)
                {
                    final String field = r.name();
                    final JsonToken v = r.next();
                    if ("name".equals(field) && v == JsonToken.VALUE_STRING)
                    {
                        copyText(r, callName, limits.maxArgumentChars());
                    }
                    else if ("index".equals(field))
                    {
                        index = index(r, "tool_calls[].function.index");
                        refused = index < 0;
                    }
                    else if ("arguments".equals(field) && v == JsonToken.VALUE_STRING)
                    {
                        copyText(r, arguments, limits.maxArgumentChars());
                    }
                    else if ("arguments".equals(field) && v != JsonToken.VALUE_NULL)
                    {
                        if (r.capture(scratch))
                        {
                            arguments.set(scratch.json(), limits.maxArgumentChars());
                        }
                        else
                        {
                            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool-call arguments larger than " + limits.maxRawBytes());
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                }
            }
            else
            {
                captureKeepingNonEmpty(callExtra, name, r);
            }
        }
        if (refused)
        {
            return;
        }
        final MutablePart call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, index);
        if (call == null)
        {
            return;
        }
        call.type().set("function", 64);
        call.id().set(callId, limits.maxTextChars());
        call.name().set(callName, limits.maxTextChars());
        call.extra().copyFrom(callExtra);
        aggregate.toolCallStarted(choice, call);
        aggregate.appendArguments(choice, call, arguments.array(), 0, arguments.length());
        aggregate.endPart(choice, call);
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        // A stream of /api/generate lines (and none of /api/chat) is written back as /api/generate.
        OllamaWriter.write(result, generate && !chat, g);
    }
}
