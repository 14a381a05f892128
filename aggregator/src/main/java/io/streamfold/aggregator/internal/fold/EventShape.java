package io.streamfold.aggregator.internal.fold;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.internal.json.JsonBytes;

/**
 * What varies in one kind of repeated event: a dialect's whole description for {@link EventTemplate}. Each slot
 * is a path of field names (or {@link #ONLY}, into an array of one element) from the event's root object to a
 * value, and the type that value must keep; every other byte of the event is expected to repeat exactly (runs of
 * whitespace between tokens may change). The {@link #meaning()} is the dialect's own tag, telling it on a match
 * what effect the slots have.
 *
 * <pre>
 * static final EventShape TEXT_DELTA = EventShape.of(TEXT).string("delta", "text").build();
 * </pre>
 */
public final class EventShape
{
    /** A JSON string, decoded into chars. */
    public static final int STRING = 0;
    /** A JSON integer that fits in 18 digits, read into a long. */
    public static final int INTEGER = 1;
    /** Any JSON number, kept as its span of bytes. */
    public static final int NUMBER = 2;
    /** An array of JSON integers, read into longs. */
    public static final int INTEGER_ARRAY = 3;
    /** Any JSON value of the kind learnt (object, array, string, ...), validated and kept as its span of bytes. */
    public static final int RAW = 4;
    /**
     * A JSON value read by the dialect's own {@link ValueScanner} in one pass that checks it as {@link #RAW} is
     * checked and takes out what the dialect needs (a logprob entry's token and value).
     */
    public static final int SCANNED = 5;
    /**
     * A JSON string that usually repeats another slot's value byte for byte (Together sends each token again at
     * choice level): compared with that slot's bytes, and checked as {@link #RAW} is checked only when it
     * differs. Never decoded: for a value the dialect only needs to be valid.
     */
    public static final int SAME_STRING = 6;
    /**
     * An object whose members are other slots of the shape or values that may vary as they like (each checked as
     * {@link #RAW} is, never read): the object itself is never scanned, and where it lies in a matched event is
     * readable, for a dialect that keeps it whole (a logprob entry whose token and value are slots of their own).
     */
    public static final int OBJECT = 7;
    /**
     * A value the dialect keeps as its bytes (an object or array it stores verbatim): it must repeat byte for byte,
     * whitespace included, where elsewhere runs of whitespace between tokens may vary. Nothing to read back.
     */
    public static final int LITERAL = 8;
    /**
     * A non-negative JSON integer, written without sign or leading zero, that goes up by one from event to event (a
     * Responses delta's {@code sequence_number}): compared as literal bytes, the learnt digits counted up by one after
     * each event the template folds, so it costs no slot of its own. An event with any other value does not match
     * (the dialect learns it again, or as an {@link #INTEGER}); nothing to read back.
     */
    public static final int COUNTER = 9;

    /** Path element for the one element of an array that has exactly one (a single candidate, a single part). */
    public static final String ONLY = "[]";

    static final byte[] ONLY_ELEMENT = ONLY.getBytes(StandardCharsets.US_ASCII);

    private final int meaning;
    private final byte[][][] paths;
    private final int[] types;
    private final ValueScanner[] scanners;
    /** Per slot: the slot a {@link #SAME_STRING} slot repeats; and those slots, for the check after a match. */
    private final int[] originals;
    private final int[] sameStrings;

    private EventShape(final int meaning, final List<byte[][]> paths, final List<Integer> types,
        final List<ValueScanner> scanners, final List<Integer> originals)
    {
        this.meaning = meaning;
        this.paths = paths.toArray(new byte[0][][]);
        this.scanners = scanners.toArray(new ValueScanner[0]);
        this.originals = new int[originals.size()];
        int copies = 0;
        for (int s = 0; s < this.originals.length; s++)
        {
            this.originals[s] = originals.get(s);
            copies += this.originals[s] >= 0 ? 1 : 0;
        }
        this.sameStrings = new int[copies];
        for (int s = 0, k = 0; s < this.originals.length; s++)
        {
            if (this.originals[s] >= 0)
            {
                sameStrings[k++] = s;
            }
        }
        this.types = new int[types.size()];
        for (int i = 0; i < this.types.length; i++)
        {
            this.types[i] = types.get(i);
        }
    }

    /** @return a builder for a shape that the dialect knows by {@code meaning}. */
    public static Builder of(final int meaning)
    {
        return new Builder(meaning);
    }

