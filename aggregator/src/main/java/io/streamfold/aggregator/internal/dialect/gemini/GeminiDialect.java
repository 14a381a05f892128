package io.streamfold.aggregator.internal.dialect.gemini;

import java.io.IOException;
import java.util.List;

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
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.sse.SseThenJsonFramer;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.internal.Buffers;
import org.agrona.DirectBuffer;

/**
 * Google Gemini and Vertex AI {@code streamGenerateContent}: one {@code GenerateContentResponse} per
 * event, as SSE ({@code alt=sse}) or as the elements of one streamed JSON array; the first significant
 * byte ({@code [} or not) picks the framing ({@link SseThenJsonFramer}).
 *
 * <p>Rules:
 * <ul>
 *   <li>Candidates are keyed by {@code index} (0 when absent), whatever the field order; consecutive text
 *       parts of a candidate join into one text part and consecutive {@code thought: true} parts into one
 *       reasoning part, as the non-streaming API returns them. A {@code thoughtSignature} stays on the part
 *       it came with; a second signature starts a new part.</li>
 *   <li>Each {@code functionCall} is one tool call (name, {@code id} when given, {@code args} as the
 *       arguments JSON text). Vertex's streamed arguments ({@code willContinue} with {@code partialArgs}
 *       of {@code jsonPath} and string / number / bool / null values, closed by an empty
 *       {@code functionCall}) are folded into the same arguments JSON text, streamed as it grows.</li>
 *   <li>{@code executableCode}, {@code codeExecutionResult}, {@code inlineData}, {@code fileData} and any
 *       other part are kept whole (kind OTHER, raw).</li>
 *   <li>Per candidate: {@code finishReason} finishes it (Vertex repeats it on every chunk; text after it is
 *       still joined), {@code citationMetadata.citationSources} accumulate over chunks, every other field
 *       (safetyRatings, groundingMetadata, avgLogprobs, logprobsResult...) is kept raw, last non-empty
 *       value winning. {@code usageMetadata} merges field by field, last winning; {@code modelVersion},
 *       {@code responseId}, {@code createTime}, {@code promptFeedback} and unknown fields go to meta.</li>
 *   <li>There is no terminal event: at end of input the stream is COMPLETE when every candidate has a
 *       finish reason, or when the prompt was blocked ({@code promptFeedback.blockReason}: choice 0 is
 *       then finished with the block reason, which normalizes to {@code content_filter}; the provider
 *       output has no candidate, as the API sends none); else TRUNCATED. It is TRUNCATED too when the
 *       framer reports the body cut inside a later array element or bare JSON value. An {@code error}
 *       object (an SSE event, an array element, or a bare object written into an SSE body, as Vertex does
 *       when a stream fails mid-way: see {@link SseThenJsonFramer}) ends the stream at once with ERROR, the
 *       error kept.</li>
 * </ul>
 */
public final class GeminiDialect extends Dialect
{
    static final String CITATION_SOURCES = "citationSources";

    private final JsonReader replayReader;
    /** The Vertex streamed call being assembled. */
    private final StreamedCall streamedCall;

    private final MutableRawJson pendingContent = new MutableRawJson();
    private final MutableRawJson pendingCitations = new MutableRawJson();
    private final MutableRawFields pendingExtra = new MutableRawFields();
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    private final MutableTextBuffer blockReason = new MutableTextBuffer();

    private final MutableTextBuffer partText = new MutableTextBuffer();
    private final MutableTextBuffer partSignature = new MutableTextBuffer();
    private final MutableRawFields partExtra = new MutableRawFields();
    private final MutableTextBuffer callName = new MutableTextBuffer();
    private final MutableTextBuffer callId = new MutableTextBuffer();
    private final MutableRawJson callArgs = new MutableRawJson();
    private final MutableRawJson callPartialArgs = new MutableRawJson();

    private final MutableTextBuffer out = new MutableTextBuffer();

    private boolean blockedChoice;

