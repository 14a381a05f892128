package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.sse.SseTokenizer;

/**
 * OpenAI {@code chat.completion.chunk} streams and the many servers that copy them. The rules here are
 * the ones real streams need: choices keyed by {@code index} in any field order (Azure and Qwen send
 * {@code delta} first), tool calls keyed by index, by id or by order, ids resent in full or as {@code ""},
 * usage wherever it comes (final chunk, last content chunk, {@code x_groq.usage}) merged with the last
 * value winning, per-chunk {@code delta.token_id} and per-choice {@code token_ids} joined into one list.
 */
public final class OpenAiChatDialect extends Dialect
{
    static final String LEGACY_FUNCTION_CALL = "function_call";

    private final JsonReader deferredReader;
    private final MutableRawJson deferredDelta = new MutableRawJson();
    private final MutableRawJson deferredLogprobs = new MutableRawJson();
    private final MutableRawJson deferredTokenIds = new MutableRawJson();
    private final MutableRawJson deferredText = new MutableRawJson();
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    private final MutableTextBuffer callId = new MutableTextBuffer();
    private final MutableTextBuffer callType = new MutableTextBuffer();
    private final MutableTextBuffer callName = new MutableTextBuffer();
    private final MutableTextBuffer callArguments = new MutableTextBuffer();
    private final MutableTextBuffer logprobToken = new MutableTextBuffer();
    private final MutableRawFields xGroq = new MutableRawFields();
    private final MutableTextBuffer scratchText = new MutableTextBuffer();

    private final ChunkTemplate template;
    private boolean fastPath = ChunkTemplate.ENABLED;
    private byte[] directCopy = new byte[0];
    // What the payload being parsed did, to decide whether it may become the template: learnable until it
    // does anything but replay idempotent captures and append exactly one string to one part.
    private boolean learnable;
    private int learnAppends;
    private int learnErrorsBefore;
    private MutableChoice learnChoice;
    private MutablePart.Kind learnKind;
    private int learnTextQuote;
    private MutablePart learnCall;
    /** Opening quote of the arguments string of the tool-call fragment being read, or -1. */
    private int argumentsQuote;
    private String learnValueName;
    private int learnValueQuote;

