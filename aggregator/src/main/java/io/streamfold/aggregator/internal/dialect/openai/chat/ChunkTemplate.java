package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.HintedLine;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.CharView;

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
    /** The tool call whose arguments the string extends, or null for text. */
    private MutablePart call;
    private boolean learnt;
    /** The learnt bytes hold no CR or LF (a payload of several data lines holds LF): a match never spans a line end. */
    private boolean lineSafe;
    /** What {@link #matchLine} matched last. */
    private final HintedLine hinted = new HintedLine();

    private char[] text = new char[256];
    private int textLength;
    private char[] value = new char[64];
    private int valueLength;
    /** Set by {@link #decode}: the decoded length. */
    private int decodedLength;

    private long folds;

    ChunkTemplate(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.maxStringChars = Math.max(limits.maxTextChars(), limits.maxRawBytes());
    }

    /** Forgets the template: the next payload goes to the full parser. */
    void forget()
    {
        learnt = false;
        hinted.forget();
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
        final int close = decode(src, quote + 1, limit, false);
        if (close < 0 || decodedLength != jackson.length())
        {
            return false;
        }
        final char[] chars = jackson.array();
        final int offset = jackson.offset();
        return Arrays.equals(text, 0, decodedLength, chars, offset, offset + decodedLength);
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
        final int textQuote,
        final String valueName,
        final int valueQuote)
    {
        learnt = false;
        hinted.forget();
        final int limit = offset + count;
        final int textClose = decode(src, textQuote + 1, limit, false);
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
            valueClose = decode(src, valueQuote + 1, limit, true);
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
        lineSafe = true;
        for (int i = 0; i < count; i++)
        {
            final byte b = bytes[i];
            if (b == '\n' || b == '\r')
            {
                lineSafe = false;
                break;
            }
        }
        learnt = true;
    }

    /**
     * Where a data line's value that repeats the template ends, for the framer ({@code DataLineHint}): the same
     * match {@link #tryFold} runs, kept for the frame that carries exactly these bytes so that its fold does not
     * match them again. Changes nothing a fold observes.
     *
     * @param to         index after the last byte the slice holds (the line end is somewhere before it).
     * @param lineOffset stream offset of the data line, which is the frame's when the line starts its event.
     * @return index after the value's last byte, with no CR or LF before it (the template's literal bytes hold
     *         none, and {@link #decode} refuses every control byte), or -1.
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
     * Folds the payload when it repeats the template around new string bodies.
     *
     * @param streamOffset the frame's stream offset: with the same bytes, says whether {@link #matchLine} matched
     *                     them already.
     * @return false (nothing changed) when it does not: the full parser must read it.
     */
    boolean tryFold(final byte[] src, final int offset, final int count, final long streamOffset)
    {
        if (hinted.take(src, offset, count, streamOffset))
        {
            // The framer's hint matched these very bytes of this event (nothing is learnt or forgotten between).
            return apply();
        }
        return learnt && match(src, offset, offset + count) == offset + count && apply();
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
        if (to - offset < length - (textEnd - textStart) - (valueStart >= 0 ? valueEnd - valueStart : 0))
        {
            return -1;
        }
        if (!Arrays.equals(bytes, 0, textStart, src, offset, offset + textStart))
        {
            return -1;
        }
        final int textClose = decode(src, offset + textStart, to, false);
        if (textClose < 0 || textClose - (offset + textStart) > maxStringChars)
        {
            return -1;
        }
        textLength = decodedLength;
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
        final int valueClose = decode(src, valueFrom, to, true);
        if (valueClose < 0 || valueClose - valueFrom > maxStringChars || decodedLength > limits.maxRawBytes())
        {
            return -1;
        }
        final int end = valueClose + (length - valueEnd);
        if (end > to || !Arrays.equals(bytes, valueEnd, length, src, valueClose, end))
        {
            return -1;
        }
        valueLength = decodedLength;
        return end;
    }

    /** The matched payload's effect, when the part state is still the one the template was learnt in. */
    private boolean apply()
    {
        MutablePart last = null;
        if (call == null)
        {
            last = choice.lastPart();
            if (last == null || last.kind() != kind || last.isEnded() || choice.isFinished())
            {
                // The full path would open a new part (and name its type), or report text after the finish:
                // leave that to it.
                return false;
            }
        }
        MutableRawJson slot = null;
        if (valueStart >= 0)
        {
            slot = valueField.in(aggregate.meta());
            if (slot == null)
            {
                return false;
            }
        }
        aggregate.start();
        if (call != null)
        {
            // As the full path copies arguments: at most one character past the limit, the aggregate reports it.
            final int most = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
            aggregate.appendArguments(choice, call, text, 0, Math.min(textLength, most));
        }
        else
        {
            // The part the full path would append to is the one checked above: no second lookup.
            aggregate.appendText(choice, last, text, 0, textLength);
        }
        // As the full path keeps it: an empty string never replaces a value already there.
        if (slot != null && (valueLength > 0 || slot.isNullish()))
        {
            slot.setScalar(MutableRawJson.Type.STRING, value, 0, valueLength, limits.maxRawBytes());
        }
        folds++;
        return true;
    }

    /**
     * Validates and decodes one JSON string body starting at {@code from} into {@link #text} (or {@link #value}
     * when {@code intoValue}). Accepts only what Jackson accepts and decodes the same way: the standard escapes,
     * {@code \}{@code uXXXX} as one UTF-16 unit each (lone surrogates included, as Jackson does), and
     * well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing past U+10FFFF). Everything
     * else, valid for Jackson or not, returns -1 so the parser decides.
     *
     * @return index of the closing quote, or -1.
     */
    private int decode(final byte[] src, final int from, final int limit, final boolean intoValue)
    {
        final int most = limit - from;
        char[] out = intoValue ? value : text;
        if (out.length < most)
        {
            out = new char[Math.max(most, out.length * 2)];
            if (intoValue)
            {
                value = out;
            }
            else
            {
                text = out;
            }
        }
        // Plain ASCII up to the closing quote is the common case: kept small so that it inlines into tryFold,
        // while escapes and multi-byte UTF-8 continue in decodeRest.
        int n = 0;
        int i = from;
        while (i < limit)
        {
            final int b = src[i];
            if (b >= 0x20 && b != '"' && b != '\\')
            {
                out[n++] = (char)b;
                i++;
                continue;
            }
            if (b == '"')
            {
                decodedLength = n;
                return i;
            }
            return decodeRest(src, i, limit, out, n);
        }
        return -1;
    }

    /** The rest of {@link #decode} from the first byte that is not plain ASCII, {@code n} chars already out. */
    private int decodeRest(final byte[] src, final int from, final int limit, final char[] out, final int decoded)
    {
        int n = decoded;
        int i = from;
        while (i < limit)
        {
            final int b = src[i];
            if (b >= 0x20 && b != '"' && b != '\\')
            {
                out[n++] = (char)b;
                i++;
                continue;
            }
            if (b == '"')
            {
                decodedLength = n;
                return i;
            }
            if (b == '\\')
            {
                if (i + 1 >= limit)
                {
                    return -1;
                }
                final int e = src[i + 1];
                i += 2;
                switch (e)
                {
                    case '"':
                        out[n++] = '"';
                        break;
                    case '\\':
                        out[n++] = '\\';
                        break;
                    case '/':
                        out[n++] = '/';
                        break;
                    case 'b':
                        out[n++] = '\b';
                        break;
                    case 'f':
                        out[n++] = '\f';
                        break;
                    case 'n':
                        out[n++] = '\n';
                        break;
                    case 'r':
                        out[n++] = '\r';
                        break;
                    case 't':
                        out[n++] = '\t';
                        break;
                    case 'u':
                    {
                        if (i + 4 > limit)
                        {
                            return -1;
                        }
                        int c = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            final int h = hex(src[i + k]);
                            if (h < 0)
                            {
                                return -1;
                            }
                            c = (c << 4) | h;
                        }
                        i += 4;
                        out[n++] = (char)c;
                        break;
                    }
                    default:
                        return -1;
                }
                continue;
            }
            if (b >= 0)
            {
                // A control byte: Jackson refuses it unescaped.
                return -1;
            }
            final int lead = b & 0xFF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                if (i + 1 >= limit || !isContinuation(src[i + 1]))
                {
                    return -1;
                }
                out[n++] = (char)(((lead & 0x1F) << 6) | (src[i + 1] & 0x3F));
                i += 2;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                if (i + 2 >= limit)
                {
                    return -1;
                }
                final int b1 = src[i + 1] & 0xFF;
                final int min = lead == 0xE0 ? 0xA0 : 0x80;
                final int max = lead == 0xED ? 0x9F : 0xBF;
                if (b1 < min || b1 > max || !isContinuation(src[i + 2]))
                {
                    return -1;
                }
                out[n++] = (char)(((lead & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (src[i + 2] & 0x3F));
                i += 3;
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                if (i + 3 >= limit)
                {
                    return -1;
                }
                final int b1 = src[i + 1] & 0xFF;
                final int min = lead == 0xF0 ? 0x90 : 0x80;
                final int max = lead == 0xF4 ? 0x8F : 0xBF;
                if (b1 < min || b1 > max || !isContinuation(src[i + 2]) || !isContinuation(src[i + 3]))
                {
                    return -1;
                }
                final int cp = ((lead & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((src[i + 2] & 0x3F) << 6) | (src[i + 3] & 0x3F);
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
                i += 4;
            }
            else
            {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }

    private static int hex(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }
}
