package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the rich-printed Python reprs that openai-python's tests state as expected results: constructor
 * calls {@code Name(field=value, ...)}, lists, dicts, tuples, single or double quoted strings with
 * escapes, adjacent string literals (joined), None / True / False, ints and floats.
 *
 * <p>The printer (rich) soft-wraps long strings at 120 columns: a raw line break inside a quoted string
 * is a printing artifact (a real newline is always printed as the escape {@code \n}), so it is dropped.
 * Rich also trims the whitespace that would pass column 120 at such a break, so an unknown number of
 * spaces may be missing there when the printed line is full width: such a string is read as a
 * {@link Wrapped}, whose pattern allows extra spaces at exactly those breaks and nowhere else.
 *
 * <p>Values: {@link Obj}, {@code List<Object>}, {@code Map<Object, Object>}, {@code String}, {@code Long}
 * or {@code BigInteger}, {@code Double}, {@code Boolean}, and {@code null} for None.
 */
public final class PyRepr
{
    /** A constructor call: class name and its keyword arguments in printed order. */
    public record Obj(String name, Map<String, Object> fields)
    {
        public Object get(final String field)
        {
            if (!fields.containsKey(field))
            {
                throw new IllegalArgumentException(name + " has no field " + field + ": " + fields.keySet());
            }
            return fields.get(field);
        }
    }

    /** Rich's console width in the source's snapshots. */
    private static final int PRINT_WIDTH = 120;

    /** A string whose printed form was wrapped where trailing spaces may have been trimmed. */
    public record Wrapped(String text, java.util.regex.Pattern pattern)
    {
        public boolean matches(final Object actual)
        {
            return actual instanceof String && pattern.matcher((String)actual).matches();
        }
    }

    private final String text;
    private int pos;
    private final StringBuilder regex = new StringBuilder();
    private boolean trimmedBreak;

    private PyRepr(final String text)
    {
        this.text = text;
    }

    public static Object parse(final String text)
    {
        final PyRepr p = new PyRepr(text);
        final Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length())
        {
            throw p.fail("trailing text");
        }
        return value;
    }

    private Object value()
    {
        skipSpace();
        if (pos >= text.length())
        {
            throw fail("value expected");
        }
        final char c = text.charAt(pos);
        if (c == '\'' || c == '"')
        {
            final StringBuilder sb = new StringBuilder();
            regex.setLength(0);
            trimmedBreak = false;
            literalStart = 0;
            do
            {
                string(sb);
                skipSpace();
            }
            while (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"'));
            flushLiteral(sb);
            return trimmedBreak ? new Wrapped(sb.toString(), java.util.regex.Pattern.compile(regex.toString())) : sb.toString();
        }
        if (c == '[')
        {
            pos++;
            return sequence(']');
        }
        if (c == '(')
        {
            pos++;
            return sequence(')');
        }
        if (c == '{')
        {
            pos++;
            return dict();
        }
        if (c == '-' || c == '+' || Character.isDigit(c))
        {
            return number();
        }
        if (Character.isLetter(c) || c == '_')
        {
            final String name = identifier();
            switch (name)
            {
                case "None":
                    return null;
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                default:
                    skipSpace();
                    expect('(');
                    return call(name);
            }
        }
        throw fail("unexpected '" + c + "'");
    }

    private Obj call(final String name)
    {
        final Map<String, Object> fields = new LinkedHashMap<>();
        skipSpace();
        while (peek() != ')')
        {
            final String field = identifier();
            skipSpace();
            expect('=');
            if (fields.put(field, value()) != null)
            {
                throw fail("field " + field + " twice");
            }
            if (!separator(')'))
            {
                break;
            }
        }
        expect(')');
        return new Obj(name, fields);
    }

    private List<Object> sequence(final char close)
    {
        final List<Object> list = new ArrayList<>();
        skipSpace();
        while (peek() != close)
        {
            list.add(value());
            if (!separator(close))
            {
                break;
            }
        }
        expect(close);
        return list;
    }

    private Map<Object, Object> dict()
    {
        final Map<Object, Object> map = new LinkedHashMap<>();
        skipSpace();
        while (peek() != '}')
        {
            final Object key = value();
            skipSpace();
            expect(':');
            map.put(key, value());
            if (!separator('}'))
            {
                break;
            }
        }
        expect('}');
        return map;
    }

    /** After an element: true when a comma was eaten and more may follow. */
    private boolean separator(final char close)
    {
        skipSpace();
        if (peek() == ',')
        {
            pos++;
            skipSpace();
            return true;
        }
        if (peek() != close)
        {
            throw fail("',' or '" + close + "' expected");
        }
        return false;
    }

    private void string(final StringBuilder sb)
    {
        final char quote = text.charAt(pos++);
        while (true)
        {
            if (pos >= text.length())
            {
                throw fail("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == quote)
            {
                return;
            }
            if (c == '\n' || c == '\r')
            {
                // Soft wrap by the printer: spaces past the width were trimmed when the line is full.
                final int column = pos - 1 - (text.lastIndexOf('\n', pos - 2) + 1);
                if (c == '\n' && column >= PRINT_WIDTH - 1)
                {
                    flushLiteral(sb);
                    regex.append(" *");
                    trimmedBreak = true;
                }
                continue;
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = text.charAt(pos++);
            switch (e)
            {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\', '\'', '"' -> sb.append(e);
                case 'x' -> sb.appendCodePoint(hex(2));
                case 'u' -> sb.appendCodePoint(hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                default -> throw fail("unknown escape \\" + e);
            }
        }
    }

    private int literalStart;

    /** Adds the characters of {@code sb} not yet in the pattern, quoted, to the pattern. */
    private void flushLiteral(final StringBuilder sb)
    {
        if (sb.length() > literalStart)
        {
            regex.append(java.util.regex.Pattern.quote(sb.substring(literalStart)));
        }
        literalStart = sb.length();
    }

    private int hex(final int digits)
    {
        final int v = Integer.parseInt(text.substring(pos, pos + digits), 16);
        pos += digits;
        return v;
    }

    private Object number()
    {
        final int start = pos;
        if (peek() == '-' || peek() == '+')
        {
            pos++;
        }
        boolean real = false;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (Character.isDigit(c) || c == '_')
            {
                pos++;
            }
            else if (c == '.' || c == 'e' || c == 'E' ||
                ((c == '-' || c == '+') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))
            {
                real = true;
                pos++;
            }
            else
            {
                break;
            }
        }
        final String digits = text.substring(start, pos).replace("_", "");
        if (real)
        {
            return Double.parseDouble(digits);
        }
        final BigInteger big = new BigInteger(digits);
        return big.bitLength() < 64 ? (Object)big.longValue() : big;
    }

    private String identifier()
    {
        final int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' ||
            text.charAt(pos) == '.'))
        {
            pos++;
        }
        if (start == pos)
        {
            throw fail("name expected");
        }
        return text.substring(start, pos);
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(final char c)
    {
        skipSpace();
        if (peek() != c)
        {
            throw fail("'" + c + "' expected");
        }
        pos++;
    }

    private void skipSpace()
    {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos)))
        {
            pos++;
        }
    }

    private IllegalArgumentException fail(final String message)
    {
        final int from = Math.max(0, pos - 40);
        return new IllegalArgumentException(message + " at " + pos + " near: " +
            text.substring(from, Math.min(text.length(), pos + 40)));
    }
}
