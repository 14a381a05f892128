package io.streamfold.cli;

/**
 * The input cannot be read as a stream at all (missing file, empty input, unsupported format, nothing
 * recognisable): the command prints the message as one line on stderr and exits with
 * {@link Main#EXIT_UNUSABLE}.
 */
final class UnusableInputException extends Exception
{
    private static final long serialVersionUID = 1L;

    UnusableInputException(final String message)
    {
        super(message, null, false, false);
    }
}
