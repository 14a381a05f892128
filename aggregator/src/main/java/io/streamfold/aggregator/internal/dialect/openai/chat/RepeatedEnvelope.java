package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonBytes;

/**
 * The members that open a chunk the fast path could not fold (the first chunk of a new kind of text, the finish
 * chunk, the usage chunk) nearly always repeat the response's identity as the aggregate already keeps it:
 * {@code {"id":"…","object":"chat.completion.chunk","created":…,"model":"…",…}. Reading them again with the parser
 * changes nothing, so they are recognised here and the parser starts after them
 * ({@link io.streamfold.aggregator.internal.json.JsonReader#beginObject(org.agrona.DirectBuffer, int, int, int)}).
 *
 * <p>A member is passed over only when the full reader's handling of it would be a no-op in the current state:
 * its name is one the dialect keeps as metadata ({@code object} is not kept at all), written plainly, and its
 * value is a plain string (printable ASCII, no escape) or a plain integer equal, type and text, to the value the
 * metadata holds for that name now (for {@code object}: any plain string). Keeping a value equal to the one kept
 * changes nothing (no error, no event, no learner note: {@code created} is noted only when it differs). The
 * first member that is anything else, or that is not followed directly by a comma, ends the run; the check
 * goes on from there, so bytes after the run are checked and read as always. No whitespace is allowed inside the
 * run: servers that space their JSON are read whole.
 */
final class RepeatedEnvelope
{
    /** Names whose plain value the dialect only keeps as metadata, and {@code object}, which it skips. */
    private static final String[] NAMES = {"id", "object", "created", "model", "system_fingerprint", "service_tier", "provider"};
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    private static final int OBJECT = 1;
    private static final int CREATED = 2;
    private static final byte[] TEXT_COMPLETION = "text_completion".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Longest plain value compared: a longer string may be kept as its bytes (MutableRawJson.LONG_STRING_BYTES). */
    private static final int MAX_VALUE_BYTES = 200;
    /** Longest plain integer compared (any number the metadata holds fits; a longer one is left to the parser). */
    private static final int MAX_DIGITS = 18;

