package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.JsonReader;

import static io.streamfold.aggregator.internal.dialect.Dialect.abbreviate;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.FAILED;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.INCOMPLETE;

/**
 * The events that decide a Responses stream's outcome (see {@link OpenAiResponsesDialect}'s rules): the terminal
 * {@code response.completed}, {@code response.incomplete} and {@code response.failed}, read for their final response and
 * turned into the finish and outcome, and the {@code error} event, whose provider error is kept.
 */
final class TerminalEvents
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final OutputItems items;
    private final ResponseReader responses;
    private final GatheredEvent event;
    /** Replays the fields of the kept incomplete_details. */
    private final JsonReader inner;
    /** The incomplete_details reason, kept for the finish. */
    private final MutableTextBuffer finalText = new MutableTextBuffer();

    TerminalEvents(final MutableAggregate aggregate, final AggregationLimits limits, final OutputItems items, final ResponseReader responses,
        final GatheredEvent event, final JsonReader inner)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        this.items = items;
        this.responses = responses;
        this.event = event;
        this.inner = inner;
    }

    /** A terminal event: its final response read, then choice 0 finished and the outcome decided. */
    void onTerminal() throws JsonReader.BadPayload
    {
        final MutableChoice c = items.choice();
        if (event.structured(GatheredEvent.RESPONSE))
        {
            responses.read(true);
        }
        aggregate.start();
        if (c == null)
        {
            aggregate.end(Outcome.ERROR);
            return;
        }
        if (event.type == FAILED)
        {
            final MutableRawJson error = aggregate.meta().get("error");
            if (aggregate.providerError().isNullish())
            {
                if (error != null && !error.isNullish())
                {
                    aggregate.providerErrorSlot().copyFrom(error);
                    aggregate.providerErrorReported();
                }
                else
                {
                    aggregate.providerErrorReported("response.failed without an error object");
                }
            }
            aggregate.finish(c, "failed");
            aggregate.end(Outcome.ERROR);
            return;
        }
        if (event.type == INCOMPLETE)
        {
            aggregate.finish(c, incompleteReason());
        }
        else
        {
            aggregate.finish(c, "completed");
        }
        aggregate.end(aggregate.providerError().isNullish() ? Outcome.COMPLETE : Outcome.ERROR);
    }

    private CharSequence incompleteReason() throws JsonReader.BadPayload
    {
        final MutableRawJson details = aggregate.meta().get("incomplete_details");
        if (details != null && details.type() == MutableRawJson.Type.STRUCTURED)
        {
            inner.begin(details);
            CharSequence reason = null;
            while (inner.next() == JsonToken.FIELD_NAME)
            {
                final String field = inner.name();
                if (inner.next() == JsonToken.VALUE_STRING && "reason".equals(field) && inner.text().length() > 0)
                {
                    finalText.set(inner.text(), limits.maxTextChars());
                    reason = finalText;
                }
                else
                {
                    inner.skip();
                }
            }
            inner.finish();
            if (reason != null)
            {
                return reason;
            }
        }
        return "incomplete";
    }

    /** An {@code error} event: its error (the object, or the fields beside its type) kept as the provider's. */
    void onErrorEvent()
    {
        if (event.error.type() == MutableRawJson.Type.STRUCTURED || event.error.type() == MutableRawJson.Type.STRING)
        {
            aggregate.providerErrorSlot().copyFrom(event.error);
        }
        else
        {
            // The documented shape puts code, message and param beside type.
            final StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < event.errorFields.size(); i++)
            {
                sb.append(i > 0 ? "," : "").append(MutableRawJson.quote(event.errorFields.name(i))).append(':').append(event.errorFields.value(i).json());
            }
            final byte[] bytes = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
            aggregate.providerErrorSlot().setStructured(bytes, 0, bytes.length, Integer.MAX_VALUE);
        }
        aggregate.providerErrorReported();
    }
}
