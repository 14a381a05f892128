package io.streamfold.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One in-process run of the command line, as a shell would see it: exit code, stdout, stderr. */
final class CliRun
{
    final int exitCode;
    final String out;
    final String err;

    private CliRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static CliRun run(final String... args)
    {
        return withStdin(new ByteArrayInputStream(new byte[0]), args);
    }

    static CliRun withStdin(final InputStream stdin, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        final int exitCode = Main.commandLine(new Terminal(stdin, out, errStream)).execute(args);
        errStream.flush();
        return new CliRun(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> outLines()
    {
        return lines(out);
    }

    List<String> errLines()
    {
        return lines(err);
    }

    private static List<String> lines(final String text)
    {
        if (text.isEmpty())
        {
            return List.of();
        }
        final String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return Arrays.asList(body.split("\n", -1));
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
