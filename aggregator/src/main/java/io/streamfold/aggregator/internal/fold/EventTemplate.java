package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.LineScanner;
import org.agrona.DirectBuffer;

/**
 * The repeated-event fast path every dialect shares. Streams repeat the same bytes from event to event
 * around a few values that change (the text of a delta, a sequence number, random padding). Once the
 * dialect's full decoder has folded an event of a known {@link EventShape}, the event is learnt: literal byte
 * segments with typed slots between them, where the shape's paths lead. The next event is matched by
 * comparing the literal bytes and scanning each slot with a small typed scanner; at the first byte that
 * differs, or any value a scanner is not certain to read exactly as Jackson would, {@link #match} says no and
 * the dialect runs its full decoder, which learns again or {@link #forget}s. A matched event is one whose
 * every byte outside the slots equals the learnt event's, so its effect is the learnt effect with the new slot
 * values, which the dialect reads back by slot number.
 *
 * <p>Learning refuses what could make a match mean something else than it looks: a path name present twice
 * or written with escapes, a slot value the typed scanner does not accept. Scanned values keep the full
 * path's guarantees: strings are validated (escapes, strict UTF-8) and bounded by the string length the
 * parser allows, raw values are checked whole by {@link JsonBytes}.
 *
 * <p>Two strings that usually repeat each other ({@link EventShape#SAME_STRING}) cost one scan: whichever comes
 * first is decoded, the second is compared with its bytes. An {@link EventShape#OBJECT} slot is never scanned:
 * its members are declared slots or raw values added when it is learnt, and its bytes are known after a match.
 */
public final class EventTemplate
{
    /** Read once: {@code -Dstreamfold.eventTemplate=false} starts every template switched off (for comparisons). */
    public static final boolean ENABLED = !"false".equals(System.getProperty("streamfold.eventTemplate"));

    private static final int WHITESPACE = TemplatePieces.WHITESPACE;
    /** Jackson's default limit on field name length; raw values keep every string under it. */
    private static final int MAX_NAME_BYTES = 50_000;
    /** A line match that compared the line and found a byte that differs (not one that could not be tried). */
    private static final int COMPARED_AND_REFUSED = -2;

    // How a string piece is scanned when two strings repeat each other (beside the slot types of EventShape).
    /** A {@link EventShape#SAME_STRING} before its original: decoded into the original's chars. */
    static final int COPY_FIRST = 16;
    /** A {@link EventShape#STRING} after its {@link #COPY_FIRST}: compared with the copy's bytes, decoded if it differs. */
    static final int AFTER_COPY = 17;
    /** A {@link EventShape#SAME_STRING} after its original: compared with the original's bytes, checked if it differs. */
    static final int COPY_AFTER = 18;
    /**
     * A {@link EventShape#RAW} value learnt as a flat integer array without whitespace or signs (a logprob entry's
     * {@code bytes}): scanned as one ({@link JsonBytes#compactIntegerArrayEnd}), so it holds no line end to look for.
     */
    static final int COMPACT_INTEGERS = 19;

    final int maxStringChars;
    /** Longest string a raw value or a copy may hold (see {@link #MAX_NAME_BYTES}). */
    private final int maxRawString;
    /** Whether the parser takes numbers as long as the byte scans do; if not, the template never turns on. */
    private final boolean numbersFit;
    private boolean enabled;

    EventShape shape;
    final TemplatePieces pieces = new TemplatePieces();
    /** Slots: the shape's, then the other members of its object slots (raw values, never read back). */
    int slots;
    int[] type = new int[4];
    int[] kind = new int[4];
    /** Depth left for a raw or scanned value at the slot (enclosing objects count towards the parser's limit). */
    int[] depth = new int[4];
    /** For a copy, its original; for a string decoded after its copy, that copy; else -1. */
    int[] partner = new int[4];
    /** Per match, for a copy: whether it repeated its original byte for byte. */
    boolean[] repeats = new boolean[4];
    int[] start = new int[4];
    int[] end = new int[4];
    StringDecoder[] strings = new StringDecoder[4];
    final SlotNumbers numbers = new SlotNumbers();
    /** Slots read (objects aside) in byte order; and the shape's slots in byte order. */
    int[] order = new int[4];
    int[] declaredOrder = new int[4];
    int[] located = new int[8];
    private byte[] input;
    private byte[] directCopy = new byte[0];

