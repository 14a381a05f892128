package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
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
    static final String LEGACY_FUNCTION_CALL = ToolCallDecoder.LEGACY_FUNCTION_CALL;

    private final JsonReader deferredReader;
    /** The fast path: watches each payload the decoder reads, and folds the ones that repeat a learnt chunk. */
    private final ChunkLearner learner;
    private final ToolCallDecoder toolCalls;
    private final MutableRawJson deferredDelta = new MutableRawJson();
    private final MutableRawJson deferredLogprobs = new MutableRawJson();
    private final MutableRawJson deferredTokenIds = new MutableRawJson();
    private final MutableRawJson deferredText = new MutableRawJson();
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    private final LogprobEntries logprobs;
    private final MutableRawFields xGroq = new MutableRawFields();
    private final MutableTextBuffer scratchText = new MutableTextBuffer();

    public OpenAiChatDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, OpenAiChatReporting.INSTANCE);
        deferredReader = new JsonReader(limits);
        learner = new ChunkLearner(aggregate, limits);
        logprobs = new LogprobEntries(aggregate, limits);
        toolCalls = new ToolCallDecoder(this, aggregate, limits, learner, json);
    }

    /** Turns the repeated-prefix fast path on or off (tests compare both). */
    @Override
    public void fastPath(final boolean on)
    {
        learner.enabled(on);
    }

    /** @return payloads folded by the repeated-prefix fast path so far. */
    @Override
    public long fastFolds()
    {
        return learner.folds();
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return new SseTokenizer(listener, limits.framing());
    }



    @Override
    public void reset()
    {
        super.reset();
        deferredReader.abandon();
        xGroq.clear();
        learner.forget();
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
        if (learner.foldOrWatch(frame))
        {
            return;
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
                    learner.refuseUnlessNull(value);
                    mergeUsage(json);
                    break;
                case "x_groq":
                    learner.refuse();
                    readXGroq();
                    break;
                case "error":
                    if (value != JsonToken.VALUE_NULL)
                    {
                        learner.refuse();
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
                    if (learner.watchesValues())
                    {
                        learner.noteValue(json, name, value);
                    }
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
        json.finish();
        aggregate.start();
        learner.end(json, errorSeen);
        if (errorSeen)
        {
            // An in-band error object is the provider's last word (OpenRouter, Groq's event: error); the
            // rest of its chunk (usage) was folded above.
            aggregate.end(Outcome.ERROR);
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
                        learner.refuse();
                        r.capture(deferredDelta);
                        hasDeferredDelta = true;
                    }
                    break;
                case "logprobs":
                    if (value == JsonToken.VALUE_NULL)
                    {
                        break;
                    }
                    learner.refuse();
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
                    learner.refuse();
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
                    learner.refuseUnlessNull(value);
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
                    learner.refuse();
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
                        learner.noteText(json, r, choice, MutablePart.Kind.TEXT);
                        appendText(r, choice, MutablePart.Kind.TEXT, null);
                    }
                    else if (value == JsonToken.START_ARRAY)
                    {
                        learner.refuse();
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
                        learner.noteText(json, r, choice, MutablePart.Kind.REFUSAL);
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
                        learner.noteText(json, r, choice, MutablePart.Kind.REASONING);
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
                            toolCalls.readToolCall(r, choice, false);
                        }
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "function_call":
                    learner.refuseUnlessNull(value);
                    if (value == JsonToken.START_OBJECT)
                    {
                        toolCalls.readToolCall(r, choice, true);
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "token_id":
                    learner.refuseUnlessNull(value);
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
                    learner.refuseUnlessNull(value);
                    // Groq repeats the channel ("analysis", "final") on every delta: a state, not text to join.
                    if (!choice.messageExtra().replace(name, r, limits))
                    {
                        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' dropped: limit");
                    }
                    break;
                default:
                    learner.refuseUnlessNull(value);
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
                    logprobs.read(r, choice, refusal, list, null);
                }
            }
            else
            {
                r.skip();
            }
        }
        choice.logprobsSeen();
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        OpenAiChatWriter.write(result, xGroq, g);
    }
}
