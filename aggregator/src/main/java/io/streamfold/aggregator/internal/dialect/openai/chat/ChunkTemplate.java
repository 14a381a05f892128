package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.HintedLine;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.LineScanner;
import io.streamfold.aggregator.internal.json.JsonReader;
import org.agrona.DirectBuffer;

/**
 * The repeated-prefix fast path for OpenAI-compatible chunks. Such streams repeat the same bytes in every
 * chunk up to the first changing value ({@code {"id":"…",…,"delta":{"content":"}) and usually after it
 * ({@code "},"logprobs":null,"finish_reason":null}],…}). Once the full parser has read a chunk whose only
 * effect beyond replaying what it already did is appending one string to one open part, that chunk is
 * learnt as a template: a payload that repeats its bytes around a different, valid JSON string body has
 * exactly the same effect as the template with that string, so the string is decoded here and appended
 * without running the parser.
 *
 * <p>The string may also be a tool call's arguments fragment, when the chunk names the call only by its index
 * and the call already exists: the same bytes around other arguments find the same call.
 *
 * <p>One more varying string is allowed after the text: the value of a top-level field the full path would
 * only keep raw (OpenAI's per-chunk {@code obfuscation} padding). Anything else that differs, any byte this
 * class is not certain to decode exactly as Jackson would (invalid or unusual UTF-8, bad escapes, control
 * bytes, strings near Jackson's length limit), and any part state the full path would treat differently
 * sends the payload back to the full parser, which then learns again from it or forgets the template.
 * Nothing is changed before the whole payload has been checked, so a fallback never follows half an effect.
 */
final class ChunkTemplate
{
    /** Read once: {@code -Dstreamfold.chunkTemplate=false} turns the fast path off (for comparisons). */
    static final boolean ENABLED = !"false".equals(System.getProperty("streamfold.chunkTemplate"));

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    /** Jackson's string length constraint (see JsonReader): a longer string must go to the parser to fail there. */
    private final int maxStringChars;

    private byte[] bytes = new byte[0];
    private int length;
    /** Index just past the text's opening quote. */
    private int textStart;
    /** Index of the text's closing quote. */
    private int textEnd;
    /** Index just past the varying field value's opening quote, or -1 when there is none. */
    private int valueStart = -1;
    /** Index of the varying field value's closing quote. */
    private int valueEnd;
    private final MetaField valueField = new MetaField();
    private MutableChoice choice;
    private MutablePart.Kind kind;
    /**
     * Index of the opening quote of the text's field name, {@code "name":"} written plainly just before the text, or -1:
     * a chunk that differs only in naming another text field of {@link #SWITCHES} (reasoning, then the answer) is the
     * learnt chunk with its text in a new part, and is folded as the full path folds it.
     */
    private int nameStart = -1;
    private int nameIndex;
    /** What {@link #match} found in a chunk naming another field: its index in {@link #SWITCHES}, or -1. */
    private int switched = -1;
    /** Array index just past the matched text's opening quote, and past the varying value's (when there is one). */
    private int matchedText;
    private int matchedValue;
    /** The tool call whose arguments the string extends, or null for text. */
    private MutablePart call;
    /**
     * Where the digits of the choice's index lie in the learnt bytes, before the text ({@link #indexStart} -1 when the
     * index is not a slot: the chunk names a tool call, or its index comes after the text or was not located). A chunk
     * equal to the learnt one but for another index is the learnt chunk sent for that choice: n > 1 streams send their
     * choices' chunks in turn, and the full path reads each into its own choice exactly as it read the learnt one.
     */
    private int indexStart = -1;
    private int indexEnd;
    /** Fewest bytes a matching payload has: the learnt ones but for the varying strings and one index digit. */
    private int leastLength;
    /** The choice the last match is for: {@link #choice}, or another one's index ({@link #matchedIndex}, else -1). */
    private long matchedIndex = -1;
    /** Array indexes of the last match's index digits (for a chunk learnt from it). */
    private int matchedIndexFrom;
    private int matchedIndexTo;
    private boolean learnt;
    /** The learnt bytes hold no CR or LF (a payload of several data lines holds LF): a match never spans a line end. */
    private boolean lineSafe;
    /** What {@link #matchLine} matched last. */
    private final HintedLine hinted = new HintedLine();