    private final TemplateLearner learner;
    private long matches;
    /** No CR or LF in the learnt bytes: {@link #matchLine} may answer (see there). */
    private boolean lineSafe;
    /** The learnt bytes, for the line-end search. */
    private final DirectBuffer lineView = Buffers.newView();
    /** A slot whose value may hold a CR or LF (raw, scanned, integer arrays): a line match checks the values. */
    private boolean valuesMayBreakLines;
    /** The slots of those values, found once at learning: a line match checks them, not every piece's kind. */
    private int[] lineCheckedSlots = new int[4];
    private int lineChecked;
    /** What the framer's hint ({@link #matchLine(byte[], int, int, long)}) matched last. */
    private final HintedLine hinted = new HintedLine();
    /** The learnt shape's {@link EventShape#COUNTER}, counted up after each event folded. */
    private final TemplateCounter counter = new TemplateCounter();
    /** The learnt event's flat layout, if it has one, and its match without the piece loop. */
    final FlatMatch flat = new FlatMatch(this);

    /**
     * A template within the full parser's own limits: longer strings and deeper values go to it, to fail there.
     * Where the parser allows shorter numbers than the byte scans ({@link JsonBytes#MAX_NUMBER_BYTES}) the template
     * stays off: a number slot or a kept object could otherwise take a number the parser refuses.
     */
    public EventTemplate(final AggregationLimits limits)
    {
        this(limits.maxNestingDepth(), JsonReader.maxStringChars(limits),
            limits.maxNumberLength() >= JsonBytes.MAX_NUMBER_BYTES);
    }

    /**
     * @param maxNestingDepth the deepest nesting the full parser allows (raw slots are refused well before it).
     * @param maxStringChars  the longest string the full parser allows (longer strings go to it, to fail there).
     */
    EventTemplate(final int maxNestingDepth, final int maxStringChars)
    {
        this(maxNestingDepth, maxStringChars, true);
    }

    private EventTemplate(final int maxNestingDepth, final int maxStringChars, final boolean numbersFit)
    {
        this.maxStringChars = maxStringChars;
        this.maxRawString = Math.min(maxStringChars, MAX_NAME_BYTES);
        this.numbersFit = numbersFit;
        this.enabled = ENABLED && numbersFit;
        this.learner = new TemplateLearner(this, new PathLocator(maxNestingDepth, maxStringChars), maxNestingDepth);
    }

    /** Turns the fast path on (where the number limit allows it) or off (tests compare both); forgets the template. */
    public void enabled(final boolean on)
    {
        enabled = on && numbersFit;
        forget();
    }

    /** @return whether events are learnt and matched at all. */
    public boolean enabled()
    {
        return enabled;
    }

    /** Forgets the learnt event: the next one goes to the full decoder. */
    public void forget()
    {
        shape = null;
        hinted.release();
    }

    /**
     * A new stream on the same aggregator: the learnt event is kept (a match depends on the bytes alone, never on what
     * the stream folded before, so it folds the next stream's events as the full decoder would), only what refers to
     * the last stream's bytes is dropped: the hinted match (stream offsets start again) and the matched input.
     */
    public void newStream()
    {
        hinted.release();
        input = null;
    }

    /** @return the shape learnt, or null. */
    public EventShape shape()
    {
        return shape;
    }

    /**
     * @return events matched since this template was created (for tests): a frame's match, or the hint's match a frame
     *         or the event offered whole then took; a line matched for the hint whose frame was not taken from it (its
     *         line end lay past the slice) counts when that frame is matched.
     */
    public long matches()
    {
        return matches;
    }

