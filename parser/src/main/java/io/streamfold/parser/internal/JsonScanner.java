package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

/**
 * The one JSON bracket and string scanner: finds where an object, array or string that begins at the first
 * byte scanned ends, across slices, tracking only bracket depth, strings and escapes (so brackets and quotes
 * inside strings never confuse it). It does not check that brackets match or that the text is valid JSON;
 * a JSON parser does that afterwards.
 */
public final class JsonScanner
{
    /** The structure is still open at the end of the bytes scanned. */
    public static final int OPEN = 0;
    /** The structure closed: the index returned is just past its last byte. */
    public static final int CLOSED = 1;
    /** A bracket took the depth past the limit: the index returned is just past that bracket. */
    public static final int TOO_DEEP = 2;

    /** Bracket depth; a long so that no input can wrap it. */
    private long depth;
    private boolean inString;
    private boolean escaped;
    private int status = OPEN;

    /** Forgets the structure, to scan a new one. */
    public void reset()
    {
        depth = 0;
        inString = false;
        escaped = false;
        status = OPEN;
    }

    /** @return {@link #OPEN}, {@link #CLOSED} or {@link #TOO_DEEP}, as the last {@link #scan} left it. */
    public int status()
    {
        return status;
    }

    /**
     * Scans on from where the previous call stopped.
     *
     * @param buffer   holding the bytes.
     * @param from     first index to scan; the first byte of a structure is its {@code {}, {@code [} or {@code "}.
     * @param to       index after the last byte to scan.
     * @param maxDepth deepest nesting allowed before {@link #TOO_DEEP} (the outer bracket is depth 1); after
     *                 {@link #TOO_DEEP} the scan may go on with a larger value.
     * @return index after the last byte consumed: {@code to}, or just past the byte that closed the structure
     * or went too deep (see {@link #status()}).
     */
    public int scan(final DirectBuffer buffer, final int from, final int to, final long maxDepth)
    {
        long depth = this.depth;
        boolean inString = this.inString;
        boolean escaped = this.escaped;
        int status = OPEN;
        int i = from;
        while (i < to)
        {
            final byte b = buffer.getByte(i++);
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        status = CLOSED;
                        break;
                    }
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b == '{' || b == '[')
            {
                if (++depth > maxDepth)
                {
                    status = TOO_DEEP;
                    break;
                }
            }
            else if (b == '}' || b == ']')
            {
                if (--depth <= 0)
                {
                    status = CLOSED;
                    break;
                }
            }
        }
        this.depth = depth;
        this.inString = inString;
        this.escaped = escaped;
        this.status = status;
        return i;
    }
}
