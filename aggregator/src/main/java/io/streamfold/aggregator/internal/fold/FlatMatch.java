package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.StringDecoder;

import static io.streamfold.aggregator.internal.fold.TemplatePieces.WHITESPACE;

/**
 * An {@link EventTemplate}'s flat layouts and their match without the piece loop: an event learnt as a literal, one
 * or two slots with a literal between them, and a closing literal that may hold one whitespace run, without counter or
 * object slot. Those are the most frequent events of all (Anthropic's deltas, its text block starts), where the piece
 * loop's per-piece loads and segment bookkeeping (which only object slots read) were a fifth of the fold. The match
 * writes the template's slot ends as {@code EventTemplate.matchTo} does.
 */
final class FlatMatch
{
    private final EventTemplate tpl;
    /**
     * The template's learnt bytes, slot ends, string limit and the last slot's decoder, as the last learn left them
     * (only a learn replaces them): held here, the match reads them without going through the template.
     */
    private byte[] bytes;
    private int[] start;
    private int[] end;
    private StringDecoder lastDecoder;
    private int maxStringChars;
    /**
     * The learnt event is flat: a literal, one or two slots with a literal between them, and a closing literal that may
     * hold one whitespace run, without counter or object slot (an Anthropic delta, {@code
     * {"type":"content_block_delta", "index":0,"delta":{"type":"text_delta","text":"…"}  }}, its block index a slot
     * once a kind of delta spans blocks; a text block start): {@link #matchFlat} matches it without the piece loop. The
     * values below are its layout in the learnt bytes.
     */
    private boolean flat;
    /**
     * Flat with one string slot (Anthropic's deltas while a kind of delta stays in one block, the most frequent events
     * of all): {@link #matchSingle}, smaller than {@link #matchFlat}, whose scans of any kind make it too large to
     * compile as tightly (measured: the generated Anthropic stream 3 % slower through {@link #matchFlat}).
     */
    private boolean single;
    /** Whether a slot comes before the last one (Anthropic's block index), which one, and how it is scanned. */
    private boolean flatLead;
    private int leadSlot;
    private int leadKind;
    /** The last slot and how it is scanned. */
    private int lastSlot;
    private int lastKind;
    /** The opening literal's length; the literal before the last slot (after the lead slot when there is one). */
    private int flatHead;
    private int lastLiteralAt;
    private int lastLiteral;
    /** Where the literal after the last slot starts in the learnt bytes, and its length up to the run (or the end). */
    private int flatMidAt;
    private int flatMid;
    /** Whether a whitespace run follows that literal; the closing literal after it (empty without a run). */
    private boolean flatRun;
    private int flatTailAt;
    private int flatTail;

    FlatMatch(final EventTemplate tpl)
    {
        this.tpl = tpl;
    }

    /** @return whether the event learnt last has a flat layout, which {@link #match} then matches. */
    boolean learnt()
    {
        return flat;
    }

    /**
     * Matches an event of exactly {@code src[offset, limit)} against the flat layout learnt; on success the template's
     * slots are readable as after its own match.
     */
    boolean match(final byte[] src, final int offset, final int limit)
    {
        return (single ? matchSingle(src, offset, limit, true) : matchFlat(src, offset, limit, true)) >= 0;
    }

    /**
     * {@code EventTemplate.matchTo} on a line ({@code exactEnd} false) for the flat layout: the event starts at
     * {@code offset} and ends wherever its closing literal does, its whitespace run taken over spaces and tabs only.
     *
     * @return the index after the event's last byte, or -1.
     */
    int matchLine(final byte[] src, final int offset, final int limit)
    {
        return single ? matchSingle(src, offset, limit, false) : matchFlat(src, offset, limit, false);
    }

    /**
     * Finds whether the event just learnt, laid out in {@code p}, has a flat layout, and where its parts lie.
     *
     * @param counted whether the learnt shape has a counter (which only the piece loop counts up).
     */
    void learn(final TemplatePieces p, final boolean counted)
    {
        single = false;
        final boolean run = p.count > 0 && p.pieceSlot[p.count - 1] == WHITESPACE;
        final int slotPieces = run ? p.count - 1 : p.count;
        flat = !counted && p.objects == 0 && (slotPieces == 1 || slotPieces == 2);
        for (int k = 0; flat && k < slotPieces; k++)
        {
            flat = p.pieceSlot[k] >= 0;
        }
        if (!flat)
        {
            return;
        }
        final int last = slotPieces - 1;
        flatLead = last == 1;
        leadSlot = p.pieceSlot[0];
        leadKind = p.pieceKind[0];
        lastSlot = p.pieceSlot[last];
        lastKind = p.pieceKind[last];
        // A string slot is scanned by the string decoder, which takes the quote the learnt value starts with.
        flat = lastKind != EventShape.STRING || p.bytes[p.pieceStart[last]] == '"';
        flatHead = p.pieceStart[0];
        lastLiteralAt = flatLead ? p.pieceEnd[0] : 0;
        lastLiteral = p.pieceStart[last] - lastLiteralAt;
        flatMidAt = p.pieceEnd[last];
        flatRun = run;
        flatMid = (run ? p.pieceStart[p.count - 1] : p.length) - flatMidAt;
        flatTailAt = run ? p.pieceEnd[p.count - 1] : p.length;
        flatTail = p.length - flatTailAt;
        single = flat && !flatLead && lastKind == EventShape.STRING;
        bytes = p.bytes;
        start = tpl.start;
        end = tpl.end;
        lastDecoder = tpl.strings[lastSlot];
        maxStringChars = tpl.maxStringChars;
    }

