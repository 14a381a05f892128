package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
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
 * This class reads the chunk's envelope; {@link ChoiceReader} reads each choice.
 */
public final class OpenAiChatDialect extends Dialect
{
    static final String LEGACY_FUNCTION_CALL = ToolCallDecoder.LEGACY_FUNCTION_CALL;

    /** The fast path: watches each payload the decoder reads, and folds the ones that repeat a learnt chunk. */
    private final ChunkLearner learner;
    private final ChoiceReader choices;
    /** Reads a chunk the fast path did not fold scan-first, when it holds only what the scan reads. */
    private final ChunkScan scan;
    private final MutableRawFields xGroq = new MutableRawFields();
    /** Whether this stream sent a chat completion chunk yet (see {@link #chunkRead}). */
    private boolean chunkSeen;
    /**
     * Whether a choice's text came as a legacy completion's {@code text}, with no delta, and whether any choice came
     * with a delta: a stream of the first kind only is /v1/completions' (one choice with an empty text beside a chat's
     * tool calls does not make a chat stream a completion).
     */
    private boolean completions;
    private boolean deltaChoices;

    public OpenAiChatDialect(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        super(aggregate, limits, OpenAiChatReporting.INSTANCE);
        final LogprobEntries logprobs = new LogprobEntries(aggregate, limits);
        learner = new ChunkLearner(aggregate, limits, eventTemplate, logprobs);
        final ToolCallDecoder toolCalls = new ToolCallDecoder(this, aggregate, limits, learner, json);
        final FilterResults filterResults = new FilterResults(this, limits);
        choices = new ChoiceReader(this, aggregate, limits, learner, json, logprobs, toolCalls, filterResults);
        scan = new ChunkScan(this, aggregate, limits, learner, logprobs, xGroq, toolCalls, filterResults);
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

    /** The learnt chunk answers the framer's line-end hint: its line is not scanned a second time. */
    @Override
    public boolean hintsDataLines()
    {
        return true;
    }

    @Override
    protected int matchDataLine(final byte[] src, final int from, final int to, final long lineOffset)
    {
        return learner.matchLine(src, from, to, lineOffset);
    }

    @Override
    public boolean foldHinted()
    {
        return learner.foldHinted();
    }

    /** @return chunks read scan-first so far (not by the token reader). */
    long scannedChunks()
    {
        return scan.folds();
    }

    @Override
    public void reset()
    {
        super.reset();
        choices.reset();
        scan.reset();
        xGroq.clear();
        learner.forget();
        chunkSeen = false;
        completions = false;
        deltaChoices = false;
    }

    /** A choice's text came as a legacy completion's, with no delta: the result is a {@code text_completion}. */
    void completionText()
    {
        completions = true;
    }

    /** A choice came with a delta or message: a chat stream, never written as a legacy completion. */
    void deltaChoice()
    {
        deltaChoices = true;
    }

    /** @return whether this stream sent a chat completion chunk yet ({@link #chunkRead}). */
    boolean chunkSeen()
    {
        return chunkSeen;
    }

    /**
     * Ends a chunk read in full, by the scan or the token reader. {@code recognised}: it held choices, usage, x_groq,
     * an error or an object, what every chat completion chunk holds one of. Until the stream's first such chunk, an
     * event with none of them belongs to a format the detector took for chat (Cohere's, Gemini Interactions', TGI's
     * native stream, all with no marker it knows): its members are not kept as the response's, and it is reported, so
     * that such a stream folds to nothing said to be unrecognised rather than to an empty answer called complete.
     * After one, an odd event keeps its members as metadata, as any chunk's.
     *
     * @return false when the event was not folded.
     */
    boolean chunkRead(final boolean recognised)
    {
        if (recognised || chunkSeen)
        {
            chunkSeen = true;
            return true;
        }
        aggregate.meta().clear();
        learner.refuse();
        aggregate.error(ErrorKind.MALFORMED_JSON, "not a chat completion chunk (no choices, usage or error) before any " +
            "that is; not folded");
        return false;
    }

    @Override
    public void onFrame(final Frame frame) throws JsonReader.BadPayload
    {
        // Kept small so that a repeated chunk's fold compiles into the framer's call; the full reader is a call away.
        if (frame.length() == 0 || frame.payloadEquals("[DONE]") || !learner.foldOrWatch(frame))
        {
            readChunk(frame);
        }
    }

    /** An empty payload, the end marker, or a chunk the fast path did not fold, read by the JSON reader. */
    private void readChunk(final Frame frame) throws JsonReader.BadPayload
    {
        final int length = frame.length();
        if (length == 0)
        {
            return;
        }
        if (frame.payloadEquals("[DONE]"))
        {
            if (!chunkSeen)
            {
                // Nothing answered: the response is not whole, whatever the end marker says.
                aggregate.error(ErrorKind.MALFORMED_JSON, "[DONE] before any chat completion chunk");
                aggregate.end(Outcome.ERROR);
                return;
            }
            aggregate.start();
            aggregate.end(aggregate.providerError().isNullish() ? Outcome.COMPLETE : Outcome.ERROR);
            return;
        }
        if (learner.enabled() && scan.read(frame))
        {
            // With the fast path off (tests compare both), every chunk is read by the token reader below.
            return;
        }
        json.beginObject(frame.buffer(), frame.offset(), length, repeatedEnvelope(frame));
        boolean errorSeen = false;
        boolean recognised = false;
        while (json.next() == JsonToken.FIELD_NAME)
        {
            final String name = json.name();
            final JsonToken value = json.next();
            switch (name)
            {
                case "choices":
                    recognised = true;
                    aggregate.start();
                    if (value == JsonToken.START_ARRAY)
                    {
                        while (json.next() == JsonToken.START_OBJECT)
                        {
                            choices.readChoice(json);
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
                    recognised = true;
                    learner.noteUsage(value);
                    mergeUsage(json);
                    break;
                case "x_groq":
                    recognised = true;
                    learner.refuse();
                    readXGroq();
                    break;
                case "error":
                    recognised = true;
                    if (value != JsonToken.VALUE_NULL)
                    {
                        learner.refuse();
                        providerError(json);
                        errorSeen = true;
                    }
                    break;
                case "object":
                    recognised = true;
                    learner.noteObject(value, json);
                    json.skip();
                    break;
                case "created":
                    // Azure's filter-only chunks say "created": 0 beside an empty id and model: a placeholder.
                    if (value == JsonToken.VALUE_NUMBER_INT && json.text().contentEquals("0") &&
                        aggregate.meta().has("created"))
                    {
                        break;
                    }
                    learner.noteCreated(value, aggregate.meta().get(name), json.text());
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
        if (!chunkRead(recognised))
        {
            return;
        }
        aggregate.start();
        learner.end(json, errorSeen);
        if (errorSeen)
        {
            // An in-band error object is the provider's last word (OpenRouter, Groq's event: error); the
            // rest of its chunk (usage) was folded above.
            aggregate.end(Outcome.ERROR);
        }
    }

    /**
     * @return how many bytes open the chunk with members repeating the metadata kept now, which the reader need not
     * read again ({@link RepeatedEnvelope}); 0 with the fast path off (tests compare both) or for a buffer with no array.
     */
    private int repeatedEnvelope(final Frame frame)
    {
        final byte[] array = frame.buffer().byteArray();
        // Before the first chunk every member is read: one passed over (an object) could be what makes an event one.
        if (array == null || !learner.enabled() || !chunkSeen)
        {
            return 0;
        }
        final int from = (int)frame.buffer().wrapAdjustment() + frame.offset();
        return RepeatedEnvelope.skippable(array, from, from + frame.length(), aggregate.meta(), limits.maxNumberLength(),
            JsonReader.maxStringChars(limits));
    }

    @Override
    public String unfinished()
    {
        if (!chunkSeen)
        {
            return "before any chat completion chunk";
        }
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

    @Override
    public void write(final MutableAggregate result, final JsonGenerator g) throws IOException
    {
        OpenAiChatWriter.write(result, xGroq, completions && !deltaChoices, g);
    }
}
