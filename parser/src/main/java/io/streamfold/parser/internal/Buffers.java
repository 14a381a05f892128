package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Chooses, once at class initialisation, the buffer views every framer and reader uses: Agrona's
 * {@link UnsafeBuffer} when it works on this JVM, else the flag-free {@link SafeBuffer}. On Java 17+ Agrona 2
 * reaches {@code jdk.internal.misc.Unsafe}, which needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED};
 * without it the first use of an {@link UnsafeBuffer} throws {@link IllegalAccessError} and every later one
 * {@link NoClassDefFoundError}. The probe below takes that first failure, so nothing reaches a caller of
 * {@code feed}. Setting the system property {@value #SAFE_PROPERTY} to {@code true} forces the fallback.
 */
public final class Buffers
{
    /** System property that, when {@code true}, selects {@link SafeBuffer} even where Unsafe is reachable. */
    public static final String SAFE_PROPERTY = "streamfold.safeBuffers";

    /** True when Agrona's Unsafe-based buffers (and {@link UnsafeApi}) work on this JVM and are chosen. */
    public static final boolean UNSAFE = probe();

    private Buffers()
    {
    }

    /** @return a new, empty view to {@code wrap} callers' bytes in. */
    public static DirectBuffer newView()
    {
        return UNSAFE ? new UnsafeBuffer(0, 0) : new SafeBuffer();
    }

    /**
     * @param bytes to view, whole.
     * @return a view of the array.
     */
    public static DirectBuffer wrap(final byte[] bytes)
    {
        return UNSAFE ? new UnsafeBuffer(bytes) : new SafeBuffer(bytes);
    }

    private static boolean probe()
    {
        if (Boolean.getBoolean(SAFE_PROPERTY))
        {
            return false;
        }
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Long.BYTES]);
            buffer.putLong(0, 1L);
            return buffer.getLong(0) == 1L && UnsafeApi.getLongUnaligned(buffer.byteArray(),
                buffer.addressOffset(), false) != 0;
        }
        catch (final Throwable ex) // IllegalAccessError, NoClassDefFoundError, ExceptionInInitializerError
        {
            return false;
        }
    }
}
