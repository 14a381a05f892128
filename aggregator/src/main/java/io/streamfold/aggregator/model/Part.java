package io.streamfold.aggregator.model;

/**
 * One part of a choice's message, in the order the stream produced it: a run of text, of reasoning,
 * a refusal, a tool call, or a block kept whole. Every dialect folds into these same parts; each
 * provider's output writer maps them back to its own shape.
 */
public final class Part
{
    /** What a part holds. */
    public enum Kind
    {
        /** Visible text ({@link #text()}). */
        TEXT,
        /** Reasoning / thinking text ({@link #text()}), with an optional {@link #signature()}. */
        REASONING,
        /** Refusal text ({@link #text()}). */
        REFUSAL,
        /** A tool or function call: {@link #id()}, {@link #name()}, arguments in {@link #text()}. */
        TOOL_CALL,
        /** A block kept whole as raw JSON in {@link #extra()} (server tool results, redacted thinking, images). */
        OTHER
    }

    private Kind kind = Kind.TEXT;
    private long wireIndex = -1;
    private int ordinal;
    private boolean ended;
    private boolean truncated;
    private final TextBuffer type = new TextBuffer();
    private final TextBuffer id = new TextBuffer();
    private final TextBuffer name = new TextBuffer();
    private final TextBuffer text = new TextBuffer();
    private final TextBuffer signature = new TextBuffer();
    private final RawFields extra = new RawFields();
    private final RawList annotations = new RawList();

    public Part()
    {
    }

    public void init(final Kind kind, final long wireIndex, final int ordinal)
    {
        this.kind = kind;
        this.wireIndex = wireIndex;
        this.ordinal = ordinal;
        ended = false;
        truncated = false;
        type.clear();
        id.clear();
        name.clear();
        text.clear();
        signature.clear();
        extra.clear();
        annotations.clear();
    }

    public void kind(final Kind kind)
    {
        this.kind = kind;
    }

    public void end()
    {
        ended = true;
    }

    /** @return true once {@link #text()} hit its limit: it holds a prefix and later fragments are dropped. */
    public boolean isTruncated()
    {
        return truncated;
    }

    public void truncated()
    {
        truncated = true;
    }

    /** @return what this part holds. */
    public Kind kind()
    {
        return kind;
    }

    /** @return the provider's index for this part (tool-call index, block index), or -1 when it gave none. */
    public long wireIndex()
    {
        return wireIndex;
    }

    /** @return position among the choice's parts of the same kind family, in arrival order from 0. */
    public int ordinal()
    {
        return ordinal;
    }

    /** @return true once the provider closed this part (or the stream ended). */
    public boolean isEnded()
    {
        return ended;
    }

    /** @return the provider's own type name for the part ({@code function}, {@code tool_use}, {@code thinking}...). */
    public TextBuffer type()
    {
        return type;
    }

    /** @return the tool-call id (or block id), possibly empty. */
    public TextBuffer id()
    {
        return id;
    }

    /** @return the tool / function name, possibly empty. */
    public TextBuffer name()
    {
        return name;
    }

    /** @return the text, reasoning, refusal or tool-call arguments (JSON text, exactly as streamed). */
    public TextBuffer text()
    {
        return text;
    }

    /** @return the reasoning signature (Anthropic {@code signature}, Gemini {@code thoughtSignature}), possibly empty. */
    public TextBuffer signature()
    {
        return signature;
    }

    /** @return other fields of the part, kept raw (citations, caller, a whole server tool result block). */
    public RawFields extra()
    {
        return extra;
    }

    /** @return annotations / citations streamed for this part, in order. */
    public RawList annotations()
    {
        return annotations;
    }

    public void copyFrom(final Part other)
    {
        init(other.kind, other.wireIndex, other.ordinal);
        ended = other.ended;
        truncated = other.truncated;
        copy(type, other.type);
        copy(id, other.id);
        copy(name, other.name);
        copy(text, other.text);
        copy(signature, other.signature);
        extra.copyFrom(other.extra);
        if (other.annotations.isPresent())
        {
            annotations.markPresent();
            if (other.annotations.count() > 0)
            {
                final byte[] json = other.annotations.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                annotations.add(json, 1, json.length - 2, Integer.MAX_VALUE);
            }
        }
    }

    private static void copy(final TextBuffer to, final TextBuffer from)
    {
        to.clear();
        if (from.isPresent())
        {
            to.set(from, Integer.MAX_VALUE);
        }
    }

    @Override
    public String toString()
    {
        return kind + "{index=" + wireIndex + ", id=" + id + ", name=" + name + ", text=" + text + '}';
    }
}
