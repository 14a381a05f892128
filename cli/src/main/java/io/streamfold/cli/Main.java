package io.streamfold.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code streamfold} command: fold recorded or piped LLM streams into the complete response at the terminal.
 * Subcommands: {@code aggregate} (the final JSON), {@code events} (the SSE events, one JSON line each),
 * {@code bench} (throughput on files held in memory) and {@code proxy} (a tapping reverse proxy).
 */
@Command(
    name = "streamfold",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Folds streamed LLM API responses (SSE, NDJSON, streamed JSON arrays, recorded cassettes) "
        + "back into the complete response.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = "Run 'streamfold COMMAND --help' for a command's options.")
public final class Main implements Callable<Integer>
{
    /** Exit code: the stream was read and is complete. */
    static final int EXIT_OK = 0;
    /** Exit code: the input could not be used at all; one line on stderr says why. */
    static final int EXIT_UNUSABLE = 2;
    /** Exit code: the stream was truncated or had errors; what was rebuilt is still printed. */
    static final int EXIT_INCOMPLETE = 3;
    /** Exit code: the reader of standard output went away early ({@code | head}); 128 + SIGPIPE, as a shell reports it. */
    static final int EXIT_READER_GONE = 141;

    @Spec
    private CommandSpec spec;

    private Main()
    {
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        // Commands flush at the points a reader should see output; buffering spares a syscall per line.
        final BufferedOutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        final int exitCode = commandLine(new Terminal(System.in, stdout, System.err)).execute(args);
        try
        {
            stdout.flush();
        }
        catch (final IOException ignore)
        {
            // stdout closed early (| head): nothing left to tell anyone.
        }
        System.exit(exitCode);
    }

    /** @return the command line wired to the given streams, as {@link #main} runs it; tests call this. */
    static CommandLine commandLine(final Terminal unguarded)
    {
        final Terminal terminal = new Terminal(unguarded.in, new GuardedStdout(unguarded.out), unguarded.err);
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.addSubcommand(new AggregateCommand(terminal));
        commandLine.addSubcommand(new EventsCommand(terminal));
        commandLine.addSubcommand(new BenchCommand(terminal));
        commandLine.addSubcommand(new ProxyCommand(terminal));
        commandLine.addSubcommand(new CommandLine.HelpCommand());
        commandLine.setOut(writer(terminal.out));
        commandLine.setErr(writer(terminal.err));
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> internalError(e, terminal));
        return commandLine;
    }

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_UNUSABLE;
    }

    /** One line for a bad command line, rather than the whole usage text picocli prints by default. */
    private static int usageError(final CommandLine.ParameterException e, final String[] args)
    {
        final CommandLine commandLine = e.getCommandLine();
        final String name = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(
            name + ": " + Input.firstLine(e.getMessage()) + " (see '" + name + " --help')");
        commandLine.getErr().flush();
        return EXIT_UNUSABLE;
    }

    private static int internalError(final Exception e, final Terminal terminal)
    {
        final GuardedStdout.Failed stdoutFailed = GuardedStdout.find(e);
        if (stdoutFailed != null)
        {
            // Not a defect: the reader closed the pipe (| head) and wants nothing more, or the output device
            // failed, which one line explains.
            if (stdoutFailed.readerGone())
            {
                return EXIT_READER_GONE;
            }
            terminal.err.println("streamfold: " + stdoutFailed.getMessage());
            return EXIT_UNUSABLE;
        }
        // A defect in streamfold, never the input's fault: say so and keep the trace for the bug report.
        terminal.err.println("streamfold: internal error: " + e);
        e.printStackTrace(terminal.err);
        return 1;
    }

    private static PrintWriter writer(final OutputStream out)
    {
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    /** The version from the jar's manifest, "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[]
            {
                "streamfold " + (version == null ? "dev" : version),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
