package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;

/**
 * Output items other than {@code function_call} that are tool calls, one row per item type. The client executes
 * some and answers each with a {@code *_output} item, as it answers a function call: a custom tool, local shell,
 * shell, apply patch, computer. An MCP approval request is the client's too: the server will not run that MCP tool
 * until the client answers the request (an {@code mcp_approval_response} naming the item's {@code id}), so the
 * response ends waiting on the client, as after a function call. The server runs the hosted ones itself (web search, file search, code interpreter,
 * image generation, MCP): they are tool calls too, marked server-executed, as Anthropic's server tool blocks are,
 * so a gateway sees and bills every call while the client acts on its own only. A tool search runs where its item's
 * {@code execution} says.
 *
 * <p>Each row says how the item shows as a call: its name (the item's own {@code name} for a custom tool and an MCP
 * call, else the tool type the request declares), its id ({@code call_id}, else the item's {@code id}: hosted calls
 * have no other), and where its arguments come from: a string field streamed by {@code response.<type>_<field>.delta}
 * events (a custom tool's free-text {@code input}, the code interpreter's {@code code}, an MCP call's JSON
 * {@code arguments}), or an object (an action, operation, query list) taken as its JSON text from the item read whole
 * and final, since the item added first holds a placeholder.
 */
final class CallItems
{
    private static final int CLIENT = 0;
    private static final int SERVER = 1;
    /** Where {@code execution} says: {@code "server"} or else the client. */
    private static final int BY_EXECUTION = 2;

    private static final String[] TYPES = {
        "custom_tool_call", "local_shell_call", "shell_call", "apply_patch_call", "computer_call", "tool_search_call",
        "web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call", "mcp_call",
        "mcp_approval_request"};
    /** The tool names; null: the item's {@code name}. */
    private static final String[] NAMES = {
        null, "local_shell", "shell", "apply_patch", "computer", "tool_search",
        "web_search", "file_search", "code_interpreter", "image_generation", null, null};
    /** The argument fields, in order of preference (a computer call has one action or a list); none for an image. */
    private static final String[][] ARGUMENTS = {
        {"input"}, {"action"}, {"action"}, {"operation"}, {"action", "actions"}, {"arguments"},
        {"action"}, {"queries"}, {"code"}, {}, {"arguments"}, {"arguments"}};
    private static final int[] RUN_BY = {
        CLIENT, CLIENT, CLIENT, CLIENT, CLIENT, BY_EXECUTION,
        SERVER, SERVER, SERVER, SERVER, SERVER, CLIENT};
    /** Rows whose arguments are a string streamed into their field; the rest are objects of the final item. */
    private static final boolean[] STREAMED = {
        true, false, false, false, false, false,
        false, false, true, false, true, true};
    /** Client rows that go by their item's {@code id}, having no {@code call_id}: the approval request, answered by it. */
    private static final boolean[] ITEM_ID = {
        false, false, false, false, false, false,
        false, false, false, false, false, true};
    /** Rows whose streamed string is no JSON value (free text, code): never parsed as one. */
    private static final boolean[] FREE_TEXT = {
        true, false, false, false, false, false,
        false, false, true, false, false, false};

    private CallItems()
    {
    }

    /** @return the row of item type {@code type}, or -1 when items of that type are no tool calls. */
    static int of(final CharSequence type)
    {
        for (int i = 0; i < TYPES.length; i++)
        {
            if (ResponsesEvents.contentEquals(type, TYPES[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /** @return the tool name of row {@code row}, or null when the item's {@code name} is. */
    static String name(final int row)
    {
        return NAMES[row];
    }

    /** @return the string field the arguments of row {@code row} stream into, or null when they are an object. */
    static String streamedField(final int row)
    {
        return STREAMED[row] ? ARGUMENTS[row][0] : null;
    }

    /** @return true when the arguments of row {@code row} are free text, not one JSON value. */
    static boolean freeText(final int row)
    {
        return FREE_TEXT[row];
    }

    /** @return the object arguments of row {@code row} in {@code item}: its first argument field that holds one, or null. */
    static MutableRawJson objectArguments(final int row, final MutableRawFields item)
    {
        if (STREAMED[row])
        {
            return null;
        }
        for (final String field : ARGUMENTS[row])
        {
            final MutableRawJson value = item.get(field);
            if (value != null && value.type() == MutableRawJson.Type.STRUCTURED)
            {
                return value;
            }
        }
        return null;
    }

    /**
     * @return whether the call of row {@code row}, whose item holds {@code item}, goes by its item's {@code id}: a
     *         hosted call has no {@code call_id}, and an MCP approval request is answered by its item's id.
     */
    static boolean idIsItemId(final int row, final MutableRawFields item)
    {
        return serverExecuted(row, item) || ITEM_ID[row];
    }

    /** @return whether the server runs the call of row {@code row}, whose item holds {@code item}. */
    static boolean serverExecuted(final int row, final MutableRawFields item)
    {
        if (RUN_BY[row] != BY_EXECUTION)
        {
            return RUN_BY[row] == SERVER;
        }
        final MutableRawJson execution = item.get("execution");
        return execution != null && execution.type() == MutableRawJson.Type.STRING &&
            ResponsesEvents.contentEquals(execution.text(), "server");
    }
}
