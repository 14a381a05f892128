package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Frame;

/**
 * The framers' way to fill a {@link Frame}, whose setters are not API: {@link Frame} installs the one
 * implementation when its class initialises (the JDK's "shared secrets" pattern), so framers in the
 * format packages can set it while users of the API package cannot.
 */
public abstract class FrameAccess
{
    private static FrameAccess installed;
    private static final FrameAccess ACCESS = load();

    /** For {@link Frame} only. */
    protected FrameAccess()
    {
    }

    /**
     * Called once by {@link Frame}'s static initialiser.
     *
     * @param access the implementation.
     */
    public static void install(final FrameAccess access)
    {
        if (installed != null)
        {
            throw new IllegalStateException("already installed");
        }
        installed = access;
    }

    /** @return the one implementation, {@link Frame}'s. */
    public static FrameAccess get()
    {
        return ACCESS;
    }

    private static FrameAccess load()
    {
        try
        {
            Class.forName(Frame.class.getName(), true, Frame.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
        return installed;
    }

    /** @return a new, empty frame. */
    public abstract Frame newFrame();

    /** Sets the payload view. */
    public abstract void payload(Frame frame, DirectBuffer buffer, int offset, int length);

    /** Sets the event type view. */
    public abstract void type(Frame frame, DirectBuffer buffer, int offset, int length);

    /** Sets the last event id view. */
    public abstract void id(Frame frame, DirectBuffer buffer, int offset, int length, boolean present);

    /**
     * Sets the eventstream headers view (length 0 for other formats) and where in it the framer found the
     * {@code :message-type} value ({@code messageTypeLength} -1 when absent), so that lookups of the header every
     * message is asked for need no second walk; and the section's {@link Frame#headersSerial()} (0 for none).
     */
    public abstract void headers(Frame frame, DirectBuffer buffer, int offset, int length, int messageTypeOffset,
        int messageTypeLength, long serial);

    /** Sets the frame's index and stream offset. */
    public abstract void position(Frame frame, long index, long streamOffset);
}
