package io.streamfold.aggregator.internal.dialect.gemini;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * A candidate's {@code content}: its role and its parts. Consecutive text parts join into one text part and
 * consecutive {@code thought} parts into one reasoning part; a {@code functionCall} is a tool call, whole or
 * streamed ({@link StreamedCall}); any other part is kept raw. Tells the {@link GeminiFastPath} what it read.
 */
final class ContentParts
{
    private final GeminiDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final GeminiFastPath fastPath;
    /** The Vertex streamed call being assembled. */
    private final StreamedCall streamedCall;

    private final MutableTextBuffer partText = new MutableTextBuffer();
    private final MutableTextBuffer partSignature = new MutableTextBuffer();
    private final MutableRawFields partExtra = new MutableRawFields();
    private final MutableTextBuffer callName = new MutableTextBuffer();
    private final MutableTextBuffer callId = new MutableTextBuffer();
    private final MutableRawJson callArgs = new MutableRawJson();
    private final MutableRawJson callPartialArgs = new MutableRawJson();
    private final MutableTextBuffer out = new MutableTextBuffer();
    // A scanned part's function call: its members, and what readPart(JsonReader, ...) keeps in locals.
    private final JsonMembers call = new JsonMembers();
    /** A functionResponse part's members, and its name and id, to find the call it answers. */
    private final JsonMembers response = new JsonMembers();
    private final MutableTextBuffer responseName = new MutableTextBuffer();
    private final MutableTextBuffer responseId = new MutableTextBuffer();
    private final StringDecoder responseStrings = new StringDecoder(64);
    private final int maxStringBytes;
    private boolean scannedArgs;
    private boolean scannedPartialArgs;
    private boolean scannedContinues;