    /**
     * A chunk of one candidate whose content is one text part: the text (slot 0) varies, and the usage object
     * (slot 1, when there is one: Gemini resends it growing on every chunk) is taken whole and merged as usual.
     */
    private static final EventShape TEXT_CHUNK =
        EventShape.of(0).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text").build();
    private static final EventShape TEXT_USAGE_CHUNK =
        EventShape.of(1).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text")
            .raw("usageMetadata").build();
    private final DirectBuffer usageBytes = Buffers.wrap(new byte[0]);
    // What the chunk being read did, to decide whether it may be learnt: one candidate, one text part, no more.
    private boolean learnable;
    private int learnCandidates;
    private int learnParts;
    private boolean learnText;
    private boolean learntThought;
    private long learntIndex;
    private boolean usagePresent;
    private boolean usageAfterCandidates;

    public GeminiDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, GeminiReporting.INSTANCE);
        replayReader = new JsonReader(limits);
        streamedCall = new StreamedCall(this, aggregate);
    }

    @Override
    public Framer newFramer(final FrameListener listener)
    {
        return framer(listener, limits.framing());
    }

    /** @return Gemini's two transports behind one framer: a streamed JSON array when the body starts with {@code [}, else SSE. */
    static SniffingFramer framer(final FrameListener listener, final FramingLimits limits)
    {
        return new SniffingFramer((byte)'[', new JsonArrayFramer(listener, limits), new SseThenJsonFramer(listener, limits));
    }



    @Override
    public void reset()
    {
        super.reset();
        replayReader.abandon();
        streamedCall.reset();
        blockedChoice = false;
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        final int length = frame.length();
        if (length == 0)
        {
            return;
        }
        if (eventTemplate.match(frame.buffer(), frame.offset(), length))
        {
            foldRepeated();
            return;
        }
        eventTemplate.forget();
        learnable = true;
        learnCandidates = 0;
        learnParts = 0;
        learnText = false;
        learntThought = false;
        usagePresent = false;
        final int errorsBefore = aggregate.errorCount();
        json.beginObject(frame.buffer(), frame.offset(), length);
        boolean candidatesSeen = false;
        boolean failed = false;
        boolean feedbackSeen = false;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "candidates":
                    if (value == JsonToken.START_ARRAY)
                    {
                        while (json.next() == JsonToken.START_OBJECT)
                        {
                            candidatesSeen = true;
                            learnCandidates++;
                            readCandidate();
                        }
                        if (json.token() != JsonToken.END_ARRAY)
                        {
                            throw new JsonReader.BadPayload("candidates must hold objects");
                        }
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "usageMetadata":
                    usagePresent = value == JsonToken.START_OBJECT;
                    usageAfterCandidates = learnCandidates > 0;
                    mergeUsage(json);
                    break;
                case "error":
                    if (value != JsonToken.VALUE_NULL)
                    {
                        learnable = false;
                        providerError(json);
                        failed = true;
                    }
                    break;
                case "promptFeedback":
                    learnable = false;
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
                    feedbackSeen = value == JsonToken.START_OBJECT;
                    break;
                default:
                    captureKeepingNonEmpty(aggregate.meta(), name, json);
            }
        }
        json.finish();
        aggregate.start();
        if (feedbackSeen && !candidatesSeen && aggregate.choiceCount() == 0)
        {
            promptFeedback();
        }
        if (failed)
        {
            aggregate.end(Outcome.ERROR);
        }
        if (learnable && learnCandidates == 1 && learnParts == 1 && learnText && aggregate.errorCount() == errorsBefore)
        {
            eventTemplate.learn(frame.buffer(), frame.offset(), length, usagePresent ? TEXT_USAGE_CHUNK : TEXT_CHUNK);
        }
    }

    /**
     * A chunk that repeats the learnt one around a new text and usage: the learnt chunk's effects in its order
     * (the text part, the usage merge) with the new values; every other field repeats the learnt bytes.
     */
    private void foldRepeated() throws JsonReader.BadPayload
    {
        if (usagePresent && !usageAfterCandidates)
        {
            mergeRepeatedUsage();
        }
        final MutableChoice choice = aggregate.choiceForIndex(learntIndex);
        if (choice != null)
        {
            partSignature.clear();
            partExtra.clear();
            setPartText(eventTemplate.stringChars(0), 0, eventTemplate.stringLength(0));
            text(choice, learntThought ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
        }
        if (usagePresent && usageAfterCandidates)
        {
            mergeRepeatedUsage();
        }
        aggregate.start();
    }

    /** The usage object of a repeated chunk, already checked whole by the eventTemplate, merged as the full path does. */
    private void mergeRepeatedUsage() throws JsonReader.BadPayload
    {
        final int start = eventTemplate.valueStart(1);
        usageBytes.wrap(eventTemplate.input(), start, eventTemplate.valueEnd(1) - start);
        replayReader.begin(usageBytes, 0, usageBytes.capacity());
        mergeUsage(replayReader);
        replayReader.finish();
    }

    private void setPartText(final char[] chars, final int offset, final int length)
    {
        if (!partText.set(chars, offset, length, limits.maxTextChars()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "text part longer than " + limits.maxTextChars());
        }
    }

    @Override
    public boolean finishIsFinal()
    {
        // Vertex repeats finishReason on every chunk while the text still grows.
        return false;
    }

    @Override
    public boolean terminalSeenAtInputEnd()
    {
        // No terminal event in this protocol: the last candidate's finishReason is the provider's last word.
        return aggregate.allChoicesFinished();
    }

    @Override
    public String unfinished()
    {
        // Gemini has no terminal event: a response is whole when every candidate has its finishReason.
        if (!aggregate.allChoicesFinished())
        {
            return "before every candidate had a finishReason";
        }
        // Unless the body was cut inside something after that (an array element, the array's ']', a bare
        // JSON value): the framer has said where, and what was cut may have been an error.
        return framingTruncated() ? "" : null;
    }

    private boolean framingTruncated()
    {
        final List<StreamError> errors = aggregate.errors();
        for (int i = errors.size() - 1; i >= 0; i--)
        {
            if (errors.get(i).kind() == ErrorKind.TRUNCATED)
            {
                return true;
            }
        }
        return false;
    }

    /** A response without candidates: a blocked prompt finishes choice 0 with the block reason. */
    private void promptFeedback() throws JsonReader.BadPayload
    {
        final MutableRawJson feedback = aggregate.meta().get("promptFeedback");
        if (feedback == null || feedback.type() != MutableRawJson.Type.STRUCTURED)
        {
            return;
        }
        blockReason.clear();
        replayReader.begin(feedback);
        while (replayReader.next() == JsonToken.FIELD_NAME)
        {
            final String name = replayReader.name();
            if (replayReader.next() == JsonToken.VALUE_STRING && "blockReason".equals(name))
            {
                copyText(replayReader, blockReason, limits.maxTextChars());
            }
            else
            {
                replayReader.skip();
            }
        }
        replayReader.finish();
        if (blockReason.length() > 0)
        {
            final MutableChoice choice = aggregate.choiceForIndex(0);
            if (choice != null)
            {
                blockedChoice = true;
                aggregate.finish(choice, blockReason.array(), 0, blockReason.length());
            }
        }
    }

    /**
     * One candidate. Its index may follow its content (Gemini sends it last), so content and citations
     * are kept raw until the object ends and then read for the right choice.
     */
    private void readCandidate() throws JsonReader.BadPayload
    {
        long index = 0;
        boolean hasContent = false;
        boolean hasCitations = false;
        pendingExtra.clear();
        finishReason.clear();
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "index":
                    index = index(json, "candidates[].index");
                    learntIndex = index;
                    break;
                case "content":
                    if (value == JsonToken.START_OBJECT)
                    {
                        hasContent = keep(json, pendingContent, name);
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "citationMetadata":
                    learnable = false;
                    if (value == JsonToken.START_OBJECT)
                    {
                        hasCitations = keep(json, pendingCitations, name);
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                case "finishReason":
                    learnable = false;
                    if (value == JsonToken.VALUE_STRING)
                    {
                        copyText(json, finishReason, limits.maxTextChars());
                    }
                    else
                    {
                        json.skip();
                    }
                    break;
                default:
                    learnable = false;
                    captureKeepingNonEmpty(pendingExtra, name, json);
            }
        }
        learntIndex = index;
        final MutableChoice choice = index < 0 ? null : aggregate.choiceForIndex(index);
        if (choice == null)
        {
            return;
        }
        if (hasContent)
        {
            replayReader.begin(pendingContent);
            readContent(replayReader, choice);
            replayReader.finish();
        }
        if (hasCitations)
        {
            replayReader.begin(pendingCitations);
            readCitations(replayReader, choice);
            replayReader.finish();
        }
        merge(pendingExtra, choice.extra());
        if (finishReason.length() > 0 && (!choice.isFinished() || !choice.finishReason().contentEquals(finishReason)))
        {
            if (streamedCall.isOpenIn(choice))
            {
                streamedCall.close();
            }
            aggregate.finish(choice, finishReason.array(), 0, finishReason.length());
        }
    }

    private boolean keep(final JsonReader r, final MutableRawJson into, final String name) throws JsonReader.BadPayload
    {
        if (!r.capture(into))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "candidate " + name + " larger than " + limits.maxRawBytes() + " bytes");
            return false;
        }
        return true;
    }

    private void readCitations(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
    {
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if (CITATION_SOURCES.equals(name) && value == JsonToken.START_ARRAY)
            {
                if (!choice.messageExtra().fold(CITATION_SOURCES, r, limits))
                {
                    aggregate.error(ErrorKind.LIMIT_EXCEEDED, "citation sources dropped: limit");
                }
            }
            else
            {
                r.skip();
            }
        }
    }

    private void readContent(final JsonReader r, final MutableChoice choice) throws JsonReader.BadPayload
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
                    learnParts++;
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
                        learnText = true;
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "thought":
                    thought = value == JsonToken.VALUE_TRUE;
                    learntThought = thought;
                    break;
                case "thoughtSignature":
                    learnable = false;
                    if (value == JsonToken.VALUE_STRING)
                    {
                        copyText(r, partSignature, limits.maxTextChars());
                    }
                    else
                    {
                        r.skip();
                    }
                    break;
                case "functionCall":
                    learnable = false;
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
                            copyText(r, callName, limits.maxTextChars());
                        }
                        else if ("id".equals(field) && v == JsonToken.VALUE_STRING)
                        {
                            copyText(r, callId, limits.maxTextChars());
                        }
                        else if ("args".equals(field) && v != JsonToken.VALUE_NULL)
                        {
                            hasArgs = keep(r, callArgs, "functionCall.args");
                        }
                        else if ("partialArgs".equals(field) && v == JsonToken.START_ARRAY)
                        {
                            hasPartialArgs = keep(r, callPartialArgs, "functionCall.partialArgs");
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
                    learnable = false;
                    captureKeepingNonEmpty(partExtra, name, r);
            }
        }
        if (hasCall)
        {
            functionCall(choice, hasArgs, hasPartialArgs, callContinues);
        }
        else if (hasText)
        {
            text(choice, thought ? MutablePart.Kind.REASONING : MutablePart.Kind.TEXT);
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
                merge(partExtra, part.extra());
                part.signature().set(partSignature, limits.maxTextChars());
                aggregate.endPart(choice, part);
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
        merge(partExtra, part.extra());
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
        merge(partExtra, call.extra());
        aggregate.toolCallStarted(choice, call);
        if (hasArgs)
        {
            out.set(callArgs.json(), Integer.MAX_VALUE);
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

    /** Copies every field of {@code from} into {@code to}, a null never replacing a value already there. */
    private void merge(final MutableRawFields from, final MutableRawFields to)
    {
        for (int i = 0; i < from.size(); i++)
        {
            final MutableRawJson value = from.value(i);
            final MutableRawJson existing = to.get(from.name(i));
            if (value.isNullish() && existing != null && !existing.isNullish())
            {
                continue;
            }
            final MutableRawJson slot = to.slot(from.name(i), limits.maxRawFields());
            if (slot == null)
            {
                aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxRawFields() + " fields; '" + from.name(i) + "' dropped");
                continue;
            }
            slot.copyFrom(value);
        }
    }

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        GeminiWriter.write(result, blockedChoice, g);
    }
}
