package io.streamfold.aggregator.model;

/**
 * One part of a choice's message, in the order the stream produced it: a run of text, of reasoning,
 * a refusal, a tool call, or a block kept whole. Every dialect folds into these same parts; each
 * provider's output writer maps them back to its own shape.
 */
public interface Part
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

    /** @return what this part holds. */
    Kind kind();

    /** @return the provider's index for this part (tool-call index, block index), or -1 when it gave none. */
    long wireIndex();

    /** @return position among the choice's parts of the same kind family, in arrival order from 0. */
    int ordinal();

    /** @return true once the provider closed this part (or the stream ended). */
    boolean isEnded();

    /**
     * @return true when the part ended whole: not cut by a limit, not left open by a stream that ended early, and
     * for a tool call, arguments that are one complete JSON value (blank arguments count as complete: providers
     * send none for a tool without parameters; free-text arguments, a Responses custom tool's input, are not
     * parsed). An incomplete tool call keeps its raw text in {@link #text()}.
     */
    boolean isComplete();

    /**
     * @return true for a tool call the provider runs itself within the same response (Anthropic's {@code server_tool_use}
     * and {@code mcp_tool_use} blocks, a Bedrock {@code toolUse} of type {@code server_tool_use}, the Responses API's
     * hosted tool items: web search, file search, code interpreter, image generation, MCP call, a server-side tool
     * search; a Gemini function call answered in the model's own turn, as a remote MCP server's tool is): its result
     * comes from the provider and the client answers nothing. False for a call the client must
     * run, and for any other part.
     */
    boolean serverExecuted();

    /**
     * @return true for a tool call whose arguments are free text rather than one JSON value, never parsed as one: a
     * Responses custom tool's input, the code of a code execution call (the Responses code interpreter's, Gemini's
     * {@code executableCode}). False for JSON arguments and for any other part.
     */
    boolean freeformArguments();

    /** @return why the part is not complete, or null when it is ({@code "not ended yet"} while it streams). */
    String incompleteReason();

    /** @return the provider's own type name for the part ({@code function}, {@code tool_use}, {@code thinking}...). */
    TextBuffer type();

    /** @return the tool-call id (or block id), possibly empty. */
    TextBuffer id();

    /** @return the tool / function name, possibly empty. */
    TextBuffer name();

    /** @return the text, reasoning, refusal or tool-call arguments (JSON text, exactly as streamed). */
    TextBuffer text();

    /** @return the reasoning signature (Anthropic {@code signature}, Gemini {@code thoughtSignature}), possibly empty. */
    TextBuffer signature();

    /** @return other fields of the part, kept raw (citations, caller, a whole server tool result block). */
    RawFields extra();

    /** @return annotations / citations streamed for this part, in order. */
    RawList annotations();

    /**
     * @return fields that arrived in delta types the dialect does not interpret (Anthropic's {@code compaction_delta},
     * a new Bedrock delta member, a Responses {@code response.*.delta} event), folded by the rule of
     * {@link DeltaFields}, objects field by field; a string's value from the block's start comes first. Empty for
     * most parts. The provider JSON writes them over {@link #extra()}.
     */
    DeltaFields deltas();
}
