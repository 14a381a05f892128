package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawList;

/**
 * A content or summary part of an item, with the logprobs streamed for it, and the last final text found equal to
 * the part's text: the done part, the done item and the terminal response each send the whole text again, and the
 * same bytes need not be decoded and compared again while the part's text has not grown.
 */
final class Slot
{
    boolean summary;
    long index;
    MutablePart part;
    final MutableRawList logprobs = new MutableRawList();
    /** Whether any entry was heard for this part: the list stays empty in a fold that drops streamed content. */
    boolean logprobsStreamed;
    /** The final text last found equal to the part's (checked: kept past a later growth of the text). */
    private final KeptBytes agreed = new KeptBytes();
    /** The part's content length when {@link #agreed} was found equal to it; -1 when nothing was. */
    private int agreedChars = -1;

    void reuse(final boolean summary, final long index, final MutablePart part)
    {
        this.summary = summary;
        this.index = index;
        this.part = part;
        logprobs.clear();
        logprobsStreamed = false;
        release();
    }

    /** Forgets the agreed text, and lets a large one go. */
    void release()
    {
        agreedChars = -1;
        agreed.release();
    }

    /**
     * @return whether the JSON string {@code src[from, to)} is the final text last found equal to the part's text, and
     *         the text has not grown since: it decodes to the part's text, so checking it again would find nothing.
     */
    boolean agrees(final byte[] src, final int from, final int to)
    {
        return agreedChars == part.contentLength() && agreed.equalTo(src, from, to);
    }

    /**
     * @return the index just past the string at {@code src[from]} when it repeats the kept final text, which an event's
     *         check accepted; else -1.
     */
    int agreedEnd(final byte[] src, final int from, final int limit)
    {
        return agreed.checked() && agreed.repeatsAt(src, from, limit) ? from + agreed.length() : -1;
    }

    /**
     * Keeps the JSON string {@code src[from, to)}, just decoded and found equal to the part's text; {@code checked} when an
     * event's check accepted it.
     */
    void agree(final byte[] src, final int from, final int to, final boolean checked)
    {
        agreed.keep(src, from, to, checked);
        agreedChars = part.contentLength();
    }
}
