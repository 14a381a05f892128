package io.streamfold.aggregator.internal.dialect;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.parser.internal.Bom;

/**
 * {@link FormatDetector} fed as bytes arrive: remembers how far it has scanned, so that detection costs
 * linear time however finely the stream is sliced, and decides from the first SSE event that says
 * something. Keepalives (Anthropic's {@code event: ping}, a {@code keepalive} event or type, comments, a
 * {@code [DONE]}) and events whose JSON carries no marker are passed over rather than taken as OpenAI chat.
 * Markers are read from the event name and from the top level of the JSON only (its {@code type} and
 * {@code object} values and its keys), so a model name or text that happens to contain another provider's
 * marker decides nothing. The markers themselves live in each provider's package ({@link FormatHints}),
 * listed in {@link Dialects}; this class knows only SSE and keepalives. The decision depends only on the bytes, never on how they were sliced.
 */
public final class FormatSniffer
{
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    /** Event names and {@code type}/{@code object} values seen lately: the same few recur stream after stream. */
    private final RecentStrings strings = new RecentStrings();
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** An event's data lines joined, when it has more than one. */
    private byte[] dataLines = new byte[0];
    private int dataLength;
    private boolean[] objectNamed = new boolean[0];
    private boolean[] keyed = new boolean[0];

    /** Where the content starts (after a BOM and leading whitespace); -1 while not known. */
    private int start = -1;
    /** The next byte to scan. */
    private int pos;
    private int lineStart;
    private int eventStart = -1;
    /** Bytes looked at so far, for the test that detection is linear. */
    private long examined;

    /** Forgets everything: a new stream. */
    public void reset()
    {
        start = -1;
        pos = 0;
        lineStart = 0;
        eventStart = -1;
        examined = 0;
    }

    /** @return bytes looked at since construction or {@link #reset()}: at most a small multiple of those offered. */
    public long examined()
    {
        return examined;
    }

    /**
     * @param bytes  the stream's first bytes, the same ones as before plus any new.
     * @param length how many.
     * @param ended  true when no more bytes will come.
     * @return the format, or null when more bytes are needed.
     */
    public Format offer(final byte[] bytes, final int length, final boolean ended)
    {
        if (start < 0)
        {
            int i = pos;
            if (i == 0)
            {
                final int bom = bomLength(bytes, length);
                if (bom < 0)
                {
                    return ended ? Format.OPENAI_CHAT : null;
                }
                i = bom;
            }
            while (i < length && JsonBytes.isWhitespace(bytes[i]))
            {
                i++;
            }
            pos = i;
            if (i >= length)
            {
                // Only whitespace so far: waiting for more would hold an endless blank stream in memory.
                return ended || length >= FormatDetector.MAX_SNIFF_BYTES ? Format.OPENAI_CHAT : null;
            }
            final byte first = bytes[i];
            for (final FormatHints hints : Dialects.hints())
            {
                if (hints.startsWith(first, i == 0))
                {
                    // A framing of its own (eventstream, JSON array, NDJSON), not SSE; its first frame may name the
                    // events it carries (null: not there yet, asked again with more bytes).
                    // Only the sniff window is offered, whatever has arrived: the decision never depends on slicing.
                    return hints.framedFormat(bytes, i, Math.min(length, FormatDetector.MAX_SNIFF_BYTES),
                        ended || length >= FormatDetector.MAX_SNIFF_BYTES);
                }
            }
            start = i;
            lineStart = i;
        }
        final int limit = Math.min(length, FormatDetector.MAX_SNIFF_BYTES);
        while (pos < limit)
        {
            examined++;
            final byte b = bytes[pos];
            if (b != '\n' && b != '\r')
            {
                if (eventStart < 0)
                {
                    eventStart = lineStart;
                }
                pos++;
                continue;
            }
            int next = pos + 1;
            if (b == '\r')
            {
                if (next >= limit && !ended && length < FormatDetector.MAX_SNIFF_BYTES)
                {
                    // A CR as the last byte may be the first half of CRLF: wait, so slicing cannot matter.
                    return null;
                }
                if (next < limit && bytes[next] == '\n')
                {
                    next++;
                }
            }
            final boolean blank = pos == lineStart;
            pos = next;
            lineStart = next;
            if (blank && eventStart >= 0)
            {
                examined += next - eventStart;
                final Format f = classify(bytes, eventStart, next);
                eventStart = -1;
                if (f != null)
                {
                    return f;
                }
            }
        }
        if (ended || length >= FormatDetector.MAX_SNIFF_BYTES)
        {
            final Format f = eventStart >= 0 ? classify(bytes, eventStart, limit) : null;
            return f == null ? Format.OPENAI_CHAT : f;
        }
        return null;
    }

