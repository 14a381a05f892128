package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.StringDecoder;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_DELTA;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_START;

/**
 * {@code message_start}, {@code message_delta} and {@code message_stop} read scan-first, from the members the strict
 * byte scan located ({@link EventScan}): what the token reader's {@code readMessage}, {@code readMessageDelta} and
 * field capture do, member by member in the same order, values kept without being tokenized. Three events a stream,
 * but each costs the token reader more than a thousand bytes of deltas cost the fast path.
 *
 * <p>Only what the token reader would fold without complaint is read here: anything it would refuse or read another
 * way (a second type or an index, a message or delta twice or not an object, a usage neither null nor an object, blocks
 * sent in the message's content) is left to it, before anything is folded.
 */
final class MessageScan
{
    private final AnthropicDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final JsonMembers usage = new JsonMembers();
    private final StringDecoder strings = new StringDecoder(64);

    MessageScan(final AnthropicDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
    }

    /**
     * Folds a message event whose type (member 0) the scan has read, as the token reader folds its fields; the event's
     * end ({@code onEventEnd}) is the dialect's, as for any event.
     *
     * @param inner the members of the event's first {@code message} ({@code message_start}) or {@code delta}
     *              ({@code message_delta}) object.
     * @return false, with nothing folded, when the token reader must read the event.
     */
    boolean fold(final int kind, final JsonMembers event, final JsonMembers inner)
    {
        final int body = body(kind, event);
        if (body == -2 || (kind == MESSAGE_START && body >= 0 && !plainMessage(inner)))
        {
            return false;
        }
        for (int i = 1; i < event.count(); i++)
        {
            final String name = event.name(i);
            if (kind == MESSAGE_START)
            {
                // Only its message counts; the token reader skips any other member.
                if (i == body)
                {
                    readMessage(inner);
                }
            }
            else if (i == body)
            {
                readDelta(inner);
            }
            else if (kind == MESSAGE_DELTA && "usage".equals(name))
            {
                mergeUsage(event, i);
            }
            else
            {
                // message_stop's extra fields (Bedrock's invocation metrics), message_delta's others: the message's own.
                dialect.captureKeepingNonEmpty(aggregate.meta(), name, event, i);
            }
        }
        return true;
    }

    /**
     * @return the member holding the message or delta object, -1 when there is none, -2 when the token reader must read
     *         the event (a second type or an index, a second message or delta, one that is not an object, a usage of
     *         message_delta neither null nor an object).
     */
    private static int body(final int kind, final JsonMembers event)
    {
        int body = -1;
        for (int i = 1; i < event.count(); i++)
        {
            final String name = event.name(i);
            if ("type".equals(name) || "index".equals(name))
            {
                return -2;
            }
            if ((kind == MESSAGE_START && "message".equals(name)) || (kind == MESSAGE_DELTA && "delta".equals(name)))
            {
                if (body >= 0 || event.first(i) != '{')
                {
                    return -2;
                }
                body = i;
            }
            else if (kind == MESSAGE_DELTA && "usage".equals(name) && !nullOrObject(event, i))
            {
                return -2;
            }
        }
        return body;
    }

    /**
     * @return whether the message holds no content block and no stop reason (the token reader reads those there) and a
     * usage it folds.
     */
    private static boolean plainMessage(final JsonMembers message)
    {
        for (int i = 0; i < message.count(); i++)
        {
            final String name = message.name(i);
            if ("content".equals(name) && message.first(i) == '[' &&
                JsonBytes.skipWhitespace(message.bytes(), message.valueStart(i) + 1, message.valueEnd(i)) != message.valueEnd(i) - 1)
            {
                return false;
            }
            if ("usage".equals(name) && !nullOrObject(message, i))
            {
                return false;
            }
            if ("stop_reason".equals(name) && message.first(i) != 'n')
            {
                // A whole message's stop reason finishes it: the token reader reads that.
                return false;
            }
        }
        return true;
    }

    private static boolean nullOrObject(final JsonMembers m, final int i)
    {
        return m.first(i) == 'n' || m.first(i) == '{';
    }

    /** As the dialect's {@code readMessage}: role, usage, and every other member kept as the message's. */
    private void readMessage(final JsonMembers m)
    {
        final MutableChoice choice = aggregate.choiceForIndex(0);
        for (int i = 0; i < m.count(); i++)
        {
            final String name = m.name(i);
            switch (name)
            {
                case "role":
                    if (m.isString(i) && choice != null)
                    {
                        choice.role().set(m.stringChars(i, strings), 0, strings.length(), limits.maxTextChars());
                    }
                    break;
                case "content":
                    // No block (plainMessage): nothing to read.
                    break;
                case "usage":
                    mergeUsage(m, i);
                    break;
                default:
                    dialect.captureKeepingNonEmpty(aggregate.meta(), name, m, i);
            }
        }
    }

    /** As the dialect's {@code readMessageDelta}: the stop reason, and every other member kept as the message's. */
    private void readDelta(final JsonMembers d)
    {
        for (int i = 0; i < d.count(); i++)
        {
            final String name = d.name(i);
            if ("stop_reason".equals(name))
            {
                if (d.isString(i))
                {
                    dialect.stopReason(d.stringChars(i, strings), 0, strings.length());
                }
            }
            else
            {
                dialect.captureKeepingNonEmpty(aggregate.meta(), name, d, i);
            }
        }
    }

    /** A usage member, null (ignored) or an object ({@link #body} and {@link #plainMessage} let nothing else through). */
    private void mergeUsage(final JsonMembers m, final int i)
    {
        if (m.first(i) == '{')
        {
            usage.readObject(m.bytes(), m.valueStart(i), m.valueEnd(i));
            dialect.mergeUsage(usage);
        }
    }
}