    static
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            NAME_BYTES[i] = NAMES[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private RepeatedEnvelope()
    {
    }

    /**
     * @param src   the payload's bytes, {@code [from, limit)}.
     * @param meta  the metadata the aggregate keeps now.
     * @param maxDigits      longest number the parser accepts ({@code maxNumberLength}): a longer one is its to refuse.
     * @param maxStringChars longest string the parser accepts: a longer one is its to refuse.
     * @return how many bytes from {@code from} open the object and repeat kept members, each with its comma (the
     *         first member to read starts there), or 0 when none does.
     */
    static int skippable(final byte[] src, final int from, final int limit, final MutableRawFields meta,
        final int maxDigits, final int maxStringChars)
    {
        return skippable(src, from, limit, meta, maxDigits, maxStringChars, null);
    }

    /**
     * What a reader that notes {@code object} and {@code created} for the learner would have noted of the members
     * {@link #skippable(byte[], int, int, MutableRawFields, int, int, Passed)} passed over.
     */
    static final class Passed
    {
        /** {@code object} was the string {@code text_completion} (TGI's). */
        boolean textCompletion;
        /** {@code created} was an integer other than Azure's placeholder 0 (which the scan passes over unnoted). */
        boolean created;
    }

    /**
     * As {@link #skippable(byte[], int, int, MutableRawFields, int, int)}, telling {@code passed} (when not null) what
     * the members passed over were.
     */
    static int skippable(final byte[] src, final int from, final int limit, final MutableRawFields meta,
        final int maxDigits, final int maxStringChars, final Passed passed)
    {
        if (passed != null)
        {
            passed.textCompletion = false;
            passed.created = false;
        }
        if (limit - from < 2 || src[from] != '{')
        {
            return 0;
        }
        int known = 0;
        int i = from + 1;
        while (i < limit && src[i] == '"')
        {
            final int name = name(src, i + 1, limit);
            if (name < 0)
            {
                break;
            }
            final int colon = i + 2 + NAME_BYTES[name].length;
            if (colon + 1 >= limit || src[colon] != ':')
            {
                break;
            }
            final int value = colon + 1;
            final int end = src[value] == '"' ? plainStringEnd(src, value, limit, maxStringChars) :
                plainIntegerEnd(src, value, limit, maxDigits);
            if (end < 0 || end >= limit || src[end] != ',')
            {
                break;
            }
            if (name != OBJECT && !kept(meta.get(NAMES[name]), src, value, end))
            {
                break;
            }
            if (passed != null)
            {
                if (name == OBJECT)
                {
                    passed.textCompletion = end - value == TEXT_COMPLETION.length + 2 &&
                        java.util.Arrays.equals(TEXT_COMPLETION, 0, TEXT_COMPLETION.length, src, value + 1, end - 1);
                }
                else if (name == CREATED)
                {
                    passed.created = src[value] != '"' && !(end - value == 1 && src[value] == '0');
                }
            }
            i = end + 1;
            known = i - from;
        }
        return known;
    }

    /** @return which of {@link #NAMES} the name starting at {@code at} (after its quote) is, closing quote included; or -1. */
    private static int name(final byte[] src, final int at, final int limit)
    {
        if (at >= limit)
        {
            return -1;
        }
        // By the first byte: one comparison for most names.
        switch (src[at])
        {
            case 'i':
                return named(src, at, limit, 0);
            case 'o':
                return named(src, at, limit, OBJECT);
            case 'c':
                return named(src, at, limit, CREATED);
            case 'm':
                return named(src, at, limit, 3);
            case 's':
                return Math.max(named(src, at, limit, 4), named(src, at, limit, 5));
            case 'p':
                return named(src, at, limit, 6);
            default:
                return -1;
        }
    }

    /** @return {@code n} when the name at {@code at} is {@link #NAMES}[n] with its closing quote, else -1. */
    private static int named(final byte[] src, final int at, final int limit, final int n)
    {
        final byte[] b = NAME_BYTES[n];
        final int close = at + b.length;
        return close < limit && src[close] == '"' && java.util.Arrays.equals(b, 0, b.length, src, at, close) ? n : -1;
    }

    /** @return the index after a string at {@code quote} of printable ASCII without escapes, or -1. */
    private static int plainStringEnd(final byte[] src, final int quote, final int limit, final int maxChars)
    {
        final int most = Math.min(limit, quote + 2 + Math.min(MAX_VALUE_BYTES, maxChars));
        final int end = JsonBytes.plainAsciiEnd(src, quote + 1, most);
        return end < most && src[end] == '"' ? end + 1 : -1;
    }

    /** @return the index after an integer at {@code at} as JSON writes one (no leading zero, no fraction), or -1. */
    private static int plainIntegerEnd(final byte[] src, final int at, final int limit, final int maxDigits)
    {
        int i = at;
        if (i < limit && src[i] == '-')
        {
            i++;
        }
        final int digits = i;
        while (i < limit && i - digits <= MAX_DIGITS && src[i] >= '0' && src[i] <= '9')
        {
            i++;
        }
        final int n = i - digits;
        if (n == 0 || n > MAX_DIGITS || i - at > maxDigits || (n > 1 && src[digits] == '0'))
        {
            return -1;
        }
        return i;
    }

    /**
     * @return true when {@code kept} is the value {@code src[from, to)} (a string or a number, bytes the reader accepts)
     *         as the reader would keep it, compared byte for character (an escape or a byte beyond ASCII never matches).
     */
    static boolean kept(final MutableRawJson kept, final byte[] src, final int from, final int to)
    {
        if (kept == null || kept.isUndecoded())
        {
            return false;
        }
        final boolean string = src[from] == '"';
        if (kept.type() != (string ? MutableRawJson.Type.STRING : MutableRawJson.Type.NUMBER))
        {
            return false;
        }
        return kept.textEqualsAscii(src, string ? from + 1 : from, string ? to - 1 : to);
    }
}
