package io.streamfold.aggregator;

import java.util.ArrayList;
import java.util.List;

import io.streamfold.parser.StreamError;

/** Records every listener event as text, so two runs over differently sliced input compare with one equals. */
final class BedrockRecorder implements StreamListener
{
    final List<String> events = new ArrayList<>();

    @Override
    public void onMessageStart(final CharSequence id, final CharSequence model)
    {
        events.add("start id=" + id + " model=" + model);
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
        events.add("toolStart " + choice + "/" + toolIndex + " id=" + id + " name=" + name);
    }

    @Override
    public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
        events.add("toolArgs " + choice + "/" + toolIndex + " " + fragment);
    }

    @Override
    public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
    {
        events.add("toolEnd " + choice + "/" + toolIndex + " " + call.text());
    }

    @Override
    public void onUsage(final Usage usage)
    {
        events.add("usage " + usage);
    }

    @Override
    public void onFinish(final int choice, final CharSequence reason)
    {
        events.add("finish " + choice + " " + reason);
    }

    @Override
    public void onError(final StreamError error)
    {
        events.add("error " + error.kind() + " " + error.message());
    }

    @Override
    public void onEnd(final Outcome outcome)
    {
        events.add("end " + outcome);
    }
}
