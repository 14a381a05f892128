package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.Frame;

/**
 * How a dialect reads an event its repeated-event fast path did not fold from the event's bytes instead of with the
 * token reader: the event is checked strictly and its members located ({@link #check}), walked once to see that every
 * one is a member the reader folds exactly as the token reader would ({@link #walk} with {@code fold} false, nothing
 * changed), and only then folded ({@link #fold}). An event refused at either step goes to the token reader whole, and so
 * do the stream's later events: what a scan refuses (a shape it does not read, an error, a value over a limit) mostly
 * comes again in the events after it, which would otherwise be scanned and then read a second time. A new stream
 * ({@link #reset}) is scanned again.
 */
public abstract class ScanFirstReader
{
    /** The event's payload as an array, and the strict check a subclass's {@link #check} runs. */
    protected final EventBytes bytes;
    /** Nesting the scan allows, the limits' own. */
    protected final int maxDepth;
    /** The longest string the scan accepts ({@link EventBytes#scanStringBytes}). */
    protected final int maxStringBytes;
    private boolean refused;
    private long folds;

    protected ScanFirstReader(final AggregationLimits limits)
    {
        bytes = new EventBytes(limits);
        maxDepth = limits.maxNestingDepth();
        maxStringBytes = EventBytes.scanStringBytes(limits);
    }

    /**
     * Folds the frame's event when the scan accepts it whole.
     *
     * @return false, nothing changed, when the token reader must read it.
     */
    public final boolean read(final Frame frame) throws JsonReader.BadPayload
    {
        if (refused || !bytes.scans() || !enabled())
        {
            return false;
        }
        bytes.load(frame);
        if (!check() || !walk(false))
        {
            refused = true;
            return false;
        }
        fold(frame);
        folds++;
        return true;
    }

    /** A new stream: its events are scanned first again. */
    public void reset()
    {
        refused = false;
    }

    /** @return events this reader folded (tests tell by it which reader read an event). */
    public final long folds()
    {
        return folds;
    }

    /** @return whether the dialect scans at all now (true unless a subclass says otherwise). */
    protected boolean enabled()
    {
        return true;
    }

    /**
     * Checks the payload {@link #bytes} holds as strictly as the token reader would, locating its members.
     *
     * @return false when the check refuses it (the token reader then reads it, and reports what it finds wrong).
     */
    protected abstract boolean check();

    /**
     * Walks the located members as the dialect's token reader reads them.
     *
     * @param fold false to check only that every member is one this reader reads (nothing changes), true to fold them.
     * @return false when a member is not (only ever with {@code fold} false).
     */
    protected abstract boolean walk(boolean fold) throws JsonReader.BadPayload;

    /** Folds the checked event: at least {@link #walk} with {@code fold} true. */
    protected abstract void fold(Frame frame) throws JsonReader.BadPayload;
}