    /** @return the BOM's length (0 or 3), or -1 when the bytes so far could still be the start of one. */
    private static int bomLength(final byte[] bytes, final int length)
    {
        for (int i = 0; i < Bom.LENGTH; i++)
        {
            if (i >= length)
            {
                return -1;
            }
            if (!Bom.isByteAt(bytes[i], i))
            {
                return 0;
            }
        }
        return Bom.LENGTH;
    }

    /** @return the format one SSE event (its lines in {@code [from, to)}) names, or null when it names none. */
    private Format classify(final byte[] bytes, final int from, final int to)
    {
        String eventName = null;
        // The event's data: one line is read where it lies; only a second line copies them into dataLines.
        byte[] data = bytes;
        int dataFrom = -1;
        int dataTo = -1;
        int i = from;
        while (i < to)
        {
            int end = i;
            while (end < to && bytes[end] != '\n' && bytes[end] != '\r')
            {
                end++;
            }
            final int colon = indexOf(bytes, i, end, (byte)':');
            final int nameEnd = colon < 0 ? end : colon;
            int valueStart = colon < 0 ? end : colon + 1;
            if (valueStart < end && bytes[valueStart] == ' ')
            {
                valueStart++;
            }
            if (nameEnd - i == 5 && startsWith(bytes, i, "event"))
            {
                eventName = strings.decode(bytes, valueStart, end - valueStart);
            }
            else if (nameEnd - i == 4 && startsWith(bytes, i, "data"))
            {
                if (dataFrom < 0)
                {
                    dataFrom = valueStart;
                    dataTo = end;
                }
                else
                {
                    if (data == bytes)
                    {
                        dataLength = 0;
                        appendData(bytes, dataFrom, dataTo - dataFrom);
                        data = dataLines;
                        dataFrom = 0;
                    }
                    appendData(NEWLINE, 0, 1);
                    appendData(bytes, valueStart, end - valueStart);
                    data = dataLines;
                    dataTo = dataLength;
                }
            }
            i = end;
            while (i < to && (bytes[i] == '\n' || bytes[i] == '\r'))
            {
                i++;
            }
        }
        if (eventName != null)
        {
            final Format named = byType(eventName);
            if (named != null || isKeepalive(eventName))
            {
                return named;
            }
        }
        return dataFrom >= 0 ? classifyJson(data, dataFrom, dataTo) : null;
    }

    private void appendData(final byte[] bytes, final int from, final int length)
    {
        if (dataLength + length > dataLines.length)
        {
            dataLines = java.util.Arrays.copyOf(dataLines, Math.max(dataLength + length, Math.max(64, dataLines.length * 2)));
        }
        System.arraycopy(bytes, from, dataLines, dataLength, length);
        dataLength += length;
    }