    public OpenAiChatDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits);
        deferredReader = new JsonReader(limits);
        template = new ChunkTemplate(aggregate, limits);
    }

    /** Turns the repeated-prefix fast path on or off (tests compare both). */
    @Override
    public void fastPath(final boolean on)
    {
        fastPath = on;
        template.forget();
    }

    /** @return payloads folded by the repeated-prefix fast path so far. */
    @Override
    public long fastFolds()
    {
        return template.folds();
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SseTokenizer(listener, limits.framing());
    }

    @Override
    public UsageKeys usageKeys()
    {
        return OpenAiChatReporting.USAGE;
    }

    @Override
    public StopReasonTable stopReasons()
    {
        return OpenAiChatReporting.STOP_REASONS;
    }

    @Override
    public void reset()
    {
        super.reset();
        deferredReader.abandon();
        xGroq.clear();
        template.forget();
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        final int length = frame.length();
        if (length == 0)
        {
            return;
        }
        if (frame.payloadEquals("[DONE]"))
        {
            aggregate.start();
            aggregate.end(aggregate.providerError().isNullish() ? Outcome.COMPLETE : Outcome.ERROR);
            return;
        }
        if (fastPath)
        {
            if (foldRepeated(frame))
            {
                return;
            }
            // Whatever this payload does, the template no longer describes the chunk before the next one.
            template.forget();
            learnable = true;
            learnAppends = 0;
            learnCall = null;
            learnValueName = null;
            learnValueQuote = -1;
            learnErrorsBefore = aggregate.errorCount();
        }
        else
        {
            learnable = false;
        }
        json.beginObject(frame.buffer(), frame.offset(), length);
        boolean errorSeen = false;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "choices":
                    aggregate.start();
                    if (value == JsonToken.START_ARRAY)
                    {
                        while (json.next() == JsonToken.START_OBJECT)
                        {
                            readChoice(json);
                        }
                        if (json.token() != JsonToken.END_ARRAY)
                        {
                            throw new JsonReader.BadPayload("choices must hold objects");
                        }
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "usage":
                    learnable &= value == JsonToken.VALUE_NULL;
                    mergeUsage(json);
                    break;
                case "x_groq":
                    learnable = false;
                    readXGroq();
                    break;
                case "error":
                    if (value != JsonToken.VALUE_NULL)
                    {
                        learnable = false;
                        providerError(json);
                        errorSeen = true;
                    }
                    break;
                case "object":
                    json.skip();
                    break;
                case "created":
                    // Azure's filter-only chunks say "created": 0 beside an empty id and model: a placeholder.
                    if (value == JsonToken.VALUE_NUMBER_INT && json.text().contentEquals("0") &&
                        aggregate.meta().has("created"))
                    {
                        break;
                    }
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
                    break;
                default:
                    if (learnable && learnAppends > 0)
                    {
                        noteValue(name, value);
                    }
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
        json.finish();
        aggregate.start();
        if (learnable && !errorSeen && learnAppends == 1 && aggregate.errorCount() == learnErrorsBefore)
        {
            template.learn(json.inputArray(), json.inputOffset(), json.inputLength(), learnChoice, learnKind, learnCall,
                learnTextQuote, learnValueName, learnValueQuote);
        }
        if (errorSeen)
        {
            // An in-band error object is the provider's last word (OpenRouter, Groq's event: error); the
            // rest of its chunk (usage) was folded above.
            aggregate.end(Outcome.ERROR);
        }
    }

    private boolean foldRepeated(final Frame frame)
    {
        final org.agrona.DirectBuffer buffer = frame.buffer();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return template.tryFold(array, (int)buffer.wrapAdjustment() + frame.offset(), frame.length());
        }
        final int length = frame.length();
        if (!template.isLearnt())
        {
            return false;
        }
        if (directCopy.length < length)
        {
            directCopy = new byte[Math.max(length, directCopy.length * 2)];
        }
        buffer.getBytes(frame.offset(), directCopy, 0, length);
        return template.tryFold(directCopy, 0, length);
    }

    /** The one string this payload appends: where it is, once proven to decode as Jackson decoded it. */
    private void noteText(final JsonReader r, final MutableChoice choice, final MutablePart.Kind kind) throws JsonReader.BadPayload
    {
        if (!learnable)
        {
            return;
        }
        if (r != json || ++learnAppends > 1)
        {
            learnable = false;
            return;
        }
        final int quote = r.stringStartOffset();
        if (!template.decodesTo(r.inputArray(), quote, r.inputOffset() + r.inputLength(), r.text()))
        {
            learnable = false;
            return;
        }
        learnChoice = choice;
        learnKind = kind;
        learnCall = null;
        learnTextQuote = quote;
    }

    /** A top-level field after the text: the last one, when a string, may vary from chunk to chunk. */
    private void noteValue(final String name, final JsonToken value) throws JsonReader.BadPayload
    {
        learnValueName = null;
        learnValueQuote = -1;
        if (value == JsonToken.VALUE_STRING)
        {
            final int quote = json.stringStartOffset();
            if (template.decodesTo(json.inputArray(), quote, json.inputOffset() + json.inputLength(), json.text()))
            {
                learnValueName = name;
                learnValueQuote = quote;
            }
        }
    }

    @Override
    public String unfinished()
    {
        // No [DONE] (recordings often drop it) is still whole when every choice said why it stopped.
        return aggregate.allChoicesFinished() ? null : "without [DONE] and before every choice finished";
    }

    private void readXGroq() throws JsonReader.BadPayload
    {
        if (json.token() != JsonToken.START_OBJECT)
        {
            json.skip();
            return;
        }
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            json.next();
            if ("usage".equals(name))
            {
                mergeUsage(json);
            }
            else
            {
                captureKeepingNonEmpty(xGroq, name, json);
            }
        }
    }

    private void readChoice(final JsonReader r) throws JsonReader.BadPayload
    {
        MutableChoice choice = null;
        boolean indexSeen = false;
        boolean skipChoice = false;
        boolean deltaSeen = false;
        boolean hasDeferredDelta = false;
        boolean hasDeferredLogprobs = false;
        boolean hasDeferredTokenIds = false;
        boolean hasText = false;
        finishReason.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (skipChoice)
            {
                r.skip();
                continue;
            }
            switch (name)
            {
                case "index":
                    indexSeen = true;
                    final long index = index(r, "choices[].index");
                    choice = index < 0 ? null : aggregate.choiceForIndex(index);
                    skipChoice = choice == null;
                    break;
                case "delta":
                case "message":
                    deltaSeen = true;
                    if (choice != null)
                    {
                        readDelta(r, choice);
                    }
                    else if (value != JsonToken.VALUE_NULL)
                    {
                        learnable = false;
                        r.capture(deferredDelta);
                        hasDeferredDelta = true;
                    }
                    break;
                case "logprobs":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        break;
                    }
                    learnable = false;
                    if (choice != null)
                    {
                        readLogprobs(r, choice);
                    }
                    else
                    {
                        r.capture(deferredLogprobs);
                        hasDeferredLogprobs = true;
                    }
                    break;
                case "token_ids":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        break;
                    }
                    learnable = false;
                    if (choice != null)
                    {
                        readTokenIds(r, choice);
                    }
                    else
                    {
                        r.capture(deferredTokenIds);
                        hasDeferredTokenIds = true;
                    }
                    break;
                case "finish_reason":
                    learnable &= value == JsonToken.VALUE_NULL;
                    if (value == JsonToken.VALUE_STRING)
                    {
                        final CharView v = r.text();
                        finishReason.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "text":
                    learnable = false;
                    // Together repeats each token as choices[].text beside delta.content; only a choice
                    // without a delta (legacy completions shape) takes it as its content.
                    if (value == JsonToken.VALUE_STRING)
                    {
                        r.capture(deferredText);
                        hasText = true;
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                default:
                    if (choice == null && !indexSeen)
                    {
                        choice = aggregate.choiceForIndex(0);
                        skipChoice = choice == null;
                        if (skipChoice)
                        {
                            r.skip();
                            break;
                        }
                    }
                    captureKeepingNonEmpty(choice.extra(), name, r);
            }
        }
        if (skipChoice)
        {
            return;
        }
        if (choice == null)
        {
            // No index at all: the only choice.
            choice = aggregate.choiceForIndex(0);
            if (choice == null)
            {
                return;
            }
        }
        if (hasDeferredDelta)
        {
            replay(deferredDelta, choice, Deferred.DELTA);
        }
        if (hasDeferredTokenIds)
        {
            replay(deferredTokenIds, choice, Deferred.TOKEN_IDS);
        }
        if (hasDeferredLogprobs)
        {
            replay(deferredLogprobs, choice, Deferred.LOGPROBS);
        }
        if (hasText && !deltaSeen)
        {
            final CharSequence text = deferredText.text();
            aggregate.appendText(choice, MutablePart.Kind.TEXT, toChars(text), 0, text.length());
        }
        if (finishReason.length() > 0)
        {
            aggregate.finish(choice, finishReason.array(), 0, finishReason.length());
        }
    }

    private char[] toChars(final CharSequence text)
    {
        scratchText.set(text, Integer.MAX_VALUE);
        return scratchText.array();
    }

    /** The values of a choice that can arrive before its index and are captured until it does. */
    private enum Deferred
    {
        DELTA,
        LOGPROBS,
        TOKEN_IDS
    }

    /** Reads a value captured before the choice's index was known, now that it is. */
    private void replay(final MutableRawJson captured, final MutableChoice choice, final Deferred what) throws JsonReader.BadPayload
    {
        if (captured.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        deferredReader.begin(captured);
        switch (what)
        {
            case DELTA:
                readDelta(deferredReader, choice);
                break;
            case LOGPROBS:
                readLogprobs(deferredReader, choice);
                break;
            default:
                readTokenIds(deferredReader, choice);
        }
        deferredReader.finish();
    }

    private void readDelta(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        boolean reasoningSeen = false;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "role":
                    if (value == JsonToken.VALUE_STRING && r.text().length() > 0)
                    {
                        final CharView v = r.text();
                        choice.role().set(v.array(), v.offset(), v.length(), limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "content":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        noteText(r, choice, MutablePart.Kind.TEXT);
                        appendText(r, choice, MutablePart.Kind.TEXT, null);
                    }
                    else if (value == JsonToken.START_ARRAY)
                    {
                        learnable = false;
                        readContentParts(r, choice);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "refusal":
                    if (value == JsonToken.VALUE_STRING)
                    {
                        noteText(r, choice, MutablePart.Kind.REFUSAL);
                        appendText(r, choice, MutablePart.Kind.REFUSAL, null);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "reasoning_content":
                case "reasoning":
                    // Some servers send the same reasoning under both names in one delta: take the first.
                    if (value == JsonToken.VALUE_STRING && !reasoningSeen)
                    {
                        reasoningSeen = true;
                        noteText(r, choice, MutablePart.Kind.REASONING);
                        appendText(r, choice, MutablePart.Kind.REASONING, name);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "tool_calls":
                    if (value == JsonToken.START_ARRAY)
                    {
                        while (r.next() == JsonToken.START_OBJECT)
                        {
                            readToolCall(r, choice, false);
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "function_call":
                    learnable &= value == JsonToken.VALUE_NULL;
                    if (value == JsonToken.START_OBJECT)
                    {
                        readToolCall(r, choice, true);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "token_id":
                    learnable &= value == JsonToken.VALUE_NULL;
                    if (value == JsonToken.VALUE_NUMBER_INT)
                    {
                        aggregate.tokenId(choice, r.longValue());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "channel":
                    learnable &= value == JsonToken.VALUE_NULL;
                    // Groq repeats the channel ("analysis", "final") on every delta: a state, not text to join.
                    if (!choice.messageExtra().replace(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                default:
                    learnable &= value == JsonToken.VALUE_NULL;
                    if (!choice.messageExtra().fold(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
            }
        }
    }

    private void appendText(final JsonReader r, final MutableChoice choice, final MutablePart.Kind kind, final String fieldName)
        throws JsonReader.BadPayload
    {
        final CharView v = r.text();
        final MutablePart last = choice.lastPart();
        aggregate.appendText(choice, kind, v.array(), v.offset(), v.length());
        if (fieldName != null && choice.lastPart() != last && choice.lastPart() != null)
        {
            choice.lastPart().type().set(fieldName, 64);
        }
    }

    /** Mistral sends content as typed parts: text, and thinking holding text parts of its own. */
    private void readContentParts(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.START_OBJECT)
        {
            MutablePart.Kind kind = MutablePart.Kind.TEXT;
            while (r.next() == JsonToken.FIELD_NAME)
            {
                final String name = r.name();
                final JsonToken value = r.next();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    kind = r.text().contentEquals("thinking") ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT;
                }
                else if ("text".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    appendText(r, choice, kind, null);
                }
                else if ("thinking".equals(name) && value == JsonToken.START_ARRAY)
                {
                    while (r.next() == JsonToken.START_OBJECT)
                    {
                        while (r.next() == JsonToken.FIELD_NAME)
                        {
                            final String inner = r.name();
                            if (r.next() == JsonToken.VALUE_STRING && "text".equals(inner))
                            {
                                appendText(r, choice, MutablePart.Kind.REASONING, null);
                            }
                            else
                            {
                                r.skip();
                            }
                        }
                    }
                }
                else if ("thinking".equals(name) && value == JsonToken.VALUE_STRING)
                {
                    appendText(r, choice, MutablePart.Kind.REASONING, null);
                }
                else
                {
                    r.skip();
                }
            }
        }
    }

    /**
     * One tool-call fragment. Its fields may come in any order, so they are gathered first; then the
     * fragment is matched to a call: by index (unless it brings a different id, which is a new call that
     * reused the index), else by id, else it continues the latest call.
     */
    private void readToolCall(final JsonReader r, final MutableChoice choice, final boolean legacy) throws JsonReader.BadPayload
    {
        long index = -1;
        boolean hasIndex = false;
        callId.clear();
        callType.clear();
        callName.clear();
        callArguments.clear();
        argumentsQuote = -1;
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            switch (name)
            {
                case "index":
                    index = index(r, "tool_calls[].index");
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
        if (learnable)
        {
            // Only a bare arguments fragment for a call found by its index can be replayed: the same bytes
            // around other arguments find the same call and append to it, nothing else.
            if (r == json && !legacy && hasIndex && !created && argumentsQuote >= 0 &&
                callId.length() == 0 && callName.length() == 0 && callType.length() == 0 && ++learnAppends == 1)
            {
                learnChoice = choice;
                learnKind = MutablePart.Kind.TOOL_CALL;
                learnCall = call;
                learnTextQuote = argumentsQuote;
            }
            else
            {
                learnable = false;
            }
        }
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

    /**
     * Arguments are copied up to one character past the limit, never refused whole: the aggregate then
     * keeps the prefix that fits and reports the overflow once.
     */
    private void copyArguments(final JsonReader r) throws JsonReader.BadPayload
    {
        final int limit = limits.maxArgumentChars() == Integer.MAX_VALUE ? Integer.MAX_VALUE : limits.maxArgumentChars() + 1;
        if (r.token() == JsonToken.VALUE_STRING)
        {
            final CharView v = r.text();
            if (learnable && r == json)
            {
                final int quote = r.stringStartOffset();
                argumentsQuote = template.decodesTo(r.inputArray(), quote, r.inputOffset() + r.inputLength(), v) ? quote : -1;
                learnable = argumentsQuote >= 0;
            }
            callArguments.set(v.array(), v.offset(), Math.min(v.length(), limit), limit);
        }
        else if (r.token() == JsonToken.START_OBJECT || r.token() == JsonToken.START_ARRAY)
        {
            learnable = false;
            // Some servers send arguments as a JSON object instead of its text: keep its text.
            r.capture(deferredText);
            final String text = deferredText.json();
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
            if (!into.set(v.array(), v.offset(), v.length(), limits.maxArgumentChars()))
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "tool-call fragment longer than " + limits.maxArgumentChars());
            }
        }
        else if (r.token() == JsonToken.START_OBJECT || r.token() == JsonToken.START_ARRAY)
        {
            // Some servers send arguments as a JSON object instead of its text: keep its text.
            final MutableRawJson raw = deferredText;
            r.capture(raw);
            into.set(raw.json(), limits.maxArgumentChars());
        }
        else
        {
            r.skip();
        }
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
    private void endOpenCalls(final MutableChoice choice)
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

    private void readTokenIds(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_ARRAY)
        {
            r.skip();
            return;
        }
        while (r.next() != JsonToken.END_ARRAY)
        {
            if (r.token() == JsonToken.VALUE_NUMBER_INT)
            {
                aggregate.tokenId(choice, r.longValue());
            }
            else
            {
                r.skip();
            }
        }
    }

    private void readLogprobs(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        if (r.token() != JsonToken.START_OBJECT)
        {
            r.skip();
            return;
        }
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            final boolean refusal = "refusal".equals(name);
            if ((refusal || "content".equals(name)) && value == JsonToken.START_ARRAY)
            {
                final MutableRawList list = refusal ? choice.refusalLogprobs() : choice.contentLogprobs();
                list.markPresent();
                while (r.next() == JsonToken.START_OBJECT)
                {
                    readLogprobEntry(r, choice, refusal, list);
                }
            }
            else
            {
                r.skip();
            }
        }
        choice.logprobsSeen();
    }

    private void readLogprobEntry(final JsonReader r, final MutableChoice choice, final boolean refusal, final MutableRawList list)
        throws JsonReader.BadPayload
    {
        final int start = r.structureStartOffset();
        double logprob = Double.NaN;
        logprobToken.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("token".equals(name) && value == JsonToken.VALUE_STRING)
            {
                final CharView v = r.text();
                logprobToken.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
            }
            else if ("logprob".equals(name) && (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT))
            {
                logprob = r.doubleValue();
            }
            else
            {
                r.skip();
            }
        }
        if (!r.appendStructure(start, list))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs larger than " + limits.maxRawBytes() + " bytes");
        }
        aggregate.logprob(choice, refusal, logprobToken, logprob);
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        OpenAiChatWriter.write(result, xGroq, g);
    }
}
