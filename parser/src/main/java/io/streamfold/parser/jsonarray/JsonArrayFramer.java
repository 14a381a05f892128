package io.streamfold.parser.jsonarray;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.JsonValuesFramer;

/**
 * Frames one top-level JSON array that arrives over time, as Google Gemini's
 * {@code streamGenerateContent} sends it without {@code alt=sse}: {@code [{...}\r\n,\r\n{...}\r\n]}.
 * Each element is delivered as one {@link Frame} as soon as it is complete; the payload is the element's
 * exact bytes, the type is empty, there is no id, and {@link Frame#streamOffset()} is the stream offset of
 * the element's first byte.
 *
 * <p>When an element is complete:
 * <ul>
 *   <li>an object or array at its closing bracket; a string at its closing quote;</li>
 *   <li>any other scalar (number, {@code true}, {@code false}, {@code null}: a run of letters, digits,
 *       {@code + - .}) at the first byte after it, which is then read as the byte following the element.
 *       A scalar still open when the stream ends is not delivered.</li>
 * </ul>
 * The scan knows strings and escapes, so quotes and brackets inside strings never confuse it, whatever the
 * slicing: the same elements come out for any split of the same bytes. A UTF-8 byte order mark at the very
 * start and JSON whitespace (space, tab, CR, LF) around elements are accepted. The framer only tracks
 * bracket depth with a counter: it does not check that brackets match or that scalars are valid JSON; the
 * dialect's JSON parser reads each element and does that.
 *
 * <p>Errors, reported to {@link FrameListener#onError(StreamError)}:
 * <ul>
 *   <li>{@link ErrorKind#MALFORMED_FRAMING}, at the offending byte: the first non-whitespace byte is not
 *       {@code [}, a byte between elements is not {@code ,} or {@code ]}, an element cannot start where one
 *       must (e.g. {@code [,} or a trailing {@code ,]}), or non-whitespace follows the closing {@code ]}.
 *       Framing cannot be trusted after that, so the framer stops: it ignores the rest of the stream until
 *       {@link #reset()}. Elements delivered before stay delivered.</li>
 *   <li>{@link ErrorKind#NESTING_TOO_DEEP}, at the element's start: an element nests deeper than
 *       {@link FramingLimits#maxNestingDepth()} (the element's own outer bracket is depth 1; the enclosing
 *       array is not counted); it is skipped and framing goes on after it.</li>
 *   <li>{@link ErrorKind#FRAME_TOO_LARGE}, at the element's start: an element grows past
 *       {@link FramingLimits#maxFrameBytes()}; it is skipped and framing goes on after it.</li>
 *   <li>{@link ErrorKind#TRUNCATED}, at the open element's start or else at the end of the stream:
 *       {@link #end()} came before the closing {@code ]}.</li>
 * </ul>
 *
 * <p>An element inside one fed slice is a view onto the caller's bytes; an element spanning slices is
 * copied into one reusable buffer of at most {@code maxFrameBytes}.
 */
public final class JsonArrayFramer implements Framer
{
    private final JsonValuesFramer framer;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives the elements and errors.
     */
    public JsonArrayFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives the elements and errors.
     * @param limits   {@link FramingLimits#maxFrameBytes()} and {@link FramingLimits#maxNestingDepth()} apply.
     */
    public JsonArrayFramer(final FrameListener listener, final FramingLimits limits)
    {
        framer = new JsonValuesFramer(listener, limits);
    }

    @Override
    public void feed(final byte[] bytes, final int offset, final int length)
    {
        framer.feed(bytes, offset, length);
    }

    @Override
    public void feed(final ByteBuffer buffer)
    {
        framer.feed(buffer);
    }

    @Override
    public void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        framer.feed(buffer, offset, length);
    }

    @Override
    public void end()
    {
        framer.end();
    }

    @Override
    public void reset()
    {
        framer.reset();
    }

    @Override
    public long bytesFed()
    {
        return framer.bytesFed();
    }

    @Override
    public long framesDelivered()
    {
        return framer.framesDelivered();
    }

    /** @return bytes held by this framer's reusable buffer now: bounded by the {@link FramingLimits}, for monitoring. */
    public int retainedBytes()
    {
        return framer.retainedBytes();
    }
}
