package io.streamfold.parser.internal;

/** Value types of AWS eventstream headers, shared by the framer that validates them and {@code Frame}'s lookups. */
public final class EventStreamHeaders
{
    /** Value type of a string header: 2-byte length, then UTF-8. */
    public static final byte STRING = 7;
    /** {@link #valueLength(byte)} of a type whose value has a 2-byte length prefix. */
    public static final int VARIABLE = -1;
    /** {@link #valueLength(byte)} of an unknown type. */
    public static final int UNKNOWN = -2;

    private EventStreamHeaders()
    {
    }

    /**
     * @param type header value type byte.
     * @return the fixed value length of the type, {@link #VARIABLE} or {@link #UNKNOWN}.
     */
    public static int valueLength(final byte type)
    {
        switch (type)
        {
            case 0: // boolean true
            case 1: // boolean false
                return 0;
            case 2: // byte
                return 1;
            case 3: // short
                return 2;
            case 4: // integer
                return 4;
            case 5: // long
            case 8: // timestamp, milliseconds since the epoch
                return 8;
            case 6: // byte array, 2-byte length
            case 7: // string, 2-byte length
                return VARIABLE;
            case 9: // uuid
                return 16;
            default:
                return UNKNOWN;
        }
    }
}
