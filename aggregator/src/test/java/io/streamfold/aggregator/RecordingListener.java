package io.streamfold.aggregator;

import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;

/**
 * Writes every listener event down as one line of text, copying the views it is handed; keeps the errors
 * and the outcome as objects, and counts the ends. The one recorder the aggregator tests share.
 */
public final class RecordingListener implements StreamListener
{
    public final List<String> events = new ArrayList<>();
    public final List<StreamError> errors = new ArrayList<>();
    public Outcome outcome;
    public int ends;

    @Override
    public void onMessageStart(final CharSequence id, final CharSequence model)
    {
        events.add("start " + id + " " + model);
    }

    @Override
    public void onTextDelta(final int choice, final CharSequence text)
    {
        events.add("text " + choice + " " + text);
    }

    @Override
    public void onReasoningDelta(final int choice, final CharSequence text)
    {
        events.add("reasoning " + choice + " " + text);
    }

    @Override
    public void onRefusalDelta(final int choice, final CharSequence text)
    {
        events.add("refusal " + choice + " " + text);
    }

    @Override
    public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
    {
        events.add("tool " + choice + " " + toolIndex + " " + id + " " + name);
    }

    @Override
    public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
        events.add("args " + choice + " " + toolIndex + " " + fragment);
    }

    @Override
    public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
    {
        events.add("toolEnd " + choice + " " + toolIndex + " " + call.text());
    }

    @Override
    public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
    {
        events.add("logprob " + choice + " " + (refusal ? "refusal " : "content ") + token + " " + logprob);
    }

    @Override
    public void onTokenId(final int choice, final long tokenId)
    {
        events.add("token " + choice + " " + tokenId);
    }

    @Override
    public void onUsage(final Usage usage)
    {
        events.add("usage " + usage.inputTokens() + "/" + usage.outputTokens() + "/" + usage.totalTokens());
    }

    @Override
    public void onFinish(final int choice, final CharSequence reason)
    {
        events.add("finish " + choice + " " + reason);
    }

    @Override
    public void onError(final StreamError error)
    {
        errors.add(error);
        events.add("error " + error.kind() + " " + error.eventNumber());
    }

    @Override
    public void onEnd(final Outcome outcome)
    {
        this.outcome = outcome;
        ends++;
        events.add("end " + outcome);
    }

    public List<String> starting(final String prefix)
    {
        final List<String> found = new ArrayList<>();
        for (final String e : events)
        {
            if (e.startsWith(prefix))
            {
                found.add(e);
            }
        }
        return found;
    }

    /** @return every line, each ended by a newline. */
    public String log()
    {
        final StringBuilder sb = new StringBuilder();
        for (final String e : events)
        {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** @return the text deltas of choice 0 joined: what a gateway forwarding text would have sent. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        for (final String e : events)
        {
            if (e.startsWith("text 0 "))
            {
                sb.append(e, 7, e.length());
            }
        }
        return sb.toString();
    }
}
