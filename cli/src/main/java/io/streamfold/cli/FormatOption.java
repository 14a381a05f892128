package io.streamfold.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.streamfold.aggregator.Format;
import io.streamfold.parser.StreamError;
import picocli.CommandLine;

/** {@code --format} values by their CLI names, and the one-line rendering of errors every command shares. */
final class FormatOption implements CommandLine.ITypeConverter<Format>
{
    @Override
    public Format convert(final String value)
    {
        try
        {
            return Format.fromName(value);
        }
        catch (final IllegalArgumentException e)
        {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The names shown in help and offered for completion. */
    static final class Names implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            final List<String> names = new ArrayList<>();
            for (final Format format : Format.values())
            {
                names.add(format.cliName());
            }
            return names.iterator();
        }
    }

    /**
     * @param error a stream error.
     * @return one line: kind, event number, byte offset, message.
     */
    static String describe(final StreamError error)
    {
        return "error " + error.kind() +
            " event " + (error.eventNumber() < 0 ? "-" : Long.toString(error.eventNumber())) +
            " offset " + error.byteOffset() +
            ": " + Input.firstLine(error.message());
    }
}
