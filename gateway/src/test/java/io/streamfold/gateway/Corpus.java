package io.streamfold.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.streamfold.aggregator.Format;

/** The shared corpus streams (every recorded body, not the expectation files). */
final class Corpus
{
    private Corpus()
    {
    }

    static Path root()
    {
        return Paths.get(System.getProperty("streamfold.shared", "../shared")).resolve("corpus");
    }

    static List<Path> streams()
    {
        try (Stream<Path> files = Files.walk(root()))
        {
            return files.filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().endsWith(".expected.txt"))
                .filter(p -> !p.getFileName().toString().endsWith(".md"))
                .sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(final Path p)
    {
        try
        {
            return Files.readAllBytes(p);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the request path a client would have used for this recording. */
    static String requestPath(final Path p)
    {
        final String dir = p.getParent().getFileName().toString();
        final String name = p.getFileName().toString();
        switch (dir)
        {
            case "anthropic-messages":
                return "/v1/messages";
            case "openai-responses":
                return "/v1/responses";
            case "gemini":
                return "/v1beta/models/m:streamGenerateContent" + (name.endsWith(".sse") ? "?alt=sse" : "");
            case "ollama":
                return name.contains("generate") ? "/api/generate" : "/api/chat";
            case "openai-chat":
                return "/v1/chat/completions";
            default:
                return "/v1/other/" + name;
        }
    }

    static String contentType(final Path p)
    {
        final String name = p.getFileName().toString();
        if (name.endsWith(".ndjson"))
        {
            return "application/x-ndjson";
        }
        return name.endsWith(".json") ? "application/json" : "text/event-stream";
    }

    /** @return the format the chooser should pick for this file's path and type. */
    static Format expectedChoice(final Path p)
    {
        return io.streamfold.gateway.FormatChooser.choose(requestPath(p), contentType(p));
    }
}
