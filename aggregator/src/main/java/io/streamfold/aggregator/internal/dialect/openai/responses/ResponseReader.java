package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * Reads the response object of a lifecycle or terminal event into meta, usage and (when final) the items. It repeats
 * what the stream already gave (every output item again), so it is read by byte scans, nothing tokenized: usage fields
 * and the rest kept as their bytes, or handed to the item reader; a member or item repeated byte for byte as it was
 * last read is not kept again (see {@link CheckedRepeats#folded}, {@link ItemReader#repeatedFinal}).
 */
final class ResponseReader
{
    private final OpenAiResponsesDialect dialect;
    private final MutableAggregate aggregate;
    private final OutputItems items;
    private final ItemReader itemReader;
    private final GatheredEvent event;
    private final CheckedRepeats repeats;
    /** Members of the response, when the event's check did not locate them. */
    private final JsonMembers members = new JsonMembers();
    /** The members of a usage object inside a response. */
    private final JsonMembers usage = new JsonMembers();

    ResponseReader(final OpenAiResponsesDialect dialect, final MutableAggregate aggregate, final OutputItems items, final ItemReader itemReader,
        final GatheredEvent event, final CheckedRepeats repeats)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.items = items;
        this.itemReader = itemReader;
        this.event = event;
        this.repeats = repeats;
    }

    /** Reads the event's response; {@code terminal} for a completed, incomplete or failed one. */
    void read(final boolean terminal) throws JsonReader.BadPayload
    {
        final JsonMembers m = event.objectMembers(GatheredEvent.RESPONSE, members);
        final boolean folded = repeats.beginRead();
        if (m == null)
        {
            repeats.forgetResponse();
            // An array where the object belongs: read as the token reader always read it (an empty one is nothing).
            if (members.readArray(event.captured(GatheredEvent.RESPONSE)) && members.count() > 0)
            {
                throw new JsonReader.BadPayload("more than one JSON value in one event");
            }
            return;
        }
        final int errorsBefore = aggregate.errorCount();
        final boolean located = event.located(GatheredEvent.RESPONSE);
        final byte[] bytes = m.bytes();
        for (int i = 0; i < m.count(); i++)
        {
            final String field = m.name(i);
            switch (field)
            {
                case "output":
                    if (m.first(i) == '[')
                    {
                        final int end = m.valueEnd(i);
                        long position = 0;
                        for (int at = JsonMembers.firstElement(bytes, m.valueStart(i), end); bytes[at] != ']'; position++)
                        {
                            at = JsonMembers.nextElement(bytes,
                                bytes[at] == '{' ? readOutputElement(bytes, at, end, position, terminal, located) : JsonMembers.skip(bytes, at, end), end);
                        }
                    }
                    break;
                case "usage":
                    if (m.first(i) != 'n')
                    {
                        if (m.first(i) != '{')
                        {
                            throw new JsonReader.BadPayload("usage is not an object");
                        }
                        usage.readObject(bytes, m.valueStart(i), m.valueEnd(i));
                        dialect.mergeUsage(usage);
                    }
                    break;
                default:
                    if (!folded || !repeats.folded(m, i, located))
                    {
                        dialect.captureKeepingNonEmpty(aggregate.meta(), field, m, i);
                    }
            }
        }
        if (located)
        {
            repeats.keepResponse(m, aggregate.errorCount() == errorsBefore);
        }
        else
        {
            repeats.forgetResponse();
        }
    }

    /**
     * The output element at {@code from}: matched to a streamed item by id, else by position. {@code located}: the
     * response is the one the event's check located.
     *
     * @return the index just past it.
     */
    private int readOutputElement(final byte[] bytes, final int from, final int limit, final long position, final boolean terminal,
        final boolean located) throws JsonReader.BadPayload
    {
        if (terminal)
        {
            final int repeated = itemReader.repeatedFinal(bytes, from, limit, position);
            if (repeated >= 0)
            {
                return repeated;
            }
        }
        // Located by the event's check when it read the response (see CheckedRepeats#locatedElement): not located again.
        final JsonMembers element = located ? repeats.locatedElement(bytes, from) : null;
        final int end = element != null ? itemReader.gatherFields(element) : itemReader.gatherFields(bytes, from, limit);
        Item item = null;
        final MutableRawJson id = itemReader.incoming().get("id");
        if (id != null && id.type() == MutableRawJson.Type.STRING && !id.isEmptyString())
        {
            item = items.findItemById(id.text());
        }
        if (item == null)
        {
            item = items.itemFor(position);
        }
        if (item != null)
        {
            itemReader.applyItem(item, terminal);
            if (terminal)
            {
                items.endItem(item);
            }
        }
        return end;
    }
}
