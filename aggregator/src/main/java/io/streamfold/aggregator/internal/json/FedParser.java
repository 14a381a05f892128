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

    // The current payload's long value strings the parser is not fed (elide): it is fed up to each one's opening
    // quote, then, once it asks for more, from its closing quote on, and sees an empty string in its place.
    private byte[] pieceBytes;
    private int payloadStart;
    private int payloadEnd;
    private int[] elided;
    private int elidedCount;
    /** Elided strings whose closing quote has been fed. */
    private int elidedFed;

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

    /**
     * Feeds one payload, {@code bytes[from, to)}, after replacing the parser unless it is clean, without the contents
     * of {@code count} value strings of the payload (none when 0), whose opening and closing quotes are
     * {@code strings[2k]} and {@code strings[2k + 1]} in byte order: the parser reads each as an empty string, and the
     * caller reads it in the bytes. The rest is fed as the parser asks for it ({@link #feedNextPiece}); token offsets
     * stay those of the payload.
     */
    void feed(final byte[] bytes, final int from, final int to, final int[] strings, final int count) throws IOException
    {
        ready();
        fedBefore = fedTotal;
        feedFirstPiece(bytes, from, from, to, strings, count);
    }

    private void feedFirstPiece(final byte[] bytes, final int start, final int from, final int to, final int[] strings,
        final int count) throws IOException
    {
        pieceBytes = bytes;
        payloadStart = start;
        payloadEnd = to;
        elided = strings;
        elidedCount = count;
        elidedFed = 0;
        final int pieceEnd = count > 0 ? strings[0] + 1 : to;
        fedTotal += pieceEnd - from;
        feeder.feedInput(bytes, from, pieceEnd);
    }

    /**
     * Feeds the payload from the closing quote of the next elided string, when the parser has read all it was fed.
     *
     * @return false when the whole payload has been fed.
     */
    boolean feedNextPiece() throws IOException
    {
        if (elidedFed == elidedCount || !feeder.needMoreInput())
        {
            return false;
        }
        final int close = elided[2 * elidedFed + 1];
        elidedFed++;
        final int pieceEnd = elidedFed < elidedCount ? elided[2 * elidedFed] + 1 : payloadEnd;
        fedBefore = fedTotal - (close - payloadStart);
        fedTotal += pieceEnd - close;
        feeder.feedInput(pieceBytes, close, pieceEnd);
        return true;
    }

    /** @return whether part of the payload is still to be fed. */
    boolean piecesLeft()
    {
        return elidedFed < elidedCount;
    }

    /** @return the opening quote of the string {@link #feedNextPiece} last fed the end of. */
    int lastElidedOpen()
    {
        return elided[2 * (elidedFed - 1)];
    }

    /** @return the closing quote of the string {@link #feedNextPiece} last fed the end of. */
    int lastElidedClose()
    {
        return elided[2 * (elidedFed - 1) + 1];
    }

    /**
     * Feeds the object payload {@code bytes[offset, offset + length)} without its first {@code skip} bytes (its opening
     * brace and members a caller recognised): the parser sees an opening brace, then the bytes from the first member
     * read, and is left on that brace. A payload byte at k (k >= skip) is its character 1 + k - skip of this payload,
     * which {@link #tokenOffset} maps back to k.
     */
    void feedObjectFrom(final byte[] bytes, final int offset, final int skip, final int length, final int[] strings,
        final int count) throws IOException
    {
        ready();
        fedBefore = fedTotal + 1 - skip;
        fedTotal += 1;
        feeder.feedInput(OPEN_OBJECT, 0, 1);
        if (parser.nextToken() != JsonToken.START_OBJECT)
        {
            throw new IllegalStateException("an opening brace did not start an object");
        }
        feedFirstPiece(bytes, offset, offset + skip, offset + length, strings, count);
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
        elidedCount = 0;
        elidedFed = 0;
        settled = true;
    }
}