    /** The varying strings, decoded as Jackson decodes them (the shared decoder: eight plain bytes a step). */
    private final StringDecoder text = new StringDecoder(256);
    private final StringDecoder value = new StringDecoder(64);
    /** The learnt bytes, as the line-end search reads them. */
    private final DirectBuffer lineView = Buffers.newView();

    private long folds;

    /** The delta's text fields as they open a text ({@code "name":"}), the kind each appends to, and the type a new part is named. */
    private static final byte[][] SWITCHES = {
        opening("content"), opening("reasoning_content"), opening("reasoning"), opening("refusal")};
    private static final String[] SWITCH_NAMES = {"content", "reasoning_content", "reasoning", "refusal"};
    private static final MutablePart.Kind[] SWITCH_KINDS = {
        MutablePart.Kind.TEXT, MutablePart.Kind.REASONING, MutablePart.Kind.REASONING, MutablePart.Kind.REFUSAL};
    /** As {@link ChoiceReader}: only reasoning names the part it opens after the field. */
    private static final boolean[] SWITCH_TYPED = {false, true, true, false};

    private static byte[] opening(final String name)
    {
        return ('"' + name + "\":\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    ChunkTemplate(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.maxStringChars = JsonReader.maxStringChars(limits);
    }

    /** Forgets the template: the next payload goes to the full parser. */
    void forget()
    {
        learnt = false;
        hinted.release();
        choice = null;
        call = null;
    }

    /** @return true while a template is learnt. */
    boolean isLearnt()
    {
        return learnt;
    }

    /** @return payloads folded by the fast path since this dialect was created (for tests). */
    long folds()
    {
        return folds;
    }

    /**
     * Checks, while the parser is on the string, that this class decodes the string at {@code quote} to
     * exactly the characters Jackson produced: the template is only learnt from offsets proven right.
     */
    boolean decodesTo(final byte[] src, final int quote, final int limit, final CharView jackson)
    {
        if (quote < 0 || src[quote] != '"')
        {
            return false;
        }
        final int close = text.decode(src, quote + 1, limit);
        if (close < 0 || text.length() != jackson.length())
        {
            return false;
        }
        final char[] chars = jackson.array();
        final int offset = jackson.offset();
        return Arrays.equals(text.chars(), 0, text.length(), chars, offset, offset + text.length());
    }

    /**
     * Learns the payload {@code src[offset, offset + count)} as a template.
     *
     * @param textQuote  array index of the opening quote of the one string whose append was the chunk's effect.
     * @param valueQuote array index of the opening quote of a later top-level string value kept raw, or -1.
     */
    void learn(
        final byte[] src,
        final int offset,
        final int count,
        final MutableChoice choice,
        final MutablePart.Kind kind,
        final MutablePart call,
        final String textName,
        final int textQuote,
        final String valueName,
        final int valueQuote,
        final int indexFrom,
        final int indexTo)
    {
        learnt = false;
        hinted.forget();
        final int limit = offset + count;
        final int textClose = text.decode(src, textQuote + 1, limit);
        if (textClose < 0)
        {
            return;
        }
        int valueClose = -1;
        if (valueQuote >= 0)
        {
            if (valueQuote <= textClose || src[valueQuote] != '"')
            {
                return;
            }
            valueClose = value.decode(src, valueQuote + 1, limit);
            if (valueClose < 0)
            {
                return;
            }
        }
        if (bytes.length < count)
        {
            bytes = new byte[Math.max(count, bytes.length * 2)];
        }
        System.arraycopy(src, offset, bytes, 0, count);
        length = count;
        textStart = textQuote + 1 - offset;
        textEnd = textClose - offset;
        valueStart = valueQuote >= 0 ? valueQuote + 1 - offset : -1;
        valueEnd = valueQuote >= 0 ? valueClose - offset : 0;
        if (valueName != null)
        {
            valueField.name(valueName);
        }
        this.choice = choice;
        this.kind = kind;
        this.call = call;
        // Only the index of a text template (a tool call's fragment names a call of its own choice), before the text.
        final boolean indexSlot = call == null && indexFrom > offset && indexTo > indexFrom && indexTo < textQuote;
        indexStart = indexSlot ? indexFrom - offset : -1;
        indexEnd = indexSlot ? indexTo - offset : 0;
        leastLength = length - (textEnd - textStart) - (valueStart >= 0 ? valueEnd - valueStart : 0) -
            (indexSlot ? indexEnd - indexStart - 1 : 0);
        nameStart = call == null ? switchable(textName) : -1;
        // Eight bytes a test (the framers' line-end search), where a byte loop costs a tenth of a first chunk's read.
        lineView.wrap(bytes, 0, count);
        lineSafe = LineScanner.findLineEnd(lineView, 0, count) < 0;
        learnt = true;
    }

    /**
     * @param textName the text's field, or null when a chunk naming another one cannot be folded (the learner saw
     *                 another text field in the delta, which the full path would read beside it).
     * @return where the learnt text's field name opens, written plainly just before the text, or -1.
     */
    private int switchable(final String textName)
    {
        for (int i = 0; i < SWITCH_NAMES.length; i++)
        {
            if (SWITCH_NAMES[i].equals(textName))
            {
                final int start = textStart - SWITCHES[i].length;
                if (start >= 0 && Arrays.equals(bytes, start, textStart, SWITCHES[i], 0, SWITCHES[i].length))
                {
                    nameIndex = i;
                    return start;
                }
                return -1;
            }
        }
        return -1;
    }

    /**
     * Where a data line's value that repeats the template ends, for the framer ({@code DataLineHint}): the same
     * match {@link #tryFold} runs, kept for the frame that carries exactly these bytes so that its fold does not
     * match them again. Changes nothing a fold observes.
     *
     * @param to         index after the last byte the slice holds (the line end is somewhere before it).
     * @param lineOffset stream offset of the data line, which is the frame's when the line starts its event.
     * @return index after the value's last byte, with no CR or LF before it (the template's literal bytes hold
     *         none, and the string decoder refuses every control byte), or -1.
     */
    int matchLine(final byte[] src, final int offset, final int to, final long lineOffset)
    {
        hinted.forget();
        if (!learnt || !lineSafe)
        {
            return -1;
        }
        final int end = match(src, offset, to);
        if (end >= 0)
        {
            hinted.remember(src, offset, end, lineOffset);
        }
        return end;
    }

    /**
     * As {@link #tryFold} for the chunk the framer offers whole in place of its frame: its data is the line
     * {@link #matchLine} matched last.
     *
     * @return false (nothing changed) when no match is held or the fold is left to the full path.
     */
    boolean foldHinted()
    {
        return hinted.takeWhole() && apply(hinted.array(), hinted.offset(), hinted.end() - hinted.offset());
    }

    /**
     * Folds the payload when it repeats the template around new string bodies.
     *
     * @param streamOffset the frame's stream offset: with the same bytes, says whether {@link #matchLine} matched
     *                     them already.
     * @return false (nothing changed) when it does not: the full parser must read it.
     */
    boolean tryFold(final byte[] src, final int offset, final int count, final long streamOffset)
    {
        if (hinted.take(src, offset, count, streamOffset) == HintedLine.MATCHED)
        {
            // The framer's hint matched these very bytes of this event (nothing is learnt or forgotten between).
            return apply(src, offset, count);
        }
        return learnt && match(src, offset, offset + count) == offset + count && apply(src, offset, count);
    }

    /**
     * Matches the bytes from {@code offset} against the template, decoding the varying strings into {@link #text}
     * and {@link #value}.
     *
     * @param to the payload's end when known, else the slice's: a match ends wherever the template's last byte is.
     * @return index after the matched payload's last byte, or -1.
     */
    private int match(final byte[] src, final int offset, final int to)
    {
        switched = -1;
        matchedIndex = -1;
        int textFrom = offset + textStart;
        final boolean room = to - offset >= leastLength;
        if (!room || textFrom > to || !Arrays.equals(bytes, 0, textStart, src, offset, textFrom))
        {
            // Cold: a chunk for another choice, naming another text field, or one the template does not describe.
            textFrom = room && indexStart >= 0 ? prefix(src, offset, to, textStart) : -1;
            if (textFrom < 0)
            {
                textFrom = nameStart >= 0 ? switchedText(src, offset, to) : -1;
                if (textFrom < 0)
                {
                    return -1;
                }
            }
        }
        matchedText = textFrom;
        final int textClose = text.decode(src, textFrom, to);
        if (textClose < 0 || textClose - textFrom > maxStringChars)
        {
            return -1;
        }
        if (valueStart < 0)
        {
            final int end = textClose + (length - textEnd);
            return end <= to && Arrays.equals(bytes, textEnd, length, src, textClose, end) ? end : -1;
        }
        final int between = valueStart - textEnd;
        final int valueFrom = textClose + between;
        if (valueFrom > to || !Arrays.equals(bytes, textEnd, valueStart, src, textClose, valueFrom))
        {
            return -1;
        }
        matchedValue = valueFrom;
        final int valueClose = value.decode(src, valueFrom, to);
        if (valueClose < 0 || valueClose - valueFrom > maxStringChars || value.length() > limits.maxRawBytes())
        {
            return -1;
        }
        final int end = valueClose + (length - valueEnd);
        if (end > to || !Arrays.equals(bytes, valueEnd, length, src, valueClose, end))
        {
            return -1;
        }
        return end;
    }

    /**
     * For {@link #match}: a chunk that opens its text under another field's name, the bytes before it the template's.
     *
     * @return the index just past the text's opening quote ({@link #switched} set to the field), or -1.
     */
    private int switchedText(final byte[] src, final int offset, final int to)
    {
        matchedIndex = -1;
        int at = offset + nameStart;
        if (to - offset < nameStart || !Arrays.equals(bytes, 0, nameStart, src, offset, at))
        {
            at = indexStart >= 0 ? prefix(src, offset, to, nameStart) : -1;
            if (at < 0)
            {
                return -1;
            }
        }
        for (int i = 0; i < SWITCHES.length; i++)
        {
            final byte[] opening = SWITCHES[i];
            if (i != nameIndex && to - at >= opening.length && Arrays.equals(opening, 0, opening.length, src, at, at + opening.length))
            {
                switched = i;
                return at + opening.length;
            }
        }
        return -1;
    }

    /**
     * For {@link #match}: the learnt bytes before {@code upTo} (past the index) repeated with another choice's index, a
     * plain integer as the scan reads one ({@link #matchedIndex} then set to it).
     *
     * @return the index in {@code src} that corresponds to {@code bytes[upTo]}, or -1.
     */
    private int prefix(final byte[] src, final int offset, final int to, final int upTo)
    {
        final int digits = offset + indexStart;
        if (upTo < indexEnd || digits >= to || !Arrays.equals(bytes, 0, indexStart, src, offset, digits))
        {
            return -1;
        }
        long index = 0;
        int d = digits;
        while (d < to && d - digits < 18 && src[d] >= '0' && src[d] <= '9')
        {
            index = index * 10 + (src[d] - '0');
            d++;
        }
        // JSON writes no leading zero; the byte after the digits must be the learnt one (not a digit, '.' or 'e').
        final int rest = d + upTo - indexEnd;
        if (d == digits || (src[digits] == '0' && d - digits > 1) || rest > to ||
            !Arrays.equals(bytes, indexEnd, upTo, src, d, rest))
        {
            return -1;
        }
        matchedIndex = index;
        matchedIndexFrom = digits;
        matchedIndexTo = d;
        return rest;
    }

    /** @return the choice the matched payload is for, or null when it has none yet (the full path then adds it). */
    private MutableChoice matchedChoice()
    {
        return matchedIndex < 0 ? choice : aggregate.choice(matchedIndex);
    }

    /** The matched payload's effect, when the part state is still the one the template was learnt in. */
    private boolean apply(final byte[] src, final int offset, final int count)
    {
        final MutableChoice choice = matchedChoice();
        if (choice == null)
        {
            return false;
        }
        if (switched >= 0)
        {
            return applySwitched(src, offset, count, choice);
        }
        MutablePart last = null;
        if (call == null)
        {
            last = openPart(choice);
            if (last == null)
            {
                // The full path would open a new part (and name its type), or report text after the finish:
                // leave that to it.
                return false;
            }
        }
        final MutableRawJson slot = valueStart >= 0 ? valueField.in(aggregate.meta()) : null;
        if (valueStart >= 0 && slot == null)
        {
            return false;
        }
        aggregate.start();
        if (call != null)
        {
            // As the full path copies arguments: at most one character past the limit, the aggregate reports it.
            final int most = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
            aggregate.appendArguments(choice, call, text.chars(), 0, Math.min(text.length(), most));
        }
        else
        {
            // The part the full path would append to is the one checked above: no second lookup.
            aggregate.appendText(choice, last, text.chars(), 0, text.length());
        }
        keepValue(slot);
        folds++;
        return true;
    }

    /**
     * @return the choice's last part when the full path would append the chunk's text to it (of the learnt kind, not
     *         ended, its choice not finished), else null.
     */
    private MutablePart openPart(final MutableChoice choice)
    {
        final MutablePart last = choice.lastPart();
        return last == null || last.kind() != kind || last.isEnded() || choice.isFinished() ? null : last;
    }

    /** Keeps the chunk's repeated value as the full path keeps it: an empty string never replaces a value already there. */
    private void keepValue(final MutableRawJson slot)
    {
        if (slot != null && (value.length() > 0 || slot.isNullish()))
        {
            slot.setScalar(MutableRawJson.Type.STRING, value.chars(), 0, value.length(), limits.maxRawBytes());
        }
    }

    /**
     * A chunk naming another text field: its text goes where the full path puts it (a new part of that kind, named by
     * the field for reasoning), then the chunk becomes the template, as the full path would learn it.
     */
    private boolean applySwitched(final byte[] src, final int offset, final int count, final MutableChoice choice)
    {
        final MutablePart last = openPart(choice);
        if (last == null)
        {
            return false;
        }
        final MutableRawJson slot = valueStart >= 0 ? valueField.in(aggregate.meta()) : null;
        if (valueStart >= 0 && slot == null)
        {
            return false;
        }
        final int field = switched;
        final int textQuote = matchedText - 1;
        final int valueQuote = valueStart >= 0 ? matchedValue - 1 : -1;
        final int indexFrom = indexStart < 0 ? -1 : matchedIndex < 0 ? offset + indexStart : matchedIndexFrom;
        final int indexTo = indexStart < 0 ? -1 : matchedIndex < 0 ? offset + indexEnd : matchedIndexTo;
        aggregate.start();
        aggregate.appendText(choice, SWITCH_KINDS[field], text.chars(), 0, text.length());
        final MutablePart now = choice.lastPart();
        if (SWITCH_TYPED[field] && now != last && now != null)
        {
            now.type().set(SWITCH_NAMES[field], 64);
        }
        keepValue(slot);
        folds++;
        learn(src, offset, count, choice, SWITCH_KINDS[field], null, SWITCH_NAMES[field], textQuote,
            valueQuote >= 0 ? valueField.name() : null, valueQuote, indexFrom, indexTo);
        return true;
    }
}