    /**
     * Learns the event the full decoder has just folded, when {@code shape}'s slots are all found in it.
     *
     * @return whether it was learnt (otherwise the template is forgotten).
     */
    public boolean learn(final DirectBuffer buffer, final int offset, final int count, final EventShape shape)
    {
        return learn(buffer, offset, count, shape, false);
    }

    /**
     * As {@link #learn(DirectBuffer, int, int, EventShape)}; {@code checked} says the full decoder that has just folded
     * the event was a byte scan that checked it whole by {@link JsonBytes}' rules ({@code EventBytes.checkObject}),
     * so the learner does not check it again. Bytes the token reader read are checked here: Jackson accepts what the
     * byte scans may not (a string it skips is not decoded). Either way a later event matches only where every byte
     * outside the slots repeats an event the full decoder accepted, and each slot value is checked by its scanner.
     */
    public boolean learn(final DirectBuffer buffer, final int offset, final int count, final EventShape shape,
        final boolean checked)
    {
        forget();
        if (!enabled)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return learn(array, (int)buffer.wrapAdjustment() + offset, count, shape, checked);
        }
        final byte[] copy = copyOf(buffer, offset, count);
        return learn(copy, 0, count, shape, checked);
    }

    /** As {@link #learn(DirectBuffer, int, int, EventShape)}, for bytes in an array. */
    public boolean learn(final byte[] src, final int offset, final int count, final EventShape shape)
    {
        return learn(src, offset, count, shape, false);
    }

    /** As {@link #learn(DirectBuffer, int, int, EventShape, boolean)}, for bytes in an array. */
    public boolean learn(final byte[] src, final int offset, final int count, final EventShape shape, final boolean checked)
    {
        forget();
        if (!enabled)
        {
            return false;
        }
        if (!learner.learn(src, offset, count, shape, checked) ||
            !counter.find(type, start, end, shape.slotCount(), offset, pieces.bytes))
        {
            forget();
            return false;
        }
        // The learnt event is folded already: the next one counts from it.
        counter.countUp(pieces);
        if (counter.spent())
        {
            forget();
            return false;
        }
        lineSafe = lineSafe();
        lineChecked = 0;
        for (int k = 0; k < pieces.count; k++)
        {
            if (mayBreakLine(pieces.pieceKind[k]) && !rawString(pieces.pieceKind[k], pieces.bytes[pieces.pieceStart[k]]))
            {
                if (lineChecked == lineCheckedSlots.length)
                {
                    lineCheckedSlots = Arrays.copyOf(lineCheckedSlots, lineChecked * 2);
                }
                lineCheckedSlots[lineChecked++] = pieces.pieceSlot[k];
            }
        }
        valuesMayBreakLines = lineChecked > 0;
        flat.learn(pieces, counter.present());
        return true;
    }

    /**
     * Matches an event against the learnt one; on success the slot values are readable until the next call.
     *
     * @return false when nothing is learnt or any literal byte or slot value differs: the full decoder must read it.
     */
    public boolean match(final DirectBuffer buffer, final int offset, final int count)
    {
        if (shape == null || counter.spent() || count < pieces.literalBytes)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return match(array, (int)buffer.wrapAdjustment() + offset, count);
        }
        return match(copyOf(buffer, offset, count), 0, count);
    }

    /**
     * As {@link #match(DirectBuffer, int, int)} for a frame's payload, which the framer's hint may have matched
     * already ({@link #matchLine(byte[], int, int, long)}): the same bytes of the same event are not matched again.
     *
     * @param streamOffset the frame's stream offset (its block's first line: the data line, or a line before it).
     */
    public boolean match(final DirectBuffer buffer, final int offset, final int count, final long streamOffset)
    {
        final byte[] array = buffer.byteArray();
        // The hint matched or refused these very bytes of this event: nothing was learnt, forgotten or matched since.
        final int hint = hinted.take(array, (int)buffer.wrapAdjustment() + offset, count, streamOffset);
        if (hint == HintedLine.MATCHED)
        {
            counter.countUp(pieces);
            matches++;
            return true;
        }
        return hint != HintedLine.REFUSED && match(buffer, offset, count);
    }

    /**
     * As {@link #match(DirectBuffer, int, int, long)} for the event the framer offers whole in place of its frame
     * ({@code DataLineHint#onHintedEvent}): its data is the line the hint matched last.
     *
     * @return whether the hint matched it (the slot values are then readable as after a match).
     */
    public boolean matchHinted()
    {
        if (hinted.takeWhole())
        {
            counter.countUp(pieces);
            matches++;
            return true;
        }
        return false;
    }

    /** As {@link #match(DirectBuffer, int, int)}, for bytes in an array. */
    public boolean match(final byte[] src, final int offset, final int count)
    {
        hinted.forget();
        if (shape == null || count < pieces.literalBytes)
        {
            return false;
        }
        if (flat.learnt())
        {
            // No counter to count up.
            if (!flat.match(src, offset, offset + count))
            {
                return false;
            }
        }
        else
        {
            if (counter.spent() || !matchSlots(src, offset, count))
            {
                return false;
            }
            counter.countUp(pieces);
        }
        keepInput(src);
        matches++;
        return true;
    }

    boolean matchSlots(final byte[] src, final int offset, final int count)
    {
        return matchTo(src, offset, offset + count, true) >= 0;
    }

    /** The piece loop on a line, whatever the layout (tests compare the flat layout's own line match with it). */
    int matchLineSlots(final byte[] src, final int offset, final int to)
    {
        return matchTo(src, offset, to, false);
    }

    /**
     * Matches an event that starts at {@code offset} of a line whose end is not known yet (an SSE data line's value,
     * for the framer's line scan it spares): where the learnt event's last byte falls is where the match ends. On
     * success the slot values are readable as after {@link #match}, and no CR or LF lies before the returned index:
     * the learnt bytes hold none, strings and numbers refuse them, a whitespace run is taken only as far as its
     * spaces and tabs go (a CR or LF there ends the line, and the match with it), and any other value is checked.
     *
     * @param to index after the last byte available.
     * @return index after the matched event's last byte, or -1 (nothing learnt, learnt bytes holding a line end, or
     *         any byte that differs).
     */
    public int matchLine(final byte[] src, final int offset, final int to)
    {
        final int end = lineMatch(src, offset, to);
        return end < 0 ? -1 : end;
    }

    /** {@link #matchLine}, telling a line compared and refused ({@link #COMPARED_AND_REFUSED}) from one not tried (-1). */
    private int lineMatch(final byte[] src, final int offset, final int to)
    {
        hinted.forget();
        if (shape == null || counter.spent() || !lineSafe || to - offset < pieces.literalBytes)
        {
            return -1;
        }
        // A flat event (Anthropic's deltas, an Ollama line) without the piece loop, as match() takes it.
        final int stop = flat.learnt() ? flat.matchLine(src, offset, to) : matchTo(src, offset, to, false);
        if (stop < 0)
        {
            return COMPARED_AND_REFUSED;
        }
        // A value holding a line end: not a value on its own line, whatever the exact match would say of one.
        if (valuesMayBreakLines && !noLineEndInValues(src))
        {
            return -1;
        }
        keepInput(src);
        return stop;
    }

    /**
     * The framer's line-end hint ({@code DataLineHint}): {@link #matchLine(byte[], int, int)}, kept for the frame that
     * carries exactly these bytes, whose {@link #match(DirectBuffer, int, int, long)} then does not match them again,
     * whether they matched or were refused. Changes nothing a fold observes.
     *
     * @param lineOffset stream offset of the data line.
     * @return index after the value's last byte (no CR or LF before it), or -1.
     */
    public int matchLine(final byte[] src, final int offset, final int to, final long lineOffset)
    {
        final int end = lineMatch(src, offset, to);
        if (end >= 0)
        {
            hinted.remember(src, offset, end, lineOffset);
            return end;
        }
        if (end == COMPARED_AND_REFUSED)
        {
            hinted.refuse(src, offset, to, lineOffset);
        }
        return -1;
    }

    /** A store of a reference costs a write barrier: most matches read the array the last one read. */
    private void keepInput(final byte[] src)
    {
        if (input != src)
        {
            input = src;
        }
    }

    private boolean lineSafe()
    {
        lineView.wrap(pieces.bytes, 0, pieces.length);
        return LineScanner.findLineEnd(lineView, 0, pieces.length) < 0;
    }

    /** Whether the values just matched that may hold whitespace (raw, scanned, integer arrays) hold no CR or LF. */
    private boolean noLineEndInValues(final byte[] src)
    {
        for (int c = 0; c < lineChecked; c++)
        {
            final int slot = lineCheckedSlots[c];
            for (int i = start[slot], e = end[slot]; i < e; i++)
            {
                if (src[i] == '\n' || src[i] == '\r')
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a value scanned as {@code kind} and learnt starting with {@code first} is a raw string: a match takes only
     * a string there ({@link #sameKind}) and checks it by {@link #rawString}, which refuses control bytes, so it holds no
     * CR or LF (Responses' random {@code obfuscation} padding in every delta need not be looked at again).
     */
    private static boolean rawString(final int kind, final byte first)
    {
        return kind == EventShape.RAW && first == '"';
    }

    /** Whether a value scanned as {@code kind} may hold a CR or LF. */
    private static boolean mayBreakLine(final int kind)
    {
        switch (kind)
        {
            case EventShape.STRING:
            case EventShape.SAME_STRING:
            case EventShape.INTEGER:
            case EventShape.NUMBER:
            case COPY_FIRST:
            case AFTER_COPY:
            case COPY_AFTER:
            case COMPACT_INTEGERS:
            case WHITESPACE:
                // Strings refuse control bytes, numbers and compact integer arrays hold none, a repeated copy equals a
                // checked string, and a whitespace run is taken only over spaces and tabs.
                return false;
            default:
                return true;
        }
    }

    /**
     * @param exactEnd true when {@code limit} is the event's end (the last literal must end there), false when it
     *                 is only as far as bytes are available (the last literal must end before it) and the event lies
     *                 on one line: a whitespace run then stops at a CR or LF.
     * @return index after the event's last byte, or -1.
     */
    private int matchTo(final byte[] src, final int offset, final int limit, final boolean exactEnd)
    {
        final TemplatePieces p = pieces;
        final byte[] bytes = p.bytes;
        final int[] segmentAt = p.segmentAt;
        int at = offset;
        int literal = 0;
        for (int k = 0; k < p.count; k++)
        {
            // The last run before the closing literal is checked where it must end (below), not compared as learnt.
            if (p.pieceSlot[k] == WHITESPACE && !(exactEnd && k == p.count - 1))
            {
                // Spaced as learnt (the usual case: Gemini's ": " and ", " everywhere), the bytes up to the next slot
                // compare at once, the last run ending as learnt; the segment before that slot is then compared
                // again as usual, so that where each segment starts is known.
                final int j = p.spanEnd[k];
                final int to = j < p.count ? p.pieceStart[j] : p.length;
                final int end = at + to - literal;
                // On a line, the event spaced as learnt ends where the line does (a varying run mostly fails at once).
                if ((j < p.count ? end < limit && !JsonBytes.isWhitespace(src[end]) : exactEnd ? end == limit :
                    end < limit && (src[end] == '\n' || src[end] == '\r')) &&
                    Arrays.equals(bytes, literal, to, src, at, end))
                {
                    for (int m = k + 1; m < j; m++)
                    {
                        segmentAt[m] = at + p.pieceEnd[m - 1] - literal;
                    }
                    segmentAt[k] = at;
                    at += p.pieceEnd[j - 1] - literal;
                    literal = p.pieceEnd[j - 1];
                    k = j - 1;
                    continue;
                }
            }
            final int literalEnd = p.pieceStart[k];
            final int n = literalEnd - literal;
            final int next = at + n;
            if (next > limit || !(n > TemplatePieces.SHORT ? TemplatePieces.sameWords(bytes, literal, src, at, n) :
                TemplatePieces.sameShort(bytes, literal, src, at, n)))
            {
                return -1;
            }
            segmentAt[k] = at;
            final int s = p.pieceSlot[k];
            if (s == WHITESPACE && exactEnd && k == p.count - 1)
            {
                // The event's last whitespace run (Anthropic pads every event before its closing brace, by a count
                // that varies): the learnt literal after it ends the event, so the run must end where that literal
                // starts, and is checked whole rather than scanned for its end. The same match as the scan: the
                // literal starts with a byte that is not whitespace (a learnt run is taken whole), or is empty.
                final int tailAt = limit - (p.length - p.pieceEnd[k]);
                if (!JsonBytes.isWhitespaceRun(src, next, tailAt))
                {
                    return -1;
                }
                at = tailAt;
            }
            else if (s == WHITESPACE)
            {
                at = exactEnd ? JsonBytes.skipWhitespace(src, next, limit) : TemplatePieces.skipBlanks(src, next, limit);
            }
            else
            {
                if (next == limit || !sameKind(bytes[literalEnd], src[next]))
                {
                    return -1;
                }
                final int valueEnd = scan(p.pieceKind[k], s, src, next, limit);
                if (valueEnd < 0)
                {
                    return -1;
                }
                start[s] = next;
                end[s] = valueEnd;
                at = valueEnd;
            }
            literal = p.pieceEnd[k];
        }
        segmentAt[p.count] = at;
        final int tail = p.length - literal;
        final int stop = at + tail;
        if ((exactEnd ? stop != limit : stop > limit) ||
            !(tail > TemplatePieces.SHORT ? TemplatePieces.sameWords(bytes, literal, src, at, tail) :
            TemplatePieces.sameShort(bytes, literal, src, at, tail)))
        {
            return -1;
        }
        for (int j = 0; j < p.objects; j++)
        {
            final int s = p.objectSlot[j];
            start[s] = p.objectStart(j);
            end[s] = p.objectEnd(j);
        }
        return stop;
    }

    /**
     * Scans one slot value, which starts with the same kind of byte as the learnt value did.
     *
     * @return the index just past it, or {@link JsonBytes#REFUSED}.
     */
    int scan(final int how, final int s, final byte[] src, final int from, final int limit)
    {
        switch (how)
        {
            case EventShape.STRING:
                return string(strings[s], src, from, limit, maxStringChars);
            case AFTER_COPY:
            {
                final int copy = partner[s];
                final int to = from + end[copy] - start[copy];
                repeats[copy] = to <= limit && (to - from > TemplatePieces.SHORT ? Arrays.equals(src, from, to, src, start[copy], end[copy]) :
                    TemplatePieces.sameShort(src, from, src, start[copy], to - from));
                // The same bytes: the copy was decoded into this slot's chars already.
                return repeats[copy] ? to : string(strings[s], src, from, limit, maxStringChars);
            }
            case COPY_FIRST:
                return string(strings[partner[s]], src, from, limit, maxRawString);
            case COPY_AFTER:
            {
                final int original = partner[s];
                final int to = from + end[original] - start[original];
                repeats[s] = to <= limit && (to - from > TemplatePieces.SHORT ? Arrays.equals(src, from, to, src, start[original], end[original]) :
                    TemplatePieces.sameShort(src, from, src, start[original], to - from));
                return repeats[s] ? to : copy(src, from, limit);
            }
            case EventShape.SAME_STRING:
                // A copy checked on its own (not the first copy before its original).
                repeats[s] = false;
                return copy(src, from, limit);
            case EventShape.INTEGER:
                return numbers.integer(s, src, from, limit);
            case EventShape.NUMBER:
                return JsonBytes.numberEnd(src, from, limit);
            case EventShape.INTEGER_ARRAY:
                return numbers.integerArray(s, src, from, limit);
            case COMPACT_INTEGERS:
                return JsonBytes.compactIntegerArrayEnd(src, from, limit);
            case EventShape.SCANNED:
                return shape.scanner(s).valueEnd(src, from, limit, depth[s], maxRawString);
            default:
                return src[from] == '"' ? rawString(src, from, limit) : JsonBytes.valueEnd(src, from, limit, depth[s], maxRawString);
        }
    }

    /** A copy that differs from its original: a string, checked as a raw value is. */
    private int copy(final byte[] src, final int from, final int limit)
    {
        return src[from] == '"' ? rawString(src, from, limit) : JsonBytes.REFUSED;
    }

    /**
     * A raw value learnt as a string ({@code "obfuscation":"kX3pQ"}, random on every event), checked as
     * {@link JsonBytes#valueEnd} checks one, by {@link JsonBytes#stringEnd} (which tests a short string's one word
     * inline), without the value dispatch.
     */
    private int rawString(final byte[] src, final int from, final int limit)
    {
        final int close = JsonBytes.stringEnd(src, from + 1, limit);
        return close < 0 || close - from - 1 > maxRawString ? JsonBytes.REFUSED : close + 1;
    }

    static int string(final StringDecoder decoder, final byte[] src, final int from, final int limit, final int most)
    {
        if (src[from] != '"')
        {
            return JsonBytes.REFUSED;
        }
        final int close = decoder.decode(src, from + 1, limit);
        return close < 0 || close - from - 1 > most ? JsonBytes.REFUSED : close + 1;
    }

    /** @return the shape slot number of the {@code k}-th slot in byte order (effects that must keep the event's order). */
    public int slotInByteOrder(final int k)
    {
        return declaredOrder[k];
    }

    /** @return the decoded chars of string slot {@code slot} (valid up to {@link #stringLength}). */
    public char[] stringChars(final int slot)
    {
        return strings[slot].chars();
    }

    /** @return the decoded length of string slot {@code slot}. */
    public int stringLength(final int slot)
    {
        return strings[slot].length();
    }

    /**
     * @return for a {@link EventShape#SAME_STRING} slot, whether the matched event repeated its original byte for
     * byte (its value is then the original's); false means only that it was checked, never decoded.
     */
    public boolean repeatsOriginal(final int slot)
    {
        return repeats[slot];
    }

    /** @return the value of integer slot {@code slot}. */
    public long integer(final int slot)
    {
        return numbers.integer(slot);
    }

    /** @return the values of integer-array slot {@code slot} (valid up to {@link #integerCount}). */
    public long[] integers(final int slot)
    {
        return numbers.integers(slot);
    }

    /** @return how many integers array slot {@code slot} held. */
    public int integerCount(final int slot)
    {
        return numbers.integerCount(slot);
    }

    /** @return the array holding the matched event (for {@link #valueStart} / {@link #valueEnd}). */
    public byte[] input()
    {
        return input;
    }

    /** @return where slot {@code slot}'s value starts in {@link #input()}. */
    public int valueStart(final int slot)
    {
        return start[slot];
    }

    /** @return the index just past slot {@code slot}'s value in {@link #input()}. */
    public int valueEnd(final int slot)
    {
        return end[slot];
    }

    /** A value starts as the learnt one did: the same bracket, quote or literal, or a number for a number. */
    static boolean sameKind(final byte learnt, final byte b)
    {
        return isNumberStart(learnt) ? isNumberStart(b) : b == learnt;
    }

    private static boolean isNumberStart(final byte b)
    {
        return b == '-' || (b >= '0' && b <= '9');
    }

    private byte[] copyOf(final DirectBuffer buffer, final int offset, final int count)
    {
        if (directCopy.length < count)
        {
            directCopy = new byte[Math.max(count, directCopy.length * 2)];
        }
        buffer.getBytes(offset, directCopy, 0, count);
        return directCopy;
    }
}
