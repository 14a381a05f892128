package io.streamfold.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The standard streams a command runs against: the real ones from {@link Main#main}, captured ones in tests,
 * so that every command can be exercised in-process exactly as a shell would run it.
 */
final class Terminal
{
    final InputStream in;
    final OutputStream out;
    final PrintStream err;

    Terminal(final InputStream in, final OutputStream out, final PrintStream err)
    {
        this.in = in;
        this.out = out;
        this.err = err;
    }
}
