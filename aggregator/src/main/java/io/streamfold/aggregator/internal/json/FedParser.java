package io.streamfold.aggregator.internal.json;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.base.ParserBase;

/**
 * The one Jackson non-blocking parser a {@link JsonReader} reads a stream's payloads with, fed payload after payload
 * as a sequence of root values (a blocking parser would be a new object per event), and replaced whenever what one
 * payload left could run into the next. It knows what was fed, so token offsets map back to the current payload.
 */
final class FedParser
{
    /** What the parser is fed in place of an object's skipped members ({@link #feedObjectFrom}). */
    private static final byte[] OPEN_OBJECT = {'{'};

    private final JsonFactory factory;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Bytes fed to the current parser before the current payload: Jackson's offsets count from its start. */
    private long fedBefore;
    /** Bytes fed to the current parser in all, the current payload included. */
    private long fedTotal;
    /**
     * Whether the parser holds nothing of a payload: new, or every payload fed to it finished or let go clean. Only
     * the reader's end-of-payload checks can tell: after a root value the non-blocking parser holds back a partial
     * token ({@code {}t}) as it would wait for more input, in the root and asking for input like a clean one, and
     * would read it into the next payload.
     */
    private boolean settled;

    FedParser(final JsonFactory factory)
    {
        this.factory = factory;
        renew();
    }

    /** @return the parser now in use (a new one after {@link #renew}). */
    JsonParser parser()
    {
        return parser;
    }

    /** Feeds one payload, {@code bytes[from, to)}, after replacing the parser unless it is clean. */
    void feed(final byte[] bytes, final int from, final int to) throws IOException
    {
        ready();
        fedBefore = fedTotal;
        fedTotal += to - from;
        feeder.feedInput(bytes, from, to);
    }

    /**
     * Feeds the object payload {@code bytes[offset, offset + length)} without its first {@code skip} bytes (its opening
     * brace and members a caller recognised): the parser sees an opening brace, then the bytes from the first member
     * read, and is left on that brace. A payload byte at k (k >= skip) is its character 1 + k - skip of this payload,
     * which {@link #tokenOffset} maps back to k.
     */
    void feedObjectFrom(final byte[] bytes, final int offset, final int skip, final int length) throws IOException
    {
        ready();
        fedBefore = fedTotal + 1 - skip;
        fedTotal += 1 + length - skip;
        feeder.feedInput(OPEN_OBJECT, 0, 1);
        if (parser.nextToken() != JsonToken.START_OBJECT)
        {
            throw new IllegalStateException("an opening brace did not start an object");
        }
        feeder.feedInput(bytes, offset + skip, offset + length);
    }

    private void ready()
    {
        if (!settled || !atRootWaiting())
        {
            // The previous payload was left unread: never let its remains run into this one.
            renew();
        }
        settled = false;
    }

    /** @return whether the parser is between root values, asking for input (it may still hold a partial token). */
    boolean atRootWaiting()
    {
        return feeder.needMoreInput() && parser.getParsingContext().inRoot();
    }

    /** The current payload was read to its end and nothing follows it: the parser may take the next. */
    void settle()
    {
        settled = true;
    }

    /** @return whether the parser holds nothing of a payload. */
    boolean settled()
    {
        return settled;
    }

    /**
     * Where the current token starts, counted from the start of the current payload (the non-blocking parser
     * may count one past its first byte; callers check both candidates).
     *
     * <p>Why the cast to {@link ParserBase}: Jackson's {@code JsonParser} API gives token offsets only as a
     * {@code JsonLocation} ({@code currentTokenLocation()}), a new object per call, and this is asked for every
     * raw capture, logprob entry and fast-path learn, so in the steady state. {@code getTokenCharacterOffset()}
     * is the same number without the object; it is public on {@code ParserBase}, a class of a package
     * jackson-core exports ({@code com.fasterxml.jackson.core.base}), and every parser this class creates
     * ({@code createNonBlockingByteArrayParser}) extends it. For the non-blocking byte parser the "character"
     * offset counts bytes fed since the parser was created, hence {@link #fedBefore}.
     */
    long tokenOffset()
    {
        return ((ParserBase)parser).getTokenCharacterOffset() - fedBefore;
    }

    /** Replaces the parser: the next payload starts clean. */
    void renew()
    {
        if (parser != null)
        {
            try
            {
                // Closing hands the names this parser learned back to the factory's shared symbol table,
                // so the replacement starts with them instead of canonicalising every field name again.
                parser.close();
            }
            catch (final IOException e)
            {
                // Nothing to release: the parser reads from arrays it does not own.
            }
        }
        try
        {
            parser = factory.createNonBlockingByteArrayParser();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("Jackson cannot create a non-blocking parser", e);
        }
        feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
        fedBefore = 0;
        fedTotal = 0;
        settled = true;
    }
}
