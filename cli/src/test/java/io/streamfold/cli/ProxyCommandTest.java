package io.streamfold.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code streamfold proxy} as a separate JVM, stopped with SIGTERM. */
class ProxyCommandTest
{
    private static final Pattern LISTENING =
        Pattern.compile("listening on ([0-9.]+):(\\d+).*metrics on http://([0-9.]+):(\\d+)/metrics");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void proxiesWritesARecordServesMetricsAndStopsCleanlyOnSigterm(@TempDir final Path dir) throws Exception
    {
        final Path file = Paths.get(System.getProperty("streamfold.shared", "../shared"))
            .resolve("corpus/anthropic-messages/anthropic-sonnet4-text-then-tool-use.sse");
        final byte[] body = Files.readAllBytes(file);
        final HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody())
            {
                for (int at = 0; at < body.length; at += 100)
                {
                    out.write(body, at, Math.min(100, body.length - at));
                    out.flush();
                }
            }
        });
        upstream.start();
        final Path records = dir.resolve("records.jsonl");
        final List<String> command = new ArrayList<>(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "proxy",
            "--listen", "127.0.0.1:0",
            "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort(),
            "--metrics", "127.0.0.1:0",
            "--records", records.toString()));
        final Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            final String line = err.readLine();
            final Matcher m = LISTENING.matcher(line == null ? "" : line);
            assertTrue(m.find(), "startup line: " + line);
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(2) + "/v1/messages"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4\",\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(body, response.body());
            // The record is accounted once the proxy has seen the end of the response, which can be just after
            // the client has read its last byte: poll, bounded.
            HttpResponse<String> metrics;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            do
            {
                metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + m.group(4) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            }
            while (!metrics.body().contains("streamfold_requests_total{") && System.nanoTime() < deadline &&
                sleep(50));
            assertTrue(metrics.body().contains("streamfold_requests_total{"), metrics.body());
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped on SIGTERM");
            final List<String> lines = Files.readAllLines(records);
            assertEquals(1, lines.size(), lines.toString());
            final String record = lines.get(0);
            assertTrue(record.contains("\"streamfold.outcome\":\"complete\""), record);
            assertTrue(record.contains("\"gen_ai.request.model\":\"claude-sonnet-4\""), record);
            assertTrue(record.contains("\"gen_ai.usage.input_tokens\":377"), record);
            assertTrue(record.contains("\"gen_ai.usage.output_tokens\":65"), record);
            assertTrue(record.contains("\"gen_ai.response.finish_reasons\":[\"tool_use\"]"), record);
        }
        finally
        {
            process.destroyForcibly();
            upstream.stop(0);
        }
    }

    private static boolean sleep(final long millis) throws InterruptedException
    {
        Thread.sleep(millis);
        return true;
    }
}
