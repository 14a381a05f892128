package io.streamfold.aggregator.internal.dialect.openai.responses;

/**
 * Output items other than {@code function_call} that the client executes and answers with a {@code *_output} item,
 * as it answers a function call: they are tool calls. Hosted tools (web search, file search, code interpreter, image
 * generation, MCP) run on the server and are not. Each row says how the call shows as a tool call: its name (the
 * item's own {@code name} for a custom tool, else the tool type the request declares), and the field its arguments
 * come from: a custom tool's free-text {@code input}, streamed by {@code response.custom_tool_call_input.delta}, or
 * the action / operation object, taken as its JSON text from the item read whole and final.
 */
final class ClientCalls
{
    /** The item types, the tool names (null: the item's {@code name}), the argument fields. */
    private static final String[] TYPES = {"custom_tool_call", "local_shell_call", "shell_call", "apply_patch_call"};
    private static final String[] NAMES = {null, "local_shell", "shell", "apply_patch"};
    private static final String[] ARGUMENTS = {"input", "action", "action", "operation"};
    /** The one row whose arguments are free text, streamed into its field. */
    private static final int FREE_TEXT = 0;

    private ClientCalls()
    {
    }

    /** @return the row of item type {@code type}, or -1 when items of that type are no client calls. */
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

    /** @return the item field the arguments of row {@code row} come from. */
    static String argumentsField(final int row)
    {
        return ARGUMENTS[row];
    }

    /** @return true when the arguments of row {@code row} are free text, streamed into their field; false for an object. */
    static boolean freeText(final int row)
    {
        return row == FREE_TEXT;
    }
}
