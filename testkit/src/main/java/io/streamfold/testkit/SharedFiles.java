package io.streamfold.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the read-only {@code shared/} folder (corpus, conformance vectors, seed) that lies beside the
 * clone. Tests that need it call {@link #require()}, which skips them cleanly where it is absent.
 */
public final class SharedFiles
{
    private SharedFiles()
    {
    }

    /** @return the shared folder, or null when it cannot be found. */
    public static Path find()
    {
        final String configured = System.getProperty("streamfold.shared", System.getenv("STREAMFOLD_SHARED"));
        if (configured != null && Files.isDirectory(Paths.get(configured)))
        {
            return Paths.get(configured).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent())
        {
            final Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("corpus")))
            {
                return candidate;
            }
        }
        return null;
    }

    /** @return the shared folder; skips the calling test when it is absent. */
    public static Path require()
    {
        final Path shared = find();
        Assumptions.assumeTrue(shared != null, "shared/ folder not found beside the clone; skipping");
        return shared;
    }

    /** @return the files of one corpus format folder (e.g. {@code openai-chat}) with the given suffix, sorted. */
    public static List<Path> corpus(final String format, final String suffix)
    {
        final Path dir = require().resolve("corpus").resolve(format);
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus/" + format + " not found; skipping");
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the bytes of a file. */
    public static byte[] read(final Path path)
    {
        try
        {
            return Files.readAllBytes(path);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
