package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;

/**
 * A listener that can often say where an SSE {@code data} line ends without the framer's line scan: a decoder
 * whose fast path matches a learnt payload finds the payload's last byte while matching it, and the framer then
 * need not read the same bytes a second time to find the line end. Only a hint: the framer takes its answer as
 * the line end when the byte there is CR or LF, and scans as usual otherwise.
 *
 * <p>Not API (see the package): the aggregator's dialects implement it.
 */
public interface DataLineHint extends FrameListener
{
    /** {@code "data"} read as a little-endian int. */
    int DATA_INT = 'd' | 'a' << 8 | 't' << 16 | 'a' << 24;

    /**
     * Where a line would end, if known: asked before each line that starts inside the slice with {@code 'd'} is
     * scanned (only a data line can be answered), so an implementation that knows nothing now answers at once
     * (before {@link #dataValue} even). May keep what it
     * matched for the frame that carries these bytes, but must change nothing a frame would observe.
     *
     * @param buffer     holding the line; valid only during this call.
     * @param lineStart  first byte of the line (not CR or LF).
     * @param to         index after the last byte available in this slice.
     * @param lineOffset stream offset of the line's first byte.
     * @return an index in {@code (lineStart, to)} such that no CR or LF lies in {@code [lineStart, index)}, or -1
     *         when unknown. The guarantee is the implementation's: a wrong answer would split lines differently.
     */
    int lineEnd(DirectBuffer buffer, int lineStart, int to, long lineOffset);

    /**
     * As {@link #lineEnd} for a line that holds a JSON value from its first byte (an NDJSON line): where it ends, if
     * known, asked before the line is scanned.
     *
     * @return an index in {@code (lineStart, to)} such that no CR or LF lies in {@code [lineStart, index)}, or -1.
     */
    int valueLineEnd(DirectBuffer buffer, int lineStart, int to, long lineOffset);

    /**
     * Offered before {@link #onFrame} the frame of an event whose data is exactly the value of the data line
     * {@link #lineEnd} has just answered for (that line is the event's only data line and the blank line ending the
     * event follows it directly), or of the line {@link #valueLineEnd} has just answered for. A listener that kept what
     * it matched there takes the event without looking at the payload again.
     *
     * @param frame the event, as {@link #onFrame} would receive it.
     * @return true when the event was taken as {@link #onFrame} would have taken it; false, with nothing changed, to
     *         have the same frame delivered to {@link #onFrame} as usual.
     */
    boolean onHintedFrame(Frame frame);

    /**
     * The one rule for where a data line's value starts, read in the array: the framer's buffer reads are checked
     * on every byte, which would cost more than the line scan a hint spares on a short line.
     *
     * @param src       holding the line.
     * @param lineStart index of the line's first byte in {@code src}.
     * @param to        index after the last byte available.
     * @return where the value of a {@code data} line starting at {@code lineStart} begins (after {@code "data:"}
     *         and its one optional space), or -1 when the line is not a data line or its value starts at {@code to}.
     */
    static int dataValue(final byte[] src, final int lineStart, final int to)
    {
        if (to - lineStart < 6 || Bytes.intLittleEndian(src, lineStart) != DATA_INT || src[lineStart + 4] != ':')
        {
            return -1;
        }
        final int from = src[lineStart + 5] == ' ' ? lineStart + 6 : lineStart + 5;
        return from < to ? from : -1;
    }
}
