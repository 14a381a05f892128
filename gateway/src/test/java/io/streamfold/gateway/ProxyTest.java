package io.streamfold.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.gateway.proxy.ProxyConfig;
import io.streamfold.gateway.proxy.StreamfoldProxy;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy between a real client and a real fake upstream, on loopback. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyTest
{
    static final String REQUEST_BODY = "{\"model\":\"requested-model\",\"stream\":true,\"messages\":[]}";
    private static final Map<String, GenAiRecord> RECORDS = new ConcurrentHashMap<>();
    private static FakeUpstream upstream;
    private static StreamfoldProxy proxy;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception
    {
        LeakCheck.install();
        upstream = new FakeUpstream();
        final ProxyConfig config = ProxyConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .upstream(URI.create("http://127.0.0.1:" + upstream.port() + "/base"))
            .metrics(new InetSocketAddress("127.0.0.1", 0))
            .upstreamTimeout(Duration.ofSeconds(30))
            .shutdownGrace(Duration.ofSeconds(2))
            .build();
        proxy = new StreamfoldProxy(config, new TapPool(), r -> RECORDS.put(r.path(), r), ProxyTest::guardrail, 2).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop()
    {
        if (proxy != null)
        {
            proxy.close();
        }
        if (upstream != null)
        {
            upstream.close();
        }
        LeakCheck.assertNoLeaks();
    }

    /** A guardrail bound per stream: requests marked {@code guard} are stopped at the first text. */
    private static void guardrail(final StreamTap tap)
    {
        if (tap.path() != null && tap.path().contains("guard=1"))
        {
            tap.listener(new StreamListener()
            {
                @Override
                public void onTextDelta(final int choice, final CharSequence text)
                {
                    if (text.length() > 0)
                    {
                        tap.stop("guardrail: no text allowed");
                    }
                }
            });
        }
    }

    private static HttpRequest request(final String path, final String file, final String mode, final long seed)
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort() + path))
            .timeout(Duration.ofSeconds(60))
            .header("x-mode", mode)
            .header("x-seed", Long.toString(seed))
            .POST(HttpRequest.BodyPublishers.ofString(REQUEST_BODY));
        if (file != null)
        {
            b.header("x-file", file);
        }
        return b.build();
    }

    private static String relative(final Path file)
    {
        return Corpus.root().relativize(file).toString();
    }

    private static String pathFor(final Path file, final String id)
    {
        final String p = Corpus.requestPath(file);
        return p + (p.contains("?") ? "&" : "?") + "id=" + id;
    }

    static GenAiRecord awaitRecord(final Map<String, GenAiRecord> records, final String pathSuffix)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            for (final Map.Entry<String, GenAiRecord> e : records.entrySet())
            {
                if (e.getKey() != null && e.getKey().endsWith(pathSuffix))
                {
                    return e.getValue();
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no record for " + pathSuffix + " in " + records.keySet());
    }

    /** What a tap makes of the same bytes fed at once: the reference the proxied record must equal. */
    static GenAiRecord reference(final Path file, final byte[] bytes)
    {
        final StreamTap tap = new TapPool().acquire(FormatChooser.choose(Corpus.requestPath(file), Corpus.contentType(file)));
        tap.start(Corpus.requestPath(file), "requested-model", REQUEST_BODY.length());
        tap.responseHead(200, Corpus.contentType(file));
        tap.feed(bytes, 0, bytes.length);
        final GenAiRecord r = tap.finish(null);
        tap.release();
        return r;
    }

    static void assertSameAccounting(final GenAiRecord expected, final GenAiRecord actual, final String what)
    {
        assertEquals(expected.format(), actual.format(), what);
        assertEquals(expected.providerName(), actual.providerName(), what);
        assertEquals(expected.requestModel(), actual.requestModel(), what);
        assertEquals(expected.responseModel(), actual.responseModel(), what);
        assertEquals(expected.responseId(), actual.responseId(), what);
        assertEquals(expected.inputTokens(), actual.inputTokens(), what);
        assertEquals(expected.outputTokens(), actual.outputTokens(), what);
        assertEquals(expected.cacheReadInputTokens(), actual.cacheReadInputTokens(), what);
        assertEquals(expected.cacheCreationInputTokens(), actual.cacheCreationInputTokens(), what);
        assertEquals(expected.reasoningOutputTokens(), actual.reasoningOutputTokens(), what);
        assertEquals(expected.usageSource(), actual.usageSource(), what);
        assertEquals(expected.finishReasons(), actual.finishReasons(), what);
        assertEquals(expected.normalizedFinishReasons(), actual.normalizedFinishReasons(), what);
        assertEquals(expected.toolCallNames(), actual.toolCallNames(), what);
        assertEquals(expected.toolCallArgumentBytes(), actual.toolCallArgumentBytes(), what);
        assertEquals(expected.outcome(), actual.outcome(), what);
        assertEquals(kinds(expected.errors()), kinds(actual.errors()), what);
        assertEquals(expected.responseBytes(), actual.responseBytes(), what);
        assertEquals(expected.requestBytes(), actual.requestBytes(), what);
    }

    private static List<ErrorKind> kinds(final List<StreamError> errors)
    {
        final List<ErrorKind> kinds = new ArrayList<>();
        errors.forEach(e -> kinds.add(e.kind()));
        return kinds;
    }

    static byte[] sha256(final byte[] bytes) throws Exception
    {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    @Test
    void everyCorpusStreamPassesByteForByteAndIsAccountedLikeTheAggregatorDoes() throws Exception
    {
        final List<Path> files = Corpus.streams();
        final List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            responses.add(client.sendAsync(request(pathFor(files.get(i), "c" + i), relative(files.get(i)), "normal", i),
                HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final byte[] bytes = Corpus.bytes(file);
            final HttpResponse<byte[]> response = responses.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertArrayEquals(sha256(bytes), sha256(response.body()), file.toString());
            final GenAiRecord record = awaitRecord(RECORDS, "id=c" + i);
            assertSameAccounting(reference(file, bytes), record, file.toString());
            assertTrue(record.timeToFirstByteNanos() >= 0 && record.durationNanos() >= record.timeToFirstByteNanos());
            if (record.timeToFirstTokenNanos() >= 0)
            {
                assertTrue(record.timeToFirstTokenNanos() >= record.timeToFirstByteNanos(), file.toString());
            }
        }
    }

    @Test
    void fiveHundredConcurrentStreamsLoseAndMixNothing() throws Exception
    {
        final List<Path> files = Corpus.streams();
        final int n = 500;
        final List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        final AtomicLong maxDirect = new AtomicLong();
        for (int i = 0; i < n; i++)
        {
            final Path file = files.get(i % files.size());
            responses.add(client.sendAsync(request(pathFor(file, "k" + i), relative(file), "normal", 1000 + i),
                HttpResponse.BodyHandlers.ofByteArray()));
            maxDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
        }
        for (int i = 0; i < n; i++)
        {
            final Path file = files.get(i % files.size());
            final byte[] bytes = Corpus.bytes(file);
            final HttpResponse<byte[]> response = responses.get(i).get(90, TimeUnit.SECONDS);
            assertArrayEquals(sha256(bytes), sha256(response.body()), file.toString());
            final GenAiRecord record = awaitRecord(RECORDS, "id=k" + i);
            assertEquals(bytes.length, record.responseBytes(), file.toString());
            assertSameAccounting(reference(file, bytes), record, "stream " + i + " " + file);
            maxDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
        }
        assertTrue(maxDirect.get() < 256L << 20, "pooled direct memory stayed bounded: " + maxDirect.get());
    }

    @Test
    void aClientThatGoesAwayMidStreamIsRecordedAsAborted() throws Exception
    {
        final String file = "anthropic-messages/anthropic-thinking-signature.sse";
        try (Socket socket = new Socket("127.0.0.1", proxy.address().getPort()))
        {
            final OutputStream out = socket.getOutputStream();
            final byte[] body = REQUEST_BODY.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/messages?id=abort HTTP/1.1\r\nHost: x\r\nx-mode: stall\r\nx-file: " + file +
                "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] head = new byte[12];
            int read = 0;
            while (read < head.length)
            {
                read += in.read(head, read, head.length - read);
            }
            assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
        }
        final GenAiRecord record = awaitRecord(RECORDS, "id=abort");
        assertEquals(GatewayOutcome.CLIENT_ABORTED, record.outcome());
        assertEquals(200, record.httpStatus());
    }

    @Test
    void anUpstreamResetMidEventIsRecordedAsAReset() throws Exception
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse");
        final IOException e = assertThrows(IOException.class,
            () -> client.send(request(pathFor(file, "reset"), relative(file), "reset", 5), HttpResponse.BodyHandlers.ofByteArray()));
        assertNotNull(e);
        final GenAiRecord record = awaitRecord(RECORDS, "id=reset");
        assertEquals(GatewayOutcome.UPSTREAM_RESET, record.outcome());
        final byte[] bytes = Corpus.bytes(file);
        assertTrue(record.responseBytes() > 0 && record.responseBytes() < bytes.length, Long.toString(record.responseBytes()));
        assertTrue(record.usageSource() != UsageSource.FINAL);
    }

    @Test
    void anUpstreamThatStallsTimesOut() throws Exception
    {
        // A proxy of its own with a short upstream timeout (the shared one allows for a loaded machine).
        final Map<String, GenAiRecord> records = new ConcurrentHashMap<>();
        final ProxyConfig config = ProxyConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .upstream(URI.create("http://127.0.0.1:" + upstream.port()))
            .upstreamTimeout(Duration.ofMillis(1000))
            .shutdownGrace(Duration.ofSeconds(1))
            .build();
        try (StreamfoldProxy slow = new StreamfoldProxy(config, new TapPool(), r -> records.put(r.path(), r), null, 1).start())
        {
            final Path file = Corpus.root().resolve("anthropic-messages/anthropic-sonnet4-text-then-tool-use.sse");
            final long start = System.nanoTime();
            final HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + slow.address().getPort() + pathFor(file, "stall")))
                .header("x-mode", "stall").header("x-file", relative(file))
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST_BODY)).build();
            assertThrows(IOException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
            final GenAiRecord record = awaitRecord(records, "id=stall");
            assertEquals(GatewayOutcome.UPSTREAM_TIMEOUT, record.outcome());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(950), "waited for the timeout");
            assertEquals(1, record.responseBytes());
            assertEquals(UsageSource.MISSING, record.usageSource());
        }
    }

    @Test
    void aHundredMegabyteEventHitsTheLimitWithBoundedMemory() throws Exception
    {
        final AtomicLong maxDirect = new AtomicLong();
        final HttpResponse<InputStream> response = client.send(request("/v1/chat/completions?id=huge", null, "huge", 1),
            HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        try (InputStream in = response.body())
        {
            final byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                total += n;
                maxDirect.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
            }
        }
        final long expected = FakeUpstream.HUGE_HEAD.length() + FakeUpstream.HUGE_BYTES + FakeUpstream.HUGE_TAIL.length();
        assertEquals(expected, total);
        final GenAiRecord record = awaitRecord(RECORDS, "id=huge");
        assertEquals(expected, record.responseBytes());
        assertTrue(record.errors().stream().anyMatch(e -> e.kind() == ErrorKind.LINE_TOO_LONG ||
            e.kind() == ErrorKind.FRAME_TOO_LARGE), record.toJson());
        assertEquals(GatewayOutcome.COMPLETE, record.outcome(), "the events around the huge one still fold");
        assertEquals(List.of("stop"), record.finishReasons());
        assertTrue(maxDirect.get() < 64L << 20, "the proxy did not buffer the event: " + maxDirect.get());
    }

    @Test
    void upstreamErrorStatusesKeepTheirJsonBody() throws Exception
    {
        for (final int status : new int[]{429, 500})
        {
            final HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort() +
                        "/v1/chat/completions?id=status" + status))
                    .header("x-mode", "status").header("x-status", Integer.toString(status))
                    .POST(HttpRequest.BodyPublishers.ofString(REQUEST_BODY)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode());
            assertTrue(response.body().contains("rate_limit_error"));
            final GenAiRecord record = awaitRecord(RECORDS, "id=status" + status);
            assertEquals(GatewayOutcome.UPSTREAM_HTTP_ERROR, record.outcome());
            assertEquals(status, record.httpStatus());
            assertEquals(response.body(), record.errorBody());
            assertEquals(UsageSource.MISSING, record.usageSource());
            assertTrue(record.toJson().contains("\"error.type\":\"" + status + "\""), record.toJson());
        }
    }

    @Test
    void aNonStreamingJsonResponseIsAccounted() throws Exception
    {
        final HttpResponse<String> response = client.send(request("/v1/chat/completions?id=json", null, "json", 1),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(FakeUpstream.JSON_DOCUMENT, response.body());
        final GenAiRecord record = awaitRecord(RECORDS, "id=json");
        assertEquals(GatewayOutcome.COMPLETE, record.outcome());
        assertEquals("chatcmpl-9", record.responseId());
        assertEquals("gpt-4o-2024", record.responseModel());
        assertEquals("requested-model", record.requestModel());
        assertEquals(31, record.inputTokens());
        assertEquals(12, record.outputTokens());
        assertEquals(16, record.cacheReadInputTokens());
        assertEquals(0, record.reasoningOutputTokens());
        assertEquals(UsageSource.FINAL, record.usageSource());
        assertEquals(List.of("tool_calls"), record.finishReasons());
        assertEquals(List.of("get_weather"), record.toolCallNames());
        assertEquals("{\"city\":\"Zürich\"}".getBytes(StandardCharsets.UTF_8).length, record.toolCallArgumentBytes());
    }

    @Test
    void aGuardrailEndsTheClientResponseCleanlyAndSaysWhy() throws Exception
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse");
        final HttpResponse<byte[]> response = client.send(request("/v1/chat/completions?guard=1&id=guard",
            relative(file), "normal", 3), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        final byte[] bytes = Corpus.bytes(file);
        assertTrue(response.body().length < bytes.length, "the stream was cut short");
        final GenAiRecord record = awaitRecord(RECORDS, "id=guard");
        assertEquals(GatewayOutcome.POLICY_STOP, record.outcome());
        assertEquals("guardrail: no text allowed", record.stopReason());
        // And the connection is still good for the next request.
        final HttpResponse<byte[]> next = client.send(request(pathFor(file, "after-guard"), relative(file), "normal", 4),
            HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(sha256(bytes), sha256(next.body()));
    }

    @Test
    void metricsAreServedInThePrometheusFormat() throws Exception
    {
        final Path file = Corpus.root().resolve("anthropic-messages/anthropic-sonnet4-text-then-tool-use.sse");
        client.send(request(pathFor(file, "metrics"), relative(file), "normal", 9), HttpResponse.BodyHandlers.ofByteArray());
        awaitRecord(RECORDS, "id=metrics");
        final HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + proxy.metricsAddress().getPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        final String text = metrics.body();
        assertTrue(text.contains("streamfold_requests_total{"), text);
        assertTrue(text.contains("outcome=\"complete\""), text);
        assertTrue(text.contains("gen_ai_client_token_usage_tokens_total{"), text);
        assertTrue(text.contains("gen_ai_token_type=\"input\""), text);
        assertTrue(text.contains("gen_ai_server_time_to_first_token_seconds_bucket{"), text);
    }
}
