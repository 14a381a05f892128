package io.streamfold.aggregator.internal.json;

import java.util.ArrayList;

/**
 * One {@link ArgumentFieldReader} per tool call whose arguments are still streaming: calls of several choices
 * (or parallel calls) may interleave, so each keeps its own reader, found by the call's identity. Readers are
 * pooled, so a stream of many calls allocates only as many readers as were ever open at once.
 */
public final class ArgumentFields
{
    /** Receives completed fields with the call they belong to, as ranges of characters valid only during the call. */
    public interface Sink
    {
        /**
         * A field of a tool call's arguments is complete.
         *
         * @param choice        choice index.
         * @param toolIndex     the call's position among its choice's tool calls.
         * @param pointer       holds the field's JSON pointer from index 0.
         * @param pointerLength its length.
         * @param text          holds the value's JSON text.
         * @param valueOffset   where the value starts in {@code text}.
         * @param valueLength   its length.
         */
        void onField(int choice, int toolIndex, char[] pointer, int pointerLength, char[] text, int valueOffset, int valueLength);
    }

    private final int maxDepth;
    private final int maxChars;
    private final ArrayList<Open> open = new ArrayList<>();
    private final ArrayList<Open> spare = new ArrayList<>();

    /**
     * @param maxDepth most nested containers in one call's arguments.
     * @param maxChars most characters of one call's arguments.
     */
    public ArgumentFields(final int maxDepth, final int maxChars)
    {
        this.maxDepth = maxDepth;
        this.maxChars = maxChars;
    }

    /**
     * Feeds a fragment of a call's arguments; the first fragment of a call starts its reader, and a call whose
     * reader was not started at its first fragment gets none (fields read from the middle would be wrong).
     *
     * @param call      the call's identity.
     * @param first     true when the fragment is the start of the call's arguments.
     * @param choice    choice index, passed back to the sink.
     * @param toolIndex tool-call index, passed back to the sink.
     * @param sink      receives the fields of a call that starts here.
     * @param chars     characters.
     * @param offset    first one.
     * @param length    how many.
     */
    public void feed(
        final Object call,
        final boolean first,
        final int choice,
        final int toolIndex,
        final Sink sink,
        final char[] chars,
        final int offset,
        final int length)
    {
        Open o = find(call);
        if (o == null)
        {
            if (!first)
            {
                return;
            }
            o = spare.isEmpty() ? new Open(maxDepth, maxChars) : spare.remove(spare.size() - 1);
            o.start(call, choice, toolIndex, sink);
            open.add(o);
        }
        o.reader.feed(chars, offset, length);
    }

    /**
     * A call's arguments are over: its last value completes (or the text is found cut short) and its reader is freed.
     *
     * @param call the call's identity; a call never fed is ignored.
     * @return why the call's arguments are not complete JSON, or null when they are (or the call was never fed).
     */
    public String end(final Object call)
    {
        final Open o = find(call);
        if (o == null)
        {
            return null;
        }
        o.reader.end();
        final String failure = o.reader.failure();
        release(o);
        return failure;
    }

    /** @return true while {@code call} has a reader (its first fragment was read with one). */
    public boolean reads(final Object call)
    {
        return find(call) != null;
    }

    /** Frees every reader without completing it (a new stream begins). */
    public void clear()
    {
        while (!open.isEmpty())
        {
            release(open.get(open.size() - 1));
        }
    }

    private Open find(final Object call)
    {
        for (int i = 0; i < open.size(); i++)
        {
            if (open.get(i).call == call)
            {
                return open.get(i);
            }
        }
        return null;
    }

    private void release(final Open o)
    {
        open.remove(o);
        o.call = null;
        o.sink = null;
        spare.add(o);
    }

    private static final class Open implements ArgumentFieldReader.FieldHandler
    {
        final ArgumentFieldReader reader;
        Object call;
        Sink sink;
        int choice;
        int toolIndex;

        Open(final int maxDepth, final int maxChars)
        {
            reader = new ArgumentFieldReader(maxDepth, maxChars);
        }

        void start(final Object call, final int choice, final int toolIndex, final Sink sink)
        {
            this.call = call;
            this.choice = choice;
            this.toolIndex = toolIndex;
            this.sink = sink;
            reader.reset(this);
        }

        @Override
        public void onField(
            final char[] pointer, final int pointerLength, final char[] text, final int valueOffset, final int valueLength)
        {
            sink.onField(choice, toolIndex, pointer, pointerLength, text, valueOffset, valueLength);
        }
    }
}
