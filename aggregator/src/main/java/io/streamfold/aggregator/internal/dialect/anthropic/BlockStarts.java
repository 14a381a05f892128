package io.streamfold.aggregator.internal.dialect.anthropic;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * {@code content_block_start}: a content block becomes a part of choice 0 keyed by the block {@code index}. The block
 * is read by its members, located by a byte scan, whichever reader met the event: its type first, then each field
 * knowing it; opaque values (a page of web search results, a server tool's input) are kept as their bytes.
 */
final class BlockStarts
{
    private final AnthropicDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ContentBlocks blocks;
    /** A content block the token reader met, kept to be read by its members. */
    private final MutableRawJson blockRaw = new MutableRawJson();
    /** The members of a content block, located by a byte scan: its fields are read once its type is known. */
    private final JsonMembers blockFields = new JsonMembers();
    private final JsonMembers citations = new JsonMembers();
    private final MutableRawJson scalar = new MutableRawJson();
    private final StringDecoder strings = new StringDecoder(256);
    private final MutableTextBuffer blockType = new MutableTextBuffer();
    private static final char[] TEXT = { 't', 'e', 'x', 't' };
    /** Whether the block start last read was a plain text block, and whether it came with {@code "citations":[]} first. */
    private boolean plainText;
    private boolean cited;

    BlockStarts(final AnthropicDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits, final ContentBlocks blocks)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.blocks = blocks;
    }

    /** A content block the token reader is on: kept whole, then read by its members as the byte scan reads it. */
    void readBlockStart(final JsonReader r, final long index) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            throw new JsonReader.BadPayload("content_block is not an object");
        }
        if (!r.capture(blockRaw))
        {
            blockTooLarge(index);
            return;
        }
        blockFields.readObject(blockRaw.structuredBytes(), 0, blockRaw.structuredLength());
        readBlockStart(blockFields, index);
    }

    /**
     * The content block object whose members {@code m} has located, in bytes already checked (by the event's byte scan
     * or the token reader). A block's meaning depends on its type, which may be any of its fields: it is found first,
     * then each field read knowing it; opaque values (a page of web search results, a server tool's input) are kept as
     * their bytes, never tokenized.
     */
    void readBlockStart(final JsonMembers m, final long index)
    {
        plainText = false;
        cited = false;
        if (m.end() - m.start() > limits.maxRawBytes())
        {
            blockTooLarge(index);
            return;
        }
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        blockType.clear();
        for (int i = 0; i < m.count(); i++)
        {
            if ("type".equals(m.name(i)) && m.isString(i))
            {
                blockType.set(m.stringChars(i, strings), 0, strings.length(), 256);
                break;
            }
        }
        final boolean typeFirst = m.count() > 0 && "type".equals(m.name(0)) && m.isString(0);
        final MutablePart.Kind kind = blockKind(blockType);
        final MutablePart part = aggregate.newPart(choice, kind, index);
        if (part == null)
        {
            return;
        }
        part.type().set(blockType, 256);
        if (kind == MutablePart.Kind.OTHER && typeFirst)
        {
            // Kept whole, field order included.
            part.extra().slot("type", limits.maxRawFields()).setScalar(
                MutableRawJson.Type.STRING, blockType.array(), 0, blockType.length(), limits.maxRawBytes());
        }
        for (int i = 0; i < m.count(); i++)
        {
            readBlockField(choice, part, m.name(i), m, i);
        }
        if (kind == MutablePart.Kind.TOOL_CALL)
        {
            if (Dialect.isServerToolType(blockType))
            {
                part.markServerExecuted();
            }
            aggregate.toolCallStarted(choice, part);
        }
        plainText = kind == MutablePart.Kind.TEXT && m.count() == 2 && "type".equals(m.name(0)) && "text".equals(m.name(1)) &&
            m.isString(1);
        // A cited sentence's block of a web search answer: an empty citations array first (its bytes exactly "[]").
        cited = kind == MutablePart.Kind.TEXT && m.count() == 3 && "citations".equals(m.name(0)) &&
            m.valueEnd(0) - m.valueStart(0) == 2 && m.first(0) == '[' && "type".equals(m.name(1)) && "text".equals(m.name(2)) &&
            m.isString(2);
        plainText |= cited;
    }

    /**
     * @return whether the block start just read was a plain text block, {@code {"type":"text","text":"..."}} (a part
     *         made, nothing else in it), whose effect {@link #startTextBlock} repeats.
     */
    boolean plainText()
    {
        return plainText;
    }

    /**
     * @return whether the plain text block just read was {@code {"citations":[],"type":"text","text":"..."}}: its part is
     *         marked as holding citations before its text is appended.
     */
    boolean cited()
    {
        return cited;
    }

    /** Before an event is read: no block start read yet. */
    void forgetPlainText()
    {
        plainText = false;
        cited = false;
    }

    /**
     * A plain text block at {@code index} with its text, repeated by {@link TextBlockStarts}: what
     * {@link #readBlockStart(JsonMembers, long)} does with such a block within the size limit (the type known first,
     * the part made, its type set, for a {@link #cited()} block its empty citations marked present, the text appended).
     */
    void startTextBlock(final long index, final boolean cited, final char[] text, final int length)
    {
        aggregate.start();
        final MutableChoice choice = aggregate.choiceForIndex(0);
        if (choice == null)
        {
            return;
        }
        blockType.clear();
        blockType.set(TEXT, 0, TEXT.length, 256);
        final MutablePart part = aggregate.newPart(choice, MutablePart.Kind.TEXT, index);
        if (part == null)
        {
            return;
        }
        part.type().set(blockType, 256);
        if (cited)
        {
            part.annotations().markPresent();
        }
        aggregate.appendText(choice, part, text, 0, length);
    }

    private void blockTooLarge(final long index)
    {
        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "content block " + index + " larger than " + limits.maxRawBytes() + " bytes");
    }

    private static MutablePart.Kind blockKind(final MutableTextBuffer type)
    {
        if (type.contentEquals("text"))
        {
            return MutablePart.Kind.TEXT;
        }
        if (type.contentEquals("thinking"))
        {
            return MutablePart.Kind.REASONING;
        }
        // tool_use, server_tool_use, mcp_tool_use: calls whose input streams as JSON fragments.
        final String suffix = "tool_use";
        final int n = type.length();
        if (n < suffix.length())
        {
            return MutablePart.Kind.OTHER;
        }
        for (int i = 0; i < suffix.length(); i++)
        {
            if (type.charAt(n - suffix.length() + i) != suffix.charAt(i))
            {
                return MutablePart.Kind.OTHER;
            }
        }
        return MutablePart.Kind.TOOL_CALL;
    }

    private void readBlockField(final MutableChoice choice, final MutablePart part, final String name, final JsonMembers m, final int i)
    {
        final MutablePart.Kind kind = part.kind();
        if (kind != MutablePart.Kind.OTHER && "type".equals(name))
        {
            // The part's type already (another "type" field, of any JSON type, changes nothing).
            return;
        }
        final boolean string = m.isString(i);
        if (string &&
            ((kind == MutablePart.Kind.TEXT && "text".equals(name)) || (kind == MutablePart.Kind.REASONING && "thinking".equals(name))))
        {
            aggregate.appendText(choice, part, m.stringChars(i, strings), 0, strings.length());
            return;
        }
        if (kind == MutablePart.Kind.TEXT && "citations".equals(name) && m.first(i) == '[')
        {
            part.annotations().markPresent();
            addCitations(part, m.bytes(), m.valueStart(i), m.valueEnd(i));
            return;
        }
        final MutableTextBuffer into = !string ? null : kind == MutablePart.Kind.REASONING && "signature".equals(name) ? part.signature() :
            kind == MutablePart.Kind.TOOL_CALL && "id".equals(name) ? part.id() :
            kind == MutablePart.Kind.TOOL_CALL && "name".equals(name) ? part.name() : null;
        if (into != null)
        {
            into.set(m.stringChars(i, strings), 0, strings.length(), limits.maxTextChars());
            return;
        }
        // Everything else (a tool's initial input, caller, a whole server tool result) is kept as sent.
        dialect.captureKeepingNonEmpty(part.extra(), name, m, i);
    }

    /** Keeps each element of the citations array in {@code src[from, to)} on the part, as sent. */
    private void addCitations(final MutablePart part, final byte[] src, final int from, final int to)
    {
        final JsonMembers list = citations;
        list.readArray(src, from, to);
        for (int k = 0; k < list.count(); k++)
        {
            if (list.isStructure(k))
            {
                final int at = list.valueStart(k);
                blocks.citationKept(part, part.annotations().add(src, at, list.valueEnd(k) - at, limits.maxRawBytes()));
            }
            else
            {
                list.capture(k, scalar, limits.maxRawBytes());
                blocks.citationKept(part, part.annotations().add(scalar, limits.maxRawBytes()));
            }
        }
    }
}
