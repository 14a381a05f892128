package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.util.Arrays;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * Azure's per-choice {@code content_filter_results}, folded category by category: a category a chunk sends replaces
 * the same category kept (whole), the others kept stay, new ones are added after them, and an empty object adds
 * nothing. Each streamed chunk reports only the filters that ran on its segment: the finish chunk sends {@code {}},
 * and the asynchronous filter sends the harm categories and the protected material ones in separate chunks after the
 * finish, while the non-streaming choice holds every category in one object. Kept as the last value, as other
 * unknown members of a choice are, the fold would show {@code {}} or half the categories.
 *
 * <p>The rule is for this member only, not for every object-valued unknown member: what a repeated object means is
 * the provider's, and a state sent whole each time (Azure's {@code content_filter_offsets}, one check window) would be
 * wrong merged once a later one leaves out a field on purpose. {@code content_filter_results} is documented as a map
 * of independent categories, which is what makes merging it right. A value that is not an object (or a kept one that
 * is not) is kept by the usual rule ({@link io.streamfold.aggregator.internal.dialect.Dialect#captureKeepingNonEmpty}).
 *
 * <p>Both readers fold through here, the token reader ({@link ChoiceReader}) and the byte scan ({@link ChunkScan}), so
 * they agree byte for byte; the fast path folds a chunk only when it repeats one already folded, whose categories a
 * second merge leaves as they are. Nothing is allocated once the buffers have grown; a chunk repeating what is kept
 * (every text chunk of a stream whose filters all say {@code safe}) is compared and changes nothing.
 */
final class FilterResults
{
    /** The member this folds. */
    static final String NAME = "content_filter_results";

    private final OpenAiChatDialect dialect;
    private final AggregationLimits limits;
    private final JsonMembers kept = new JsonMembers();
    private final JsonMembers sent = new JsonMembers();
    /** The token reader's value, as bytes to merge from. */
    private final MutableRawJson captured = new MutableRawJson();
    /** Where the merged object is written before it replaces the kept one. */
    private byte[] merged = new byte[512];
    private int length;

    FilterResults(final OpenAiChatDialect dialect, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.limits = limits;
    }

    /** Folds the value the token reader is on (member {@link #NAME} of a choice) into {@code extra}, moving past it. */
    void fold(final MutableRawFields extra, final JsonReader reader) throws JsonReader.BadPayload
    {
        final MutableRawJson existing = extra.get(NAME);
        if (reader.token() != JsonToken.START_OBJECT || existing == null || !kept.readObject(existing))
        {
            dialect.captureKeepingNonEmpty(extra, NAME, reader);
            return;
        }
        // The merged object is held to the limit; this copy is only read from.
        reader.captureForReplay(captured);
        merge(existing, captured.structuredBytes(), 0, captured.structuredLength());
    }

    /** Folds a value captured before its choice was known (held to the raw-value limit then) into {@code extra}. */
    void fold(final MutableRawFields extra, final MutableRawJson value)
    {
        final MutableRawJson existing = extra.get(NAME);
        if (existing == null || !kept.readObject(existing) || !sent.readObject(value))
        {
            dialect.keepKeepingNonEmpty(extra, NAME, value);
            return;
        }
        merge(existing, value.structuredBytes(), 0, value.structuredLength());
    }

    /** Folds member {@code k} of a choice a byte scan located (named {@link #NAME}) into {@code extra}. */
    void fold(final MutableRawFields extra, final JsonMembers choice, final int k)
    {
        final MutableRawJson existing = extra.get(NAME);
        if (choice.first(k) != '{' || existing == null || !kept.readObject(existing))
        {
            dialect.captureKeepingNonEmpty(extra, existing, NAME, choice, k);
            return;
        }
        merge(existing, choice.bytes(), choice.valueStart(k), choice.valueEnd(k));
    }

    /** Merges the object {@code src[from, to)} into {@code existing}, whose members {@link #kept} holds. */
    private void merge(final MutableRawJson existing, final byte[] src, final int from, final int to)
    {
        if (Arrays.equals(existing.structuredBytes(), 0, existing.structuredLength(), src, from, to) ||
            !sent.readObject(src, from, to) || sent.count() == 0)
        {
            return;
        }
        length = 0;
        put((byte)'{');
        for (int i = 0; i < kept.count(); i++)
        {
            final int replacing = last(sent, kept.name(i));
            member(replacing >= 0 ? sent : kept, replacing >= 0 ? replacing : i, kept, i);
        }
        for (int j = 0; j < sent.count(); j++)
        {
            final String name = sent.name(j);
            // A name sent twice in one object is added once, with its last value, as a reader keeps it.
            if (last(kept, name) < 0 && last(sent, name) == j)
            {
                member(sent, j, sent, j);
            }
        }
        put((byte)'}');
        if (!existing.setStructured(merged, 0, length, limits.maxRawBytes()))
        {
            dialect.rawValueTooLarge(NAME);
        }
    }

    /** Writes one member: the name of {@code named}'s member {@code n} (as sent), the value of {@code valued}'s member {@code v}. */
    private void member(final JsonMembers valued, final int v, final JsonMembers named, final int n)
    {
        if (length > 1)
        {
            put((byte)',');
        }
        // The name with its quotes, then the value, each as the bytes they came as.
        put(named.bytes(), named.nameStart(n) - 1, named.nameEnd(n) + 1);
        put((byte)':');
        put(valued.bytes(), valued.valueStart(v), valued.valueEnd(v));
    }

    /** @return the last member of {@code members} named {@code name}, or -1. */
    private static int last(final JsonMembers members, final String name)
    {
        for (int i = members.count() - 1; i >= 0; i--)
        {
            if (name.equals(members.name(i)))
            {
                return i;
            }
        }
        return -1;
    }

    private void put(final byte b)
    {
        room(1);
        merged[length++] = b;
    }

    private void put(final byte[] src, final int from, final int to)
    {
        room(to - from);
        System.arraycopy(src, from, merged, length, to - from);
        length += to - from;
    }

    private void room(final int more)
    {
        if (length + more > merged.length)
        {
            merged = Arrays.copyOf(merged, Math.max(merged.length * 2, length + more));
        }
    }
}
