package io.streamfold.aggregator.internal.dialect.gemini;

import java.util.ArrayList;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * A Vertex function call streamed as {@code partialArgs} (JSON path and value per entry, {@code willContinue}
 * across chunks), assembled into the call's arguments JSON text with the containers it has open.
 */
final class StreamedCall
{
    private final GeminiDialect dialect;
    private final MutableAggregate aggregate;
    private final JsonReader argsReader;
    private final MutableTextBuffer argPath = new MutableTextBuffer();
    private final MutableTextBuffer argValue = new MutableTextBuffer();
    private final MutableTextBuffer out = new MutableTextBuffer();

    private MutablePart openCall;
    private MutableChoice openCallChoice;
    private final ArrayList<String> openKeys = new ArrayList<>();
    private final ArrayList<Boolean> openHasMember = new ArrayList<>();
    private final ArrayList<Boolean> openIsArray = new ArrayList<>();
    private ArrayList<String> openStringPath;

    StreamedCall(final GeminiDialect dialect, final MutableAggregate aggregate)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        argsReader = new JsonReader(aggregate.limits());
    }

    void reset()
    {
        argsReader.abandon();
        openCall = null;
        openCallChoice = null;
        openKeys.clear();
        openHasMember.clear();
        openIsArray.clear();
        openStringPath = null;
    }

    boolean isOpen()
    {
        return openCall != null;
    }

    boolean isOpenIn(final MutableChoice choice)
    {
        return openCall != null && openCallChoice == choice;
    }

    MutablePart call()
    {
        return openCall;
    }

    /** Starts assembling {@code call}, nothing open in its arguments yet. */
    void open(final MutableChoice choice, final MutablePart call)
    {
        openCall = call;
        openCallChoice = choice;
        openKeys.clear();
        openHasMember.clear();
        openIsArray.clear();
        openStringPath = null;
    }

    /** Folds Vertex {@code partialArgs} entries into the open call's arguments JSON text. */
    void partialArgs(final MutableRawJson entries) throws JsonReader.BadPayload
    {
        final MutableChoice choice = openCallChoice;
        final MutablePart call = openCall;
        argsReader.begin(entries);
        while (argsReader.next() == JsonToken.START_OBJECT)
        {
            argPath.clear();
            argValue.clear();
            JsonToken type = null;
            boolean continues = false;
            while (argsReader.next() == JsonToken.FIELD_NAME)
            {
                final String name = argsReader.name();
                final JsonToken v = argsReader.next();
                switch (name)
                {
                    case "jsonPath":
                        dialect.copyText(argsReader, argPath, aggregate.limits().maxTextChars());
                        break;
                    case "stringValue":
                    case "numberValue":
                        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT)
                        {
                            dialect.copyText(argsReader, argValue, aggregate.limits().maxTextChars());
                            type = v;
                        }
                        else
                        {
                            argsReader.skip();
                        }
                        break;
                    case "boolValue":
                        type = v == JsonToken.VALUE_TRUE ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE;
                        argsReader.skip();
                        break;
                    case "nullValue":
                        type = JsonToken.VALUE_NULL;
                        argsReader.skip();
                        break;
                    case "willContinue":
                        continues = v == JsonToken.VALUE_TRUE;
                        break;
                    default:
                        argsReader.skip();
                }
            }
            if (type != null)
            {
                partialArg(choice, call, parsePath(argPath), type, continues);
            }
        }
        argsReader.finish();
    }

    private void partialArg(
        final MutableChoice choice, final MutablePart call, final ArrayList<String> path, final JsonToken type, final boolean continues)
    {
        out.clear();
        if (openStringPath != null && type == JsonToken.VALUE_STRING && openStringPath.equals(path))
        {
            escape(argValue, out);
            if (!continues)
            {
                out.append("\"", Integer.MAX_VALUE);
                openStringPath = null;
            }
            emit(choice, call);
            return;
        }
        if (openStringPath != null)
        {
            out.append("\"", Integer.MAX_VALUE);
            openStringPath = null;
        }
        if (path.isEmpty())
        {
            emit(choice, call);
            return;
        }
        if (openKeys.isEmpty())
        {
            out.append("{", Integer.MAX_VALUE);
            openKeys.add(null);
            openHasMember.add(Boolean.FALSE);
            openIsArray.add(Boolean.FALSE);
        }
        final int n = path.size();
        int keep = 1;
        while (keep < openKeys.size() && keep - 1 < n - 1 && openKeys.get(keep).equals(path.get(keep - 1)))
        {
            keep++;
        }
        while (openKeys.size() > keep)
        {
            closeContainer();
        }
        for (int j = keep - 1; j < n; j++)
        {
            if (openHasMember.get(j))
            {
                out.append(",", Integer.MAX_VALUE);
            }
            openHasMember.set(j, Boolean.TRUE);
            final String component = path.get(j);
            if (component.charAt(0) == 'k')
            {
                escapeQuoted(component, out);
                out.append(":", Integer.MAX_VALUE);
            }
            if (j < n - 1)
            {
                final boolean array = path.get(j + 1).charAt(0) == 'i';
                out.append(array ? "[" : "{", Integer.MAX_VALUE);
                openKeys.add(component);
                openHasMember.add(Boolean.FALSE);
                openIsArray.add(array);
            }
        }
        switch (type)
        {
            case VALUE_STRING:
                out.append("\"", Integer.MAX_VALUE);
                escape(argValue, out);
                if (continues)
                {
                    openStringPath = path;
                }
                else
                {
                    out.append("\"", Integer.MAX_VALUE);
                }
                break;
            case VALUE_TRUE:
                out.append("true", Integer.MAX_VALUE);
                break;
            case VALUE_FALSE:
                out.append("false", Integer.MAX_VALUE);
                break;
            case VALUE_NULL:
                out.append("null", Integer.MAX_VALUE);
                break;
            default:
                out.append(argValue, Integer.MAX_VALUE);
        }
        emit(choice, call);
    }

    private void closeContainer()
    {
        final int last = openKeys.size() - 1;
        out.append(openIsArray.get(last) ? "]" : "}", Integer.MAX_VALUE);
        openKeys.remove(last);
        openHasMember.remove(last);
        openIsArray.remove(last);
    }

    /** Ends the streamed call: closes an open string and every open container. */
    void close()
    {
        final MutablePart call = openCall;
        final MutableChoice choice = openCallChoice;
        openCall = null;
        openCallChoice = null;
        out.clear();
        if (openStringPath != null)
        {
            out.append("\"", Integer.MAX_VALUE);
            openStringPath = null;
        }
        if (openKeys.isEmpty() && call.text().length() == 0)
        {
            out.append("{}", Integer.MAX_VALUE);
        }
        while (!openKeys.isEmpty())
        {
            closeContainer();
        }
        emit(choice, call);
        aggregate.endPart(choice, call);
    }

    private void emit(final MutableChoice choice, final MutablePart call)
    {
        aggregate.appendArguments(choice, call, out.array(), 0, out.length());
    }

    /**
     * Splits a JSON path ({@code $.a.b[0]}, {@code $['a']}) into components: {@code k<name>} for a member,
     * {@code i<index>} for an array element. Allocates: streamed arguments are rare and short.
     */
    private ArrayList<String> parsePath(final CharSequence path)
    {
        final ArrayList<String> components = new ArrayList<>();
        int i = path.length() > 0 && path.charAt(0) == '$' ? 1 : 0;
        while (i < path.length())
        {
            final char c = path.charAt(i);
            if (c == '.')
            {
                int j = i + 1;
                while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[')
                {
                    j++;
                }
                components.add("k" + path.subSequence(i + 1, j));
                i = j;
            }
            else if (c == '[')
            {
                int j = path.toString().indexOf(']', i);
                if (j < 0)
                {
                    j = path.length();
                }
                final String inner = path.subSequence(i + 1, j).toString();
                if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"'))
                {
                    components.add("k" + inner.substring(1, inner.length() - 1));
                }
                else
                {
                    components.add("i" + inner);
                }
                i = j + 1;
            }
            else
            {
                int j = i;
                while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[')
                {
                    j++;
                }
                components.add("k" + path.subSequence(i, j));
                i = j;
            }
        }
        return components;
    }

    private static void escapeQuoted(final String component, final MutableTextBuffer into)
    {
        into.append("\"", Integer.MAX_VALUE);
        escape(component.substring(1), into);
        into.append("\"", Integer.MAX_VALUE);
    }

    private static void escape(final CharSequence s, final MutableTextBuffer into)
    {
        final String quoted = MutableRawJson.quote(s);
        into.append(quoted.subSequence(1, quoted.length() - 1), Integer.MAX_VALUE);
    }
}
