package io.streamfold.aggregator.internal.json;

import java.nio.charset.StandardCharsets;

/**
 * One step of the objects a check locates as it passes them: the first member named any of {@code names} whose
 * value is an object (or, for an element step, an array: then its first element when that is an object), whose
 * members go to {@code into}, and the step within it. Built once per reader: a check allocates nothing.
 */
public final class MemberPath
{
    final byte[][] names;
    final boolean element;
    final JsonMembers into;
    final JsonMembers.KnownValues known;
    final MemberPath next;

    private MemberPath(final byte[][] names, final boolean element, final JsonMembers into, final JsonMembers.KnownValues known,
        final MemberPath next)
    {
        this.names = names;
        this.element = element;
        this.into = into;
        this.known = known;
        this.next = next;
    }

    /** The object member named any of {@code names} (as sent: without escapes), then {@code next} (or null) within it. */
    public static MemberPath object(final JsonMembers into, final MemberPath next, final String... names)
    {
        return new MemberPath(utf8(names), false, into, null, next);
    }

    /** The object member named any of {@code names}, with no step within it. */
    public static MemberPath object(final JsonMembers into, final String... names)
    {
        return new MemberPath(utf8(names), false, into, null, null);
    }

    /**
     * As {@link #object(JsonMembers, String...)}, asking {@code known} first about each of the object's member values:
     * one it recognises is not scanned again.
     */
    public static MemberPath objectKnowing(final JsonMembers into, final JsonMembers.KnownValues known, final String... names)
    {
        return new MemberPath(utf8(names), false, into, known, null);
    }

    /** The first element, an object, of the array member named any of {@code names}, then {@code next} within it. */
    public static MemberPath firstElement(final JsonMembers into, final MemberPath next, final String... names)
    {
        return new MemberPath(utf8(names), true, into, null, next);
    }

    private static byte[][] utf8(final String... names)
    {
        final byte[][] bytes = new byte[names.length][];
        for (int k = 0; k < names.length; k++)
        {
            bytes[k] = names[k].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }
}
