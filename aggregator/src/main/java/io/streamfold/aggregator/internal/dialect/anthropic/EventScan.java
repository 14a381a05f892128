package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.MemberPath;
import io.streamfold.parser.Frame;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_DELTA;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_START;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.CONTENT_BLOCK_STOP;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.KIND_NONE;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_DELTA;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_START;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.MESSAGE_STOP;
import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicEvents.PING;

/**
 * Anthropic events read scan-first: {@code content_block_start}, {@code _delta}, {@code _stop}, pings and (by
 * {@link MessageScan}) {@code message_start}, {@code _delta} and {@code _stop} are checked whole by the strict byte scan
 * ({@link JsonMembers#checkObject}: well-formed UTF-8, strict syntax, bounded depth and lengths, stricter than the token
 * reader) and folded from the members it located. A block's opaque values (a page of web search results, citations, a
 * server tool's input) are then kept as their bytes and never tokenized. A block stop or ping sent as its bare bytes
 * is read on from its type without the member scan.
 *
 * <p>Only the plain shape is read here: {@code type} first, then {@code index} for a block event, one block, delta or
 * message object, a delta of a known type with known fields. Anything else (fields in another order, a repeated or
 * mistyped field, an unknown delta, anything the scan refuses) goes to the token reader, which decides and reports;
 * nothing is folded before that is known, so both ways fold an event the same.
 */
final class EventScan
{
    /** What a block event or ping starts with (whitespace aside): its type, each with the event's kind. */
    private static final byte[] TYPE = ascii("\"type\"");
    private static final byte[] INDEX = ascii("\"index\"");
    private static final byte[][] TYPES = {
        ascii("\"content_block_delta\""), ascii("\"content_block_start\""), ascii("\"content_block_stop\""), ascii("\"ping\""),
        ascii("\"message_start\""), ascii("\"message_delta\""), ascii("\"message_stop\""),
    };
    private static final int[] KINDS = { CONTENT_BLOCK_DELTA, CONTENT_BLOCK_START, CONTENT_BLOCK_STOP, PING, MESSAGE_START, MESSAGE_DELTA, MESSAGE_STOP };

    private final BlockStarts starts;
    private final ContentBlocks blocks;
    private final MessageScan messages;
    private final EventBytes bytes;
    private final JsonMembers event = new JsonMembers();
    /** The members of the event's block or delta, located while the event is checked. */
    private final JsonMembers inner = new JsonMembers();
    private final MemberPath delta = MemberPath.object(inner, "delta");
    private final MemberPath contentBlock = MemberPath.object(inner, "content_block");
    private final MemberPath message = MemberPath.object(inner, "message");
    /** Whether the limits let the scan accept the longest bare event's strings (what {@link #foldBare} must not exceed). */
    private final boolean bare;
    /** Where the type's value ended in the event {@link #kindOf} last read. */
    private int typeEnd;
    private long index;
    private long scanned;

    EventScan(final BlockStarts starts, final ContentBlocks blocks, final MessageScan messages, final AggregationLimits limits)
    {
        this.starts = starts;
        this.blocks = blocks;
        this.messages = messages;
        bytes = new EventBytes(limits);
        bare = EventBytes.scanStringBytes(limits) >= "content_block_stop".length();
    }

    /**
     * Folds the event when it is a block event or ping of the plain shape that the byte scan accepts.
     *
     * @return the kind of the event folded ({@link AnthropicEvents}), or {@link AnthropicEvents#KIND_NONE} when the
     *         token reader must read it (nothing was folded).
     */
    int fold(final Frame frame)
    {
        if (!bytes.scans())
        {
            return KIND_NONE;
        }
        bytes.load(frame);
        final int kind = kindOf(bytes.array(), bytes.offset(), bytes.limit());
        if ((kind == CONTENT_BLOCK_STOP || kind == PING) && foldBare(kind, bytes.array(), bytes.limit()))
        {
            return kind;
        }
        final MemberPath innerPath = kind == CONTENT_BLOCK_DELTA || kind == MESSAGE_DELTA ? delta : kind == CONTENT_BLOCK_START ?
            contentBlock : kind == MESSAGE_START ? message : null;
        if (kind == KIND_NONE || !bytes.checkObject(event, innerPath))
        {
            return KIND_NONE;
        }
        if (kind == MESSAGE_START || kind == MESSAGE_DELTA || kind == MESSAGE_STOP)
        {
            if (!messages.fold(kind, event, inner))
            {
                return KIND_NONE;
            }
            index = -1;
            scanned++;
            return kind;
        }
        int first = 1;
        index = -1;
        if (kind != PING)
        {
            if (event.count() < 2 || !"index".equals(event.name(1)) || (index = event.index(1)) < 0)
            {
                return KIND_NONE;
            }
            first = 2;
        }
        int body = -1;
        for (int i = first; i < event.count(); i++)
        {
            final String name = event.name(i);
            if ("type".equals(name) || "index".equals(name))
            {
                return KIND_NONE;
            }
            if ((kind == CONTENT_BLOCK_START && "content_block".equals(name)) || (kind == CONTENT_BLOCK_DELTA && "delta".equals(name)))
            {
                if (body >= 0 || event.first(i) != '{')
                {
                    return KIND_NONE;
                }
                body = i;
            }
        }
        // The inner members located are the first such member's: the only one here.
        if (kind == CONTENT_BLOCK_DELTA && body >= 0)
        {
            if (!blocks.readsDelta(inner))
            {
                return KIND_NONE;
            }
            blocks.readBlockDelta(inner, index);
        }
        else if (kind == CONTENT_BLOCK_START && body >= 0)
        {
            starts.readBlockStart(inner, index);
        }
        else if (kind == CONTENT_BLOCK_STOP)
        {
            blocks.stopBlock(index);
        }
        scanned++;
        return kind;
    }