    /**
     * {@code EventTemplate.matchTo} with an exact end, for the flat layout ({@link #flat}): the opening literal, the
     * lead slot and the literal after it when there is one, the last slot, the literal after it and, when learnt with
     * one, the whitespace run checked whole where the closing literal must start, as {@code EventTemplate.matchTo}
     * checks the last run. The same bytes are compared and the same scans made, in the same order, so it says yes
     * exactly where {@code EventTemplate.matchTo} does, with the same slots; only the piece loop and the segment
     * bookkeeping (which only object slots read) are left out.
     */
    private int matchFlat(final byte[] src, final int offset, final int limit, final boolean exactEnd)
    {
        final byte[] bytes = this.bytes;
        int at = offset;
        if (flatLead)
        {
            final int head = flatHead;
            final int from = offset + head;
            if (from >= limit || !same(bytes, 0, src, offset, head) || !EventTemplate.sameKind(bytes[head], src[from]))
            {
                return -1;
            }
            final int s = leadSlot;
            final int valueEnd = tpl.scan(leadKind, s, src, from, limit);
            if (valueEnd < 0)
            {
                return -1;
            }
            start[s] = from;
            end[s] = valueEnd;
            at = valueEnd;
        }
        final int n = lastLiteral;
        final int literalAt = lastLiteralAt;
        final int from = at + n;
        if (from >= limit || !same(bytes, literalAt, src, at, n))
        {
            return -1;
        }
        final int s = lastSlot;
        // A string (the usual last slot) is scanned straight away: the decoder refuses any other first byte.
        final int valueEnd = lastKind == EventShape.STRING ?
            EventTemplate.string(lastDecoder, src, from, limit, maxStringChars) :
            EventTemplate.sameKind(bytes[literalAt + n], src[from]) ? tpl.scan(lastKind, s, src, from, limit) :
            JsonBytes.REFUSED;
        if (valueEnd < 0)
        {
            return -1;
        }
        start[s] = from;
        end[s] = valueEnd;
        return closes(bytes, src, valueEnd, limit, exactEnd);
    }

    /**
     * {@link #matchFlat} for the one-string layout ({@link #single}): the opening literal, the string, the closing
     * literals, the same compares and scans in the same order.
     */
    private int matchSingle(final byte[] src, final int offset, final int limit, final boolean exactEnd)
    {
        final byte[] bytes = this.bytes;
        final int head = flatHead;
        final int from = offset + head;
        if (from >= limit || !same(bytes, 0, src, offset, head))
        {
            return -1;
        }
        final int s = lastSlot;
        final int valueEnd = EventTemplate.string(lastDecoder, src, from, limit, maxStringChars);
        if (valueEnd < 0)
        {
            return -1;
        }
        start[s] = from;
        end[s] = valueEnd;
        return closes(bytes, src, valueEnd, limit, exactEnd);
    }

    /**
     * Whether a flat event whose last slot ends at {@code valueEnd} closes as learnt: the literal after the slot, then,
     * when learnt with one, a whitespace run checked whole where the closing literal must start (as {@code
     * EventTemplate.matchTo} checks the last run), then that literal, ending the event. On a line ({@code exactEnd}
     * false) the event ends where that literal does, the run taken over spaces and tabs as far as they go.
     *
     * @return the index after the event's last byte, or -1.
     */
    private int closes(final byte[] bytes, final byte[] src, final int valueEnd, final int limit, final boolean exactEnd)
    {
        final int mid = flatMid;
        final int midEnd = valueEnd + mid;
        final int tail = flatTail;
        if (!exactEnd)
        {
            if (midEnd > limit || !same(bytes, flatMidAt, src, valueEnd, mid))
            {
                return -1;
            }
            final int tailAt = flatRun ? TemplatePieces.skipBlanks(src, midEnd, limit) : midEnd;
            final int stop = tailAt + tail;
            return stop <= limit && same(bytes, flatTailAt, src, tailAt, tail) ? stop : -1;
        }
        final int tailAt = limit - tail;
        if (midEnd > tailAt || !same(bytes, flatMidAt, src, valueEnd, mid))
        {
            return -1;
        }
        if (flatRun ? !JsonBytes.isWhitespaceRun(src, midEnd, tailAt) : midEnd != tailAt)
        {
            return -1;
        }
        return same(bytes, flatTailAt, src, tailAt, tail) ? limit : -1;
    }

    /** @return whether the {@code n} learnt bytes at {@code at} equal the event's at {@code from}, as matchTo tests. */
    private static boolean same(final byte[] bytes, final int at, final byte[] src, final int from, final int n)
    {
        return n > TemplatePieces.SHORT ? TemplatePieces.sameWords(bytes, at, src, from, n) :
            TemplatePieces.sameShort(bytes, at, src, from, n);
    }
}
