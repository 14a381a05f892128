package io.streamfold.aggregator.internal.dialect.openai.chat;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.parser.ErrorKind;

/**
 * Decodes the tool-call fragments of a chat delta ({@code tool_calls[]} and the legacy {@code function_call})
 * and matches each to the call it continues.
 */
final class ToolCallDecoder
{
    static final String LEGACY_FUNCTION_CALL = "function_call";

    private final OpenAiChatDialect dialect;
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ChunkLearner learner;
    /** The payload's own reader: only a fragment read from it (not replayed) can be learnt. */
    private final JsonReader json;
    private final MutableTextBuffer callId = new MutableTextBuffer();
    private final MutableTextBuffer callType = new MutableTextBuffer();
    private final MutableTextBuffer callName = new MutableTextBuffer();
    private final MutableTextBuffer callArguments = new MutableTextBuffer();
    /** Arguments sent as a JSON value instead of its text. */
    private final MutableRawJson rawArguments = new MutableRawJson();

    ToolCallDecoder(
        final OpenAiChatDialect dialect,
        final MutableAggregate aggregate,
        final AggregationLimits limits,
        final ChunkLearner learner,
        final JsonReader json)
    {
        this.dialect = dialect;
        this.aggregate = aggregate;
        this.limits = limits;
        this.learner = learner;
        this.json = json;
    }

