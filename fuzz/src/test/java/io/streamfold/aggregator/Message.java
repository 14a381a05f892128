package io.streamfold.aggregator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.RawFields;

/**
 * A complete message in a provider-independent, comparable shape: what a generator meant to send, what
 * the oracle folded, and what the fast path folded are all turned into this and compared with equals.
 */
record Message(Map<Long, Message.ChoiceModel> choices, Map<String, String> usage)
{
    record Call(String id, String name, String arguments)
    {
    }

    record ChoiceModel(String text, String reasoning, List<Call> calls, String finishReason, List<Long> tokenIds)
    {
    }

    /** The fast path's result in this shape. */
    static Message of(final Aggregate a)
    {
        final Builder b = new Builder();
        for (final Choice c : a.choices())
        {
            final Builder.ChoiceBuilder cb = b.choice(c.index());
            cb.text.append(c.joined(Part.Kind.TEXT));
            cb.reasoning.append(c.joined(Part.Kind.REASONING));
            long i = 0;
            for (final Part p : c.toolCalls())
            {
                final Builder.CallBuilder call = cb.call(i++);
                call.id = p.id().toString();
                call.name = p.name().toString();
                call.arguments.append(p.text());
            }
            cb.finishReason = c.finishReason().toString();
            for (final long id : c.tokenIds())
            {
                cb.tokenIds.add(id);
            }
        }
        final RawFields usage = a.usage().fields();
        for (int i = 0; i < usage.size(); i++)
        {
            b.usage.put(usage.name(i), usage.value(i).json());
        }
        return b.build();
    }

    /** Mutable form, filled in arrival order. */
    static final class Builder
    {
        final Map<Long, ChoiceBuilder> choices = new TreeMap<>();
        final Map<String, String> usage = new LinkedHashMap<>();

        ChoiceBuilder choice(final long index)
        {
            return choices.computeIfAbsent(index, k -> new ChoiceBuilder());
        }

        Message build()
        {
            final Map<Long, ChoiceModel> built = new TreeMap<>();
            for (final Map.Entry<Long, ChoiceBuilder> e : choices.entrySet())
            {
                final ChoiceBuilder c = e.getValue();
                final List<Call> calls = new ArrayList<>();
                for (final CallBuilder call : c.calls.values())
                {
                    calls.add(new Call(call.id, call.name, call.arguments.toString()));
                }
                built.put(e.getKey(), new ChoiceModel(c.text.toString(), c.reasoning.toString(), calls, c.finishReason,
                    List.copyOf(c.tokenIds)));
            }
            return new Message(built, new TreeMap<>(usage));
        }

        static final class ChoiceBuilder
        {
            final StringBuilder text = new StringBuilder();
            final StringBuilder reasoning = new StringBuilder();
            final Map<Long, CallBuilder> calls = new TreeMap<>();
            final List<Long> tokenIds = new ArrayList<>();
            String finishReason = "";

            CallBuilder call(final long index)
            {
                return calls.computeIfAbsent(index, k -> new CallBuilder());
            }
        }

        static final class CallBuilder
        {
            String id = "";
            String name = "";
            final StringBuilder arguments = new StringBuilder();
        }
    }
}