    /** @return the dialect's tag for this shape. */
    public int meaning()
    {
        return meaning;
    }

    /** @return how many slots the shape declares. */
    public int slotCount()
    {
        return types.length;
    }

    /** @return the type of slot {@code slot} (one of the constants of this class). */
    public int type(final int slot)
    {
        return types[slot];
    }

    /** @return the slot that {@link #SAME_STRING} slot {@code slot} repeats. */
    int original(final int slot)
    {
        return originals[slot];
    }

    /** @return the {@link #SAME_STRING} slots. */
    int[] sameStrings()
    {
        return sameStrings;
    }

    /** @return the scanner of {@link #SCANNED} slot {@code slot}. */
    ValueScanner scanner(final int slot)
    {
        return scanners[slot];
    }

    /** @return the field names (ASCII bytes) leading from the root object to slot {@code slot}. */
    byte[][] path(final int slot)
    {
        return paths[slot];
    }

    /**
     * A dialect's reader of one kind of value, run over the bytes in place of {@link JsonBytes#valueEnd}: it must
     * accept only what that method accepts (so the value is valid JSON that Jackson reads the same way), and may
     * refuse more. What it takes out is the dialect's to keep until the next call; an event that does not match
     * after all simply leaves it unread.
     */
    public interface ValueScanner
    {
        /**
         * Scans one value starting exactly at {@code from}, with {@link JsonBytes#valueEnd}'s parameters.
         *
         * @return the index just past the value, or {@link JsonBytes#REFUSED}.
         */
        int valueEnd(byte[] src, int from, int limit, int maxDepth, int maxStringBytes);
    }

    /** Collects the slots of one shape, in the order the dialect will read them back. */
    public static final class Builder
    {
        private final int meaning;
        private final List<byte[][]> paths = new ArrayList<>();
        private final List<Integer> types = new ArrayList<>();
        private final List<ValueScanner> scanners = new ArrayList<>();
        private final List<Integer> originals = new ArrayList<>();

        private Builder(final int meaning)
        {
            this.meaning = meaning;
        }

        /** Adds a string slot at {@code path}. */
        public Builder string(final String... path)
        {
            return slot(STRING, path);
        }

        /** Adds an integer slot at {@code path}. */
        public Builder integer(final String... path)
        {
            return slot(INTEGER, path);
        }

        /** Adds a number slot at {@code path}. */
        public Builder number(final String... path)
        {
            return slot(NUMBER, path);
        }

        /** Adds an integer-array slot at {@code path}. */
        public Builder integerArray(final String... path)
        {
            return slot(INTEGER_ARRAY, path);
        }

        /** Adds a raw value slot at {@code path}. */
        public Builder raw(final String... path)
        {
            return slot(RAW, path);
        }

        /** Adds a {@link #LITERAL} value at {@code path}. */
        public Builder literal(final String... path)
        {
            return slot(LITERAL, path);
        }

        /** Adds a {@link #COUNTER} at {@code path}. */
        public Builder counter(final String... path)
        {
            return slot(COUNTER, path);
        }

        /** Adds an object slot at {@code path}: its members not declared as slots may vary. */
        public Builder object(final String... path)
        {
            return slot(OBJECT, path);
        }

        /** Adds a slot at {@code path} that {@code scanner} checks and reads. */
        public Builder scanned(final ValueScanner scanner, final String... path)
        {
            slot(SCANNED, path);
            scanners.set(scanners.size() - 1, scanner);
            return this;
        }

        /** Adds a string slot at {@code path} that usually repeats slot {@code original}'s value. */
        public Builder sameString(final int original, final String... path)
        {
            if (original < 0 || original >= types.size())
            {
                throw new IllegalArgumentException("no slot " + original + " to repeat");
            }
            slot(SAME_STRING, path);
            originals.set(originals.size() - 1, original);
            return this;
        }

        /** @return the shape. */
        public EventShape build()
        {
            return new EventShape(meaning, paths, types, scanners, originals);
        }

        private Builder slot(final int type, final String... path)
        {
            if (path.length == 0)
            {
                throw new IllegalArgumentException("a slot needs a path");
            }
            final byte[][] names = new byte[path.length][];
            for (int i = 0; i < path.length; i++)
            {
                names[i] = path[i].getBytes(StandardCharsets.US_ASCII);
            }
            paths.add(names);
            types.add(type);
            scanners.add(null);
            originals.add(-1);
            return this;
        }
    }
}