    ContentParts(
        final GeminiDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits,
        final GeminiFastPath fastPath)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.fastPath = fastPath;
        this.streamedCall = new StreamedCall(dialect, aggregate);
        this.maxStringBytes = EventBytes.scanStringBytes(limits);
    }

    void reset()
    {
        streamedCall.reset();
    }

    /** The choice finishes: a streamed call still open in it ends first. */
    void finishing(final MutableChoice choice)
    {
        if (streamedCall.isOpenIn(choice))
        {
            streamedCall.close();
        }
    }

    void readContent(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("role".equals(name) && value == JsonToken.VALUE_STRING)
            {
                final CharView v = r.text();
                if (v.length() > 0)
                {
                    choice.role().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                }
            }
            else if ("parts".equals(name) && value == JsonToken.START_ARRAY)
            {
                while (r.next() == JsonToken.START_OBJECT)
                {
                    fastPath.part();
                    readPart(r, choice);
                }
                if (r.token() != JsonToken.END_ARRAY)
                {
                    throw new JsonReader.BadPayload("parts must hold objects");
                }
            }
            else
            {
                r.skip();
            }
        }
    }

    /**
     * {@link #readPart(JsonReader, MutableChoice)} over the members of a part a byte scan located in checked bytes (see
     * {@link GeminiScan}): text, thought flags, signatures, function calls and fields kept whole. A value the token
     * reader would report or read otherwise than the bytes say is not this reader's.
     *
     * @param fold false to check only that every member is one this reader reads (nothing changes, {@code choice} may be
     *             null); true to fold the part into {@code choice}.
     * @return false when a member is not (only ever with {@code fold} false).
     */
    boolean readPart(final JsonMembers m, final StringDecoder strings, final MutableChoice choice, final boolean fold)
        throws JsonReader.BadPayload
    {
        boolean hasText = false;
        boolean thought = false;
        boolean hasCall = false;
        scannedArgs = false;
        scannedPartialArgs = false;
        scannedContinues = false;
        if (fold)
        {
            partText.clear();
            partSignature.clear();
            partExtra.clear();
        }
        for (int k = 0; k < m.count(); k++)
        {
            final String name = m.name(k);
            final byte first = m.first(k);
            switch (name)
            {
                case "text":
                    if (first == '"')
                    {
                        if (!keepText(m, k, strings, partText, fold))
                        {
                            return false;
                        }
                        if (fold)
                        {
                            fastPath.text();
                        }
                        hasText = true;
                    }
                    break;
                case "thought":
                    // The token reader takes true as true and any other scalar as false; a structure it would read into.
                    if (first == '{' || first == '[')
                    {
                        return false;
                    }
                    thought = first == 't';
                    if (fold)
                    {
                        fastPath.thought(thought);
                    }
                    break;
                case "thoughtSignature":
                    if (first == '"' && !keepText(m, k, strings, partSignature, fold))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        fastPath.notLearnable();
                    }
                    break;
                case "functionCall":
                    if (fold)
                    {
                        fastPath.notLearnable();
                    }
                    if (first == '{')
                    {
                        if (!readCall(m, k, strings, fold))
                        {
                            return false;
                        }
                        hasCall = true;
                    }
                    break;
                default:
                    if (m.isNegativeZero(k))
                    {
                        return false;
                    }
                    if (fold)
                    {
                        fastPath.notLearnable();
                        dialect.captureKeepingNonEmpty(partExtra, name, m, k);
                    }
            }
        }
        if (fold && hasCall)
        {
            functionCall(choice, scannedArgs, scannedPartialArgs, scannedContinues);
        }
        else if (fold)
        {
            gathered(choice, hasText, thought);
        }
        return true;
    }

    /**
     * A scanned string member kept as {@link io.streamfold.aggregator.internal.dialect.Dialect#copyText} keeps the token
     * reader's: one longer than the text limit, which the token reader reports (and reads the rest of the event on), is
     * left to it.
     *
     * @param fold false to check only; true to keep the text in {@code into}.
     * @return false when it is longer than the limit.
     */
    boolean keepText(final JsonMembers m, final int k, final StringDecoder strings, final MutableTextBuffer into, final boolean fold)
    {
        // The check walk only counts (a string within the limit in bytes is not decoded at all); the fold walk keeps it.
        return fold ? m.textInto(k, into, limits.maxTextChars(), strings) : m.textWithin(k, limits.maxTextChars());
    }

    /**
     * A part's {@code functionCall} object, member {@code k} of {@code part}, gathered as {@link #readPart(JsonReader,
     * MutableChoice)} gathers it: its members located (checked on their own, see {@link GeminiScan}) in {@code call}.
     */
    private boolean readCall(final JsonMembers part, final int k, final StringDecoder strings, final boolean fold)
    {
        if (call.checkObjectAt(part.bytes(), part.valueStart(k), part.end(), limits.maxNestingDepth(), maxStringBytes) < 0)
        {
            return false;
        }
        if (fold)
        {
            callName.clear();
            callId.clear();
        }
        for (int c = 0; c < call.count(); c++)
        {
            final String field = call.name(c);
            final byte first = call.first(c);
            if (("name".equals(field) || "id".equals(field)) && first == '"')
            {
                if (!keepText(call, c, strings, "name".equals(field) ? callName : callId, fold))
                {
                    return false;
                }
            }
            else if ("args".equals(field) && first != 'n')
            {
                if (first != '{' && first != '[' || call.valueEnd(c) - call.valueStart(c) > limits.maxRawBytes())
                {
                    // A scalar is kept by its text, which the token reader writes its own way (a number, a string).
                    return false;
                }
                if (fold)
                {
                    scannedArgs = call.capture(c, callArgs, limits.maxRawBytes());
                }
            }
            else if ("partialArgs".equals(field) && first == '[')
            {
                // Vertex's streamed arguments: kept as the token reader keeps them (the last array sent), then replayed
                // entry by entry by the streamed call. One over the raw limit is reported by the token reader.
                if (call.valueEnd(c) - call.valueStart(c) > limits.maxRawBytes())
                {
                    return false;
                }
                if (fold)
                {
                    scannedPartialArgs = call.capture(c, callPartialArgs, limits.maxRawBytes());
                }
            }
            else if ("willContinue".equals(field))
            {
                if (first == '{' || first == '[')
                {
                    return false;
                }
                scannedContinues = first == 't';
            }
        }
        return true;
    }

    /** One part; its fields come in any order ({@code thought} follows {@code text}), so they are gathered first. */
    private void readPart(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        boolean hasText = false;
        boolean thought = false;
        boolean hasCall = false;
        boolean callContinues = false;
        boolean hasArgs = false;
        boolean hasPartialArgs = false;
        partText.clear();
        partSignature.clear();
        partExtra.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "text":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = r.text();
                        setPartText(v.array(), v.offset(), v.length());
                        hasText = true;
                        fastPath.text();
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "thought":
                    thought = value == JsonToken.VALUE_TRUE;
                    fastPath.thought(thought);
                    break;
                case "thoughtSignature":
                    fastPath.notLearnable();
                    if (value == JsonToken.VALUE_STRING)
                    {
                        dialect.copyText(r, partSignature, limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "functionCall":
                    fastPath.notLearnable();
                    if (value != JsonToken.START_OBJECT)
                    {
                        r.skip();
                        break;
                    }
                    hasCall = true;
                    callName.clear();
                    callId.clear();
                    while (r.next() == JsonToken.FIELD_NAME)
                    {
                        final String field = r.name();
                        final JsonToken v = r.next();
                        if ("name".equals(field) && v == JsonToken.VALUE_STRING)
                        {
                            dialect.copyText(r, callName, limits.maxTextChars());
                        }
                        else if ("id".equals(field) && v == JsonToken.VALUE_STRING)
                        {
                            dialect.copyText(r, callId, limits.maxTextChars());
                        }
                        else if ("args".equals(field) && v != JsonToken.VALUE_NULL)
                        {
                            hasArgs = dialect.keep(r, callArgs, "functionCall.args");
                        }
                        else if ("partialArgs".equals(field) && v == JsonToken.START_ARRAY)
                        {
                            hasPartialArgs = dialect.keep(r, callPartialArgs, "functionCall.partialArgs");
                        }
                        else if ("willContinue".equals(field))
                        {
                            callContinues = v == JsonToken.VALUE_TRUE;
                        }
                        else
                        {
                            r.skip();
                        }
                    }
                    break;
                default:
                    fastPath.notLearnable();
                    dialect.captureKeepingNonEmpty(partExtra, name, r);
            }
        }
        if (hasCall)
        {
            functionCall(choice, hasArgs, hasPartialArgs, callContinues);
        }
        else
        {
            gathered(choice, hasText, thought);
        }
    }

    /** A part without a call, gathered (its text, signature and other fields): folded into {@code choice}. */
    private void gathered(final MutableChoice choice, final boolean hasText, final boolean thought)
    {
        if (hasText)
        {
            text(choice, thought ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
        }
        else if (partExtra.get(EXECUTABLE_CODE) != null && response.readObject(partExtra.get(EXECUTABLE_CODE)))
        {
            executableCode(choice);
        }
        else if (partExtra.size() > 0 || partSignature.length() > 0)
        {
            final MutablePart part = aggregate.newPart(choice, MutablePart.Kind.OTHER, -1);
            if (part != null)
            {
                if (partExtra.size() > 0)
                {
                    part.type().set(partExtra.name(0), limits.maxTextChars());
                }
                dialect.merge(partExtra, part.extra());
                part.signature().set(partSignature, limits.maxTextChars());
                aggregate.endPart(choice, part);
            }
            final MutableRawJson answer = partExtra.get(FUNCTION_RESPONSE);
            if (answer != null)
            {
                answered(choice, answer);
            }
        }
    }

    private static final String FUNCTION_RESPONSE = "functionResponse";
    /** A part of code the model wrote for the code execution tool, which the server runs (its result is the next part). */
    static final String EXECUTABLE_CODE = "executableCode";

    /**
     * An {@code executableCode} part (its members located in {@link #response}): a call of the code execution tool, run
     * by the server as Anthropic's and the Responses API's are, so a server call named {@code code_execution} whose
     * arguments are the code, free text; the part's fields stay as sent for the provider JSON.
     */
    private void executableCode(final MutableChoice choice)
    {
        final MutablePart call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, -1);
        if (call == null)
        {
            return;
        }
        call.markServerExecuted();
        call.markFreeformArguments();
        call.type().set(EXECUTABLE_CODE, 64);
        call.name().set("code_execution", 64);
        readStrings("id", responseId, "code", out, limits.maxArgumentChars());
        call.id().set(responseId, limits.maxTextChars());
        call.signature().set(partSignature, limits.maxTextChars());
        dialect.merge(partExtra, call.extra());
        aggregate.toolCallStarted(choice, call);
        aggregate.appendArguments(choice, call, out.array(), 0, out.length());
        aggregate.endPart(choice, call);
    }

    /**
     * Reads the string members {@code first} and {@code second} of the object located in {@link #response} into
     * {@code into} and {@code intoSecond} (empty when absent or not strings; the second within {@code secondLimit}).
     */
    private void readStrings(final String first, final MutableTextBuffer into, final String second,
        final MutableTextBuffer intoSecond, final int secondLimit)
    {
        into.clear();
        intoSecond.clear();
        for (int k = 0; k < response.count(); k++)
        {
            final String field = response.name(k);
            if (first.equals(field) && response.isString(k))
            {
                response.textInto(k, into, limits.maxTextChars(), responseStrings);
            }
            else if (second.equals(field) && response.isString(k))
            {
                response.textInto(k, intoSecond, secondLimit, responseStrings);
            }
        }
    }

    /**
     * A {@code functionResponse} in the model's own turn answers a call the provider ran itself (a remote MCP server's
     * tool, declared in the request's {@code mcpServers}): the client has nothing to run. The latest call of the
     * choice it names (by {@code id} when both have one, else by {@code name}) not yet answered is marked
     * server-executed; listeners heard of it before its answer came, as a call.
     */
    private void answered(final MutableChoice choice, final MutableRawJson answer)
    {
        if (!response.readObject(answer))
        {
            return;
        }
        readStrings("id", responseId, "name", responseName, limits.maxTextChars());
        final java.util.List<MutablePart> parts = choice.partList();
        for (int i = parts.size() - 1; i >= 0; i--)
        {
            final MutablePart p = parts.get(i);
            if (p.kind() != MutablePart.Kind.TOOL_CALL || p.serverExecuted())
            {
                continue;
            }
            final boolean byId = responseId.length() > 0 && p.id().length() > 0;
            if (byId ? p.id().contentEquals(responseId) : responseName.length() > 0 && p.name().contentEquals(responseName))
            {
                p.markServerExecuted();
                return;
            }
        }
    }

    private void text(final MutableChoice choice, final MutablePart.Kind kind)
    {
        final MutablePart last = choice.lastPart();
        MutablePart part;
        if (last != null && last.kind() == kind && last.extra().size() == 0 && partExtra.size() == 0 &&
            (partSignature.length() == 0 || last.signature().length() == 0))
        {
            part = last;
        }
        else
        {
            if (partText.length() == 0 && partSignature.length() == 0 && partExtra.size() == 0)
            {
                // An empty text part (Gemini ends with one) carries nothing to keep.
                return;
            }
            part = aggregate.newPart(choice, kind, -1);
            if (part == null)
            {
                return;
            }
        }
        if (partSignature.length() > 0)
        {
            part.signature().set(partSignature, limits.maxTextChars());
        }
        dialect.merge(partExtra, part.extra());
        aggregate.appendText(choice, part, partText.array(), 0, partText.length());
    }

    private void functionCall(final MutableChoice choice, final boolean hasArgs, final boolean hasPartialArgs, final boolean continues)
        throws JsonReader.BadPayload
    {
        if (streamedCall.isOpen() && (!streamedCall.isOpenIn(choice) || callName.length() > 0 || hasArgs))
        {
            streamedCall.close();
        }
        if (streamedCall.isOpen())
        {
            final MutablePart openCall = streamedCall.call();
            // A continuation of the streamed call: more partial arguments, or the empty terminator.
            if (partSignature.length() > 0 && openCall.signature().length() == 0)
            {
                openCall.signature().set(partSignature, limits.maxTextChars());
            }
            if (hasPartialArgs)
            {
                streamedCall.partialArgs(callPartialArgs);
            }
            if (!continues)
            {
                streamedCall.close();
            }
            return;
        }
        if (callName.length() == 0 && callId.length() == 0 && !hasArgs && !hasPartialArgs)
        {
            return;
        }
        final MutablePart call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, -1);
        if (call == null)
        {
            return;
        }
        call.type().set("functionCall", 64);
        call.id().set(callId, limits.maxTextChars());
        call.name().set(callName, limits.maxTextChars());
        call.signature().set(partSignature, limits.maxTextChars());
        dialect.merge(partExtra, call.extra());
        aggregate.toolCallStarted(choice, call);
        if (hasArgs)
        {
            if (!callArgs.asciiJsonInto(out))
            {
                out.set(callArgs.json(), Integer.MAX_VALUE);
            }
            aggregate.appendArguments(choice, call, out.array(), 0, out.length());
        }
        if (continues || hasPartialArgs)
        {
            streamedCall.open(choice, call);
            if (hasPartialArgs)
            {
                streamedCall.partialArgs(callPartialArgs);
            }
            if (!continues)
            {
                streamedCall.close();
            }
        }
        else
        {
            aggregate.endPart(choice, call);
        }
    }

    /** A repeated chunk's text part (see {@link GeminiFastPath}), folded as {@link #readPart} folds a text part. */
    void repeatedText(final MutableChoice choice, final char[] chars, final int length, final boolean thought)
    {
        partSignature.clear();
        partExtra.clear();
        setPartText(chars, 0, length);
        text(choice, thought ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
    }

    private void setPartText(final char[] chars, final int offset, final int length)
    {
        if (!partText.set(chars, offset, length, limits.maxTextChars()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "text part longer than " + limits.maxTextChars());
        }
    }
}
