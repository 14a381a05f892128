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
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.sse.SseThenJsonFramer;

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

    private final MutableRawJson pendingContent = new MutableRawJson();
    private final MutableRawJson pendingCitations = new MutableRawJson();
    private final MutableRawFields pendingExtra = new MutableRawFields();
    private final MutableTextBuffer finishReason = new MutableTextBuffer();
    private final MutableTextBuffer blockReason = new MutableTextBuffer();

    private boolean blockedChoice;
    private final GeminiFastPath fastPath;
    private final ContentParts parts;
    /** Reads a chunk the fast path did not fold from its bytes, when it holds only what the scan reads. */
    private final GeminiScan scan;

    public GeminiDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, GeminiReporting.INSTANCE);
        replayReader = new JsonReader(limits);
        fastPath = new GeminiFastPath(this, aggregate, limits, eventTemplate);
        parts = new ContentParts(this, aggregate, limits, fastPath);
        scan = new GeminiScan(this, aggregate, limits);
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
        fastPath.reset();
        scan.reset();
        replayReader.abandon();
        parts.reset();
        blockedChoice = false;
    }

    /** The learnt chunk answers the framer's line-end hint (SSE streams): its line is not scanned a second time. */
    @Override
    public boolean hintsDataLines()
    {
        return true;
    }

    @Override
    protected int matchDataLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        return fastPath.matchLine(src, from, to, lineOffset);
    }

    /** The chunk the framer offers whole, in place of its frame: the data line the hint matched last. */
    @Override
    public boolean foldHinted()
    {
        return fastPath.foldHinted();
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        final int length = frame.length();
        if (length == 0)
        {
            return;
        }
        if (fastPath.foldIfRepeated(frame.buffer(), frame.offset(), length, frame.streamOffset()) || scan.read(frame))
        {
            return;
        }
        fastPath.begin();
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
                            fastPath.candidate();
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
                    fastPath.usage(value == JsonToken.START_OBJECT);
                    mergeUsage(json);
                    break;
                case "error":
                    if (value != JsonToken.VALUE_NULL)
                    {
                        fastPath.notLearnable();
                        providerError(json);
                        failed = true;
                    }
                    break;
                case "promptFeedback":
                    fastPath.notLearnable();
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
        fastPath.end(frame.buffer(), frame.offset(), length);
    }

    /** A repeated chunk's text part (see {@link GeminiFastPath}). */
    void repeatedText(final MutableChoice choice, final char[] chars, final int length, final boolean thought)
    {
        parts.repeatedText(choice, chars, length, thought);
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
                    fastPath.candidateIndex(index);
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
                    fastPath.notLearnable();
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
                    captureKeepingNonEmpty(pendingExtra, name, json);
            }
        }
        final MutableChoice choice = candidateChoice(index);
        if (choice == null)
        {
            return;
        }
        if (hasContent)
        {
            replayReader.begin(pendingContent);
            parts.readContent(replayReader, choice);
            replayReader.finish();
        }
        if (hasCitations)
        {
            replayReader.begin(pendingCitations);
            readCitations(replayReader, choice);
            replayReader.finish();
        }
        endCandidate(choice);
    }

    /** A candidate's members were gathered: the choice its index names (null when none: the candidate is dropped). */
    MutableChoice candidateChoice(final long index)
    {
        fastPath.candidateIndex(index);
        return index < 0 ? null : aggregate.choiceForIndex(index);
    }

    /** A candidate's content was read into {@code choice}: its other fields kept, its finish reason applied. */
    void endCandidate(final MutableChoice choice)
    {
        merge(pendingExtra, choice.extra());
        if (finishReason.length() > 0 && (!choice.isFinished() || !choice.finishReason().contentEquals(finishReason)))
        {
            parts.finishing(choice);
            aggregate.finish(choice, finishReason.array(), 0, finishReason.length());
        }
        if (finishReason.length() > 0)
        {
            fastPath.finishReason(choice.isFinished() && choice.finishReason().contentEquals(finishReason));
        }
    }

    /** @return where a candidate's other fields are gathered until it ends (cleared by whoever reads a candidate). */
    MutableRawFields pendingExtra()
    {
        return pendingExtra;
    }

    /** @return where a candidate's finish reason is gathered until it ends. */
    MutableTextBuffer finishReason()
    {
        return finishReason;
    }

    /** @return chunks read by the byte scan so far (for tests: the scan is taken where it should be). */
    long scannedChunks()
    {
        return scan.folds();
    }

    /** @return whether chunks are read by a byte scan first (off with the fast path: tests compare both ways). */
    boolean scans()
    {
        return eventTemplate.enabled();
    }

    GeminiFastPath fastPath()
    {
        return fastPath;
    }

    ContentParts parts()
    {
        return parts;
    }

    boolean keep(final JsonReader r, final MutableRawJson into, final String name) throws JsonReader.BadPayload
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

    /** Copies every field of {@code from} into {@code to}, a null never replacing a value already there. */
    void merge(final MutableRawFields from, final MutableRawFields to)
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