    /**
     * One tool-call fragment. Its fields may come in any order, so they are gathered first; then the
     * fragment is matched to a call: by index (unless it brings a different id, which is a new call that
     * reused the index), else by id, else it continues the latest call.
     */
    void readToolCall(final JsonReader r, final MutableChoice choice, final boolean legacy) throws JsonReader.BadPayload
    {
        long index = -1;
        boolean hasIndex = false;
        beginCall();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "index":
                    index = dialect.index(r, "tool_calls[].index");
                    hasIndex = true;
                    break;
                case "id":
                    copyString(r, callId);
                    break;
                case "type":
                    copyString(r, callType);
                    break;
                case "function":
                    if (value == JsonToken.START_OBJECT)
                    {
                        readFunction(r);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "name":
                    copyString(r, callName);
                    break;
                case "arguments":
                    copyArguments(r);
                    break;
                default:
                    r.skip();
            }
        }
        applyCall(choice, legacy, hasIndex, index, r == json);
    }

    /**
     * As {@link #readToolCall}, for {@link ChunkScan}: a fragment whose members {@code call} holds, located in the
     * payload {@code src}, its strings decoded by {@code text} (the decoder the chunk template matches by). Walked
     * twice as the scan walks a chunk: first to check that this class reads it as the token reader does (a plain index
     * of at most 18 digits, no value kept as raw JSON where a string belongs), changing nothing, then to fold it.
     *
     * @param function where a function object's members are located.
     * @param fold     false to check only, true to fold a fragment the check accepted.
     * @return false when the token reader must read it (only ever with {@code fold} false).
     */
    boolean readScannedToolCall(final byte[] src, final JsonMembers call, final JsonMembers function, final StringDecoder text,
        final MutableChoice choice, final boolean fold)
    {
        long index = -1;
        boolean hasIndex = false;
        if (fold)
        {
            beginCall();
        }
        for (int k = 0; k < call.count(); k++)
        {
            switch (call.name(k))
            {
                case "index":
                    index = call.plainIndex(k);
                    if (index < 0)
                    {
                        return false;
                    }
                    hasIndex = true;
                    break;
                case "id":
                    if (!scannedString(call, k, text, callId, fold))
                    {
                        return false;
                    }
                    break;
                case "type":
                    if (!scannedString(call, k, text, callType, fold))
                    {
                        return false;
                    }
                    break;
                case "name":
                    if (!scannedString(call, k, text, callName, fold))
                    {
                        return false;
                    }
                    break;
                case "arguments":
                    if (!scannedArguments(src, call, k, text, fold))
                    {
                        return false;
                    }
                    break;
                case "function":
                    if (call.first(k) == '{' && !scannedFunction(src, call, k, function, text, fold))
                    {
                        return false;
                    }
                    break;
                default:
            }
        }
        if (fold)
        {
            applyCall(choice, false, hasIndex, index, true);
        }
        return true;
    }

    private boolean scannedFunction(final byte[] src, final JsonMembers call, final int k, final JsonMembers function,
        final StringDecoder text, final boolean fold)
    {
        function.readObject(src, call.valueStart(k), call.valueEnd(k));
        for (int f = 0; f < function.count(); f++)
        {
            final String name = function.name(f);
            if (("name".equals(name) && !scannedString(function, f, text, callName, fold)) ||
                ("arguments".equals(name) && !scannedArguments(src, function, f, text, fold)))
            {
                return false;
            }
        }
        return true;
    }

    private void beginCall()
    {
        callId.clear();
        callType.clear();
        callName.clear();
        callArguments.clear();
        learner.beginCall();
    }

    /**
     * Matches the gathered fragment to a call and appends its arguments.
     *
     * @param fromPayload whether it was read from the payload itself (not replayed): only then can it be learnt.
     */
    private void applyCall(final MutableChoice choice, final boolean legacy, final boolean hasIndex, final long index,
        final boolean fromPayload)
    {
        if (hasIndex && index < 0)
        {
            return;
        }
        if (hasIndex && index > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool call index " + index + " outside 0.." + limits.maxIndex());
            return;
        }
        MutablePart call = null;
        boolean created = false;
        if (legacy)
        {
            call = findByType(choice, LEGACY_FUNCTION_CALL);
        }
        else if (hasIndex)
        {
            call = findByIndex(choice, index);
            if (call != null && callId.length() > 0 && call.id().length() > 0 && !call.id().contentEquals(callId))
            {
                call = null;
            }
        }
        else if (callId.length() > 0)
        {
            call = findById(choice, callId);
        }
        else
        {
            call = latestCall(choice);
        }

        if (call == null)
        {
            created = true;
            endOpenCalls(choice);
            call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, hasIndex ? index : -1);
            if (call == null)
            {
                return;
            }
            call.id().set(callId, limits.maxTextChars());
            call.name().set(callName, limits.maxTextChars());
            call.type().set(legacy ? LEGACY_FUNCTION_CALL : callType.length() > 0 ? callType : "function", 256);
            aggregate.toolCallStarted(choice, call);
        }
        else
        {
            // Continuations may resend the id and name in full (DeepSeek, Qwen): never join them.
            if (call.id().length() == 0 && callId.length() > 0)
            {
                call.id().set(callId, limits.maxTextChars());
            }
            if (call.name().length() == 0 && callName.length() > 0)
            {
                call.name().set(callName, limits.maxTextChars());
            }
        }
        // A type beside the arguments (Qwen resends "function" with an empty id) changes nothing on a call found: such
        // a fragment only appends, as a bare one does.
        learner.noteCall(fromPayload && !legacy && hasIndex && !created && callId.length() == 0 && callName.length() == 0,
            choice, call);
        aggregate.appendArguments(choice, call, callArguments.array(), 0, callArguments.length());
    }

    private void readFunction(final JsonReader r) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            r.next();
            if ("name".equals(name))
            {
                copyString(r, callName);
            }
            else if ("arguments".equals(name))
            {
                copyArguments(r);
            }
            else
            {
                r.skip();
            }
        }
    }

    /** The arguments: a string as {@link #setArguments} keeps it, an object or array as its JSON text, cut alike. */
    private void copyArguments(final JsonReader r) throws JsonReader.BadPayload
    {
        final int limit = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
        if (r.token() == JsonToken.VALUE_STRING)
        {
            final CharView v = r.text();
            learner.noteArguments(json, r, v);
            setArguments(v.array(), v.offset(), v.length());
        }
        else if (r.token() == JsonToken.START_OBJECT || r.token() == JsonToken.START_ARRAY)
        {
            learner.refuse();
            // Some servers send arguments as a JSON object instead of its text: keep its text.
            r.capture(rawArguments);
            final String text = rawArguments.json();
            callArguments.set(text.length() <= limit ? text : text.substring(0, limit), limit);
        }
        else
        {
            r.skip();
        }
    }

    private void copyString(final JsonReader r, final MutableTextBuffer into) throws JsonReader.BadPayload
    {
        if (r.token() == JsonToken.VALUE_STRING)
        {
            final CharView v = r.text();
            setString(v.array(), v.offset(), v.length(), into);
        }
        else if (r.token() == JsonToken.START_OBJECT || r.token() == JsonToken.START_ARRAY)
        {
            // Some servers send arguments as a JSON object instead of its text: keep its text.
            final MutableRawJson raw = rawArguments;
            r.capture(raw);
            into.set(raw.json(), limits.maxArgumentChars());
        }
        else
        {
            r.skip();
        }
    }

    /**
     * A string member's text into {@code into}; another scalar changes nothing (the token reader skips it), an object
     * or array (which it keeps as JSON text) is left to it.
     */
    private boolean scannedString(final JsonMembers members, final int k, final StringDecoder text, final MutableTextBuffer into,
        final boolean fold)
    {
        if (members.isStructure(k))
        {
            return false;
        }
        if (fold && members.decodeString(k, text) >= 0)
        {
            setString(text.chars(), 0, text.length(), into);
        }
        return true;
    }

    /** As {@link #scannedString} for the arguments, noted to the learner. */
    private boolean scannedArguments(final byte[] src, final JsonMembers members, final int k, final StringDecoder text,
        final boolean fold)
    {
        if (members.isStructure(k))
        {
            return false;
        }
        final int quote = members.valueStart(k);
        if (fold && members.first(k) == '"' && text.decode(src, quote + 1, members.valueEnd(k)) >= 0)
        {
            learner.noteScannedArguments(quote);
            setArguments(text.chars(), 0, text.length());
        }
        return true;
    }

    private void setString(final char[] chars, final int offset, final int length, final MutableTextBuffer into)
    {
        if (!into.set(chars, offset, length, limits.maxArgumentChars()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool-call fragment longer than " + limits.maxArgumentChars());
        }
    }

    /**
     * Arguments are kept up to one character past the limit, never refused whole: the aggregate then keeps the prefix
     * that fits and reports the overflow once.
     */
    private void setArguments(final char[] chars, final int offset, final int length)
    {
        final int limit = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
        callArguments.set(chars, offset, Math.min(length, limit), limit);
    }

    private static MutablePart findByIndex(final MutableChoice choice, final long index)
    {
        for (int i = choice.partCount() - 1; i >= 0; i--)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && p.wireIndex() == index && !LEGACY_FUNCTION_CALL.contentEquals(p.type()))
            {
                return p;
            }
        }
        return null;
    }

    private static MutablePart findById(final MutableChoice choice, final CharSequence id)
    {
        for (int i = choice.partCount() - 1; i >= 0; i--)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && p.id().contentEquals(id))
            {
                return p;
            }
        }
        return null;
    }

    private static MutablePart findByType(final MutableChoice choice, final String type)
    {
        for (int i = choice.partCount() - 1; i >= 0; i--)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && p.type().contentEquals(type))
            {
                return p;
            }
        }
        return null;
    }

    private static MutablePart latestCall(final MutableChoice choice)
    {
        for (int i = choice.partCount() - 1; i >= 0; i--)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL && !LEGACY_FUNCTION_CALL.contentEquals(p.type()))
            {
                return p;
            }
        }
        return null;
    }

    /** OpenAI streams calls one after another: a new call means the earlier ones are complete. */
    void endOpenCalls(final MutableChoice choice)
    {
        for (int i = 0; i < choice.partCount(); i++)
        {
            final MutablePart p = choice.part(i);
            if (p.kind() == MutablePart.Kind.TOOL_CALL)
            {
                aggregate.endPart(choice, p);
            }
        }
    }
}