    /**
     * Folds a block stop or a ping sent as its bare bytes, {@code {"type":"content_block_stop","index":N}} or
     * {@code {"type":"ping"}} with any whitespace between: read on from the type {@link #kindOf} found, without the
     * member scan (a stream has one stop per block, and pings, each otherwise as costly to scan as a delta). What the
     * member scan would accept and fold the same way, nothing else: a non-negative index without a leading zero that
     * fits a long, only JSON whitespace, nothing after the closing brace; anything else takes the member scan.
     *
     * @return whether the event was folded.
     */
    private boolean foldBare(final int kind, final byte[] src, final int limit)
    {
        if (!bare)
        {
            return false;
        }
        int i = JsonBytes.skipWhitespace(src, typeEnd, limit);
        long value = -1;
        if (kind == CONTENT_BLOCK_STOP)
        {
            if (i >= limit || src[i] != ',')
            {
                return false;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
            if (!startsWith(src, i, limit, INDEX))
            {
                return false;
            }
            i = JsonBytes.skipWhitespace(src, i + INDEX.length, limit);
            if (i >= limit || src[i] != ':')
            {
                return false;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
            final int digits = JsonBytes.digitsEnd(src, i, limit);
            if (digits == i || digits - i > 18 || (src[i] == '0' && digits - i > 1))
            {
                return false;
            }
            value = 0;
            for (int k = i; k < digits; k++)
            {
                value = value * 10 + (src[k] - '0');
            }
            i = JsonBytes.skipWhitespace(src, digits, limit);
        }
        if (i >= limit || src[i] != '}' || JsonBytes.skipWhitespace(src, i + 1, limit) != limit)
        {
            return false;
        }
        index = value;
        if (kind == CONTENT_BLOCK_STOP)
        {
            blocks.stopBlock(value);
        }
        scanned++;
        return true;
    }

    /** @return the index of the block event last folded. */
    long index()
    {
        return index;
    }

    /** @return events folded from a byte scan so far (for tests). */
    long scanned()
    {
        return scanned;
    }

    /**
     * The kind of a block event or ping, from the payload's opening bytes (its type, first): any other event, or a type
     * that is not the first field, goes straight to the token reader, without a scan it would repeat. Where the type's
     * value ends is kept in {@link #typeEnd}.
     *
     * @return the kind, or {@link AnthropicEvents#KIND_NONE}.
     */
    private int kindOf(final byte[] src, final int from, final int limit)
    {
        int i = JsonBytes.skipWhitespace(src, from, limit);
        if (i >= limit || src[i] != '{')
        {
            return KIND_NONE;
        }
        i = JsonBytes.skipWhitespace(src, i + 1, limit);
        if (!startsWith(src, i, limit, TYPE))
        {
            return KIND_NONE;
        }
        i = JsonBytes.skipWhitespace(src, i + TYPE.length, limit);
        if (i >= limit || src[i] != ':')
        {
            return KIND_NONE;
        }
        i = JsonBytes.skipWhitespace(src, i + 1, limit);
        for (int k = 0; k < TYPES.length; k++)
        {
            if (startsWith(src, i, limit, TYPES[k]))
            {
                typeEnd = i + TYPES[k].length;
                return KINDS[k];
            }
        }
        return KIND_NONE;
    }

    private static boolean startsWith(final byte[] src, final int at, final int limit, final byte[] prefix)
    {
        return limit - at >= prefix.length && Arrays.equals(src, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
