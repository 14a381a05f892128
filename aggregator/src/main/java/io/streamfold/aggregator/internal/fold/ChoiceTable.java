package io.streamfold.aggregator.internal.fold;

import java.util.ArrayList;
import java.util.List;

/**
 * The choices of one aggregate in arrival order, found by provider index. Choices dropped by a reset are kept
 * as spares and reused, so a reused aggregator allocates none for a stream shaped like the last.
 */
final class ChoiceTable
{
    private final ArrayList<MutableChoice> choices = new ArrayList<>();
    private final ArrayList<MutableChoice> spares = new ArrayList<>();
    /** The choice {@link #find} returned last, or null: always one of {@link #choices}. */
    private MutableChoice found;
    private StopReasonTable stopReasons;
    /** The result's budget new choices charge; null in a snapshot. */
    private final ResultBudget budget;

    ChoiceTable(final ResultBudget budget)
    {
        this.budget = budget;
    }

    /** The dialect's finish words, for the choices there are and those to come. */
    void stopReasons(final StopReasonTable table)
    {
        stopReasons = table;
        for (int i = 0; i < choices.size(); i++)
        {
            choices.get(i).stopReasons(table);
        }
    }

    int size()
    {
        return choices.size();
    }

    MutableChoice at(final int i)
    {
        return choices.get(i);
    }

    /** @return the choice with provider index {@code index}, or null. */
    MutableChoice find(final long index)
    {
        // Nearly every event names the choice the one before named: a field load and a compare, not a list walk.
        final MutableChoice last = found;
        if (last != null && last.index() == index)
        {
            return last;
        }
        for (int i = 0; i < choices.size(); i++)
        {
            final MutableChoice c = choices.get(i);
            if (c.index() == index)
            {
                found = c;
                return c;
            }
        }
        return null;
    }

    /** @return a new choice with provider index {@code index}, a spare when there is one. */
    MutableChoice add(final long index)
    {
        final MutableChoice c;
        if (spares.isEmpty())
        {
            c = new MutableChoice(budget);
            if (budget != null)
            {
                budget.made();
            }
        }
        else
        {
            c = spares.remove(spares.size() - 1);
        }
        c.init(index);
        c.stopReasons(stopReasons);
        choices.add(c);
        return c;
    }

    /** @return the choices ordered by their index (allocates the list). */
    List<MutableChoice> sorted()
    {
        final List<MutableChoice> sorted = new ArrayList<>(choices);
        sorted.sort((a, b) -> Long.compare(a.index(), b.index()));
        return sorted;
    }

    /** @return true when every choice has finished and at least one exists. */
    boolean allFinished()
    {
        if (choices.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < choices.size(); i++)
        {
            if (!choices.get(i).isFinished())
            {
                return false;
            }
        }
        return true;
    }

    void clear()
    {
        // Not addAll: it copies the list into a new array first, on every reset.
        for (int i = 0, n = choices.size(); i < n; i++)
        {
            spares.add(choices.get(i));
        }
        choices.clear();
        found = null;
    }

    /** Drops every choice and spare, with their parts and buffers (a reset that does not pool them). */
    void release()
    {
        found = null;
        choices.clear();
        spares.clear();
    }

    /** Copies every choice of {@code other} into new choices (a snapshot keeps no spares). */
    void copyFrom(final ChoiceTable other)
    {
        stopReasons = other.stopReasons;
        for (int i = 0; i < other.choices.size(); i++)
        {
            final MutableChoice c = new MutableChoice();
            c.copyFrom(other.choices.get(i));
            choices.add(c);
        }
    }
}