    /** Reads the top level of one event's JSON: its {@code type} and {@code object} values and its keys. */
    private Format classifyJson(final byte[] json, final int from, final int to)
    {
        final FormatHints[] all = Dialects.hints();
        if (objectNamed.length != all.length)
        {
            objectNamed = new boolean[all.length];
            keyed = new boolean[all.length];
        }
        // Per provider, in registry order: whether the event's object or keys carried its marker.
        java.util.Arrays.fill(objectNamed, false);
        java.util.Arrays.fill(keyed, false);
        String type = null;
        boolean clean = false;
        try
        {
            final JsonParser p = parser(json, from, to);
            if (p.nextToken() == JsonToken.START_OBJECT)
            {
                JsonToken token;
                while ((token = p.nextToken()) == JsonToken.FIELD_NAME)
                {
                    final String name = p.currentName();
                    final JsonToken value = p.nextToken();
                    if ("type".equals(name) && value == JsonToken.VALUE_STRING)
                    {
                        type = strings.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    }
                    else if ("object".equals(name) && value == JsonToken.VALUE_STRING)
                    {
                        final String object = strings.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        for (int h = 0; h < all.length; h++)
                        {
                            objectNamed[h] = all[h].namesObject(object);
                        }
                    }
                    else if (value != JsonToken.NOT_AVAILABLE)
                    {
                        for (int h = 0; h < all.length; h++)
                        {
                            keyed[h] |= all[h].hasKey(name);
                        }
                    }
                    if (value == JsonToken.NOT_AVAILABLE || !skip(p, value))
                    {
                        break;
                    }
                }
                // Reusable only between root values with nothing left unread, as a fresh parser would be.
                clean = token == JsonToken.END_OBJECT && feeder.needMoreInput();
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // Not JSON, or cut by the sniff window: what was read before the failure still counts.
        }
        if (!clean)
        {
            dropParser();
        }
        if (type != null)
        {
            final Format typed = byType(type);
            if (typed != null || isKeepalive(type))
            {
                return typed;
            }
        }
        for (int h = 0; h < all.length; h++)
        {
            if (objectNamed[h] || keyed[h])
            {
                return all[h].format();
            }
        }
        return null;
    }

    /**
     * One non-blocking parser reads every event this sniffer looks at, and the next stream's when the
     * aggregator is pooled: it keeps the field names it learned, so detecting a stream builds no parser.
     */
    private JsonParser parser(final byte[] json, final int from, final int to) throws IOException
    {
        if (parser == null)
        {
            parser = JSON.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
        }
        feeder.feedInput(json, from, to);
        return parser;
    }

    private void dropParser()
    {
        if (parser != null)
        {
            try
            {
                parser.close();
            }
            catch (final IOException e)
            {
                // Nothing to release: the parser reads from arrays it does not own.
            }
            parser = null;
            feeder = null;
        }
    }

    /** Moves past a value just read. @return false when the input ended inside it. */
    private static boolean skip(final JsonParser p, final JsonToken value) throws IOException
    {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY)
        {
            return true;
        }
        int depth = 1;
        while (depth > 0)
        {
            final JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.NOT_AVAILABLE)
            {
                return false;
            }
            if (t.isStructStart())
            {
                depth++;
            }
            else if (t.isStructEnd())
            {
                depth--;
            }
        }
        return true;
    }

    /** @return the format an event name or JSON {@code type} names (Responses, Anthropic), or null; a keepalive names none. */
    private static Format byType(final String type)
    {
        if (isKeepalive(type))
        {
            return null;
        }
        for (final FormatHints hints : Dialects.hints())
        {
            if (hints.namesEvent(type))
            {
                return hints.format();
            }
        }
        return null;
    }

    private static boolean isKeepalive(final String name)
    {
        return "ping".equals(name) || name.contains("keepalive") || name.contains("keep-alive") || name.contains("heartbeat");
    }

    private static int indexOf(final byte[] bytes, final int from, final int to, final byte b)
    {
        for (int i = from; i < to; i++)
        {
            if (bytes[i] == b)
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(final byte[] bytes, final int at, final String ascii)
    {
        for (int i = 0; i < ascii.length(); i++)
        {
            if (bytes[at + i] != ascii.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
