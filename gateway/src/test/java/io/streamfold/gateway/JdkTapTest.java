package io.streamfold.gateway;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.gateway.jdk.TappedBodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The java.net.http tap between a real HttpClient and the fake upstream. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JdkTapTest
{
    private static final String BODY = ProxyTest.REQUEST_BODY;
    private static final Map<String, GenAiRecord> RECORDS = new ConcurrentHashMap<>();
    private static final TapPool POOL = new TapPool();
    private static FakeUpstream upstream;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception
    {
        LeakCheck.install();
        upstream = new FakeUpstream();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop()
    {
        upstream.close();
        LeakCheck.assertNoLeaks();
    }

    private static HttpRequest request(final String path, final Path file, final String mode, final long seed)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port() + path))
            .timeout(Duration.ofSeconds(30))
            .header("x-mode", mode).header("x-seed", Long.toString(seed))
            .header("x-file", Corpus.root().relativize(file).toString())
            .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static <T> TappedBodyHandler<T> tapped(
        final HttpResponse.BodyHandler<T> downstream, final String path, final java.util.function.Consumer<StreamTap> binder)
    {
        return new TappedBodyHandler<>(downstream, POOL, path, "requested-model", BODY.length(),
            r -> RECORDS.put(r.path(), r), binder);
    }

    private static String pathFor(final Path file, final String id)
    {
        final String p = Corpus.requestPath(file);
        return p + (p.contains("?") ? "&" : "?") + "id=" + id;
    }

    @Test
    void everyCorpusStreamReachesTheDownstreamUnchangedAndIsAccounted() throws Exception
    {
        final List<Path> files = Corpus.streams();
        final List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final String path = pathFor(files.get(i), "j" + i);
            responses.add(client.sendAsync(request(path, files.get(i), "normal", i),
                tapped(HttpResponse.BodyHandlers.ofByteArray(), path, null)));
        }
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final byte[] bytes = Corpus.bytes(file);
            final HttpResponse<byte[]> response = responses.get(i).get(60, TimeUnit.SECONDS);
            assertArrayEquals(ProxyTest.sha256(bytes), ProxyTest.sha256(response.body()), file.toString());
            ProxyTest.assertSameAccounting(ProxyTest.reference(file, bytes),
                ProxyTest.awaitRecord(RECORDS, "id=j" + i), file.toString());
        }
    }

    @Test
    void closingTheBodyMidStreamIsAClientAbort() throws Exception
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse");
        final String path = pathFor(file, "cancel");
        final HttpResponse<InputStream> response = client.send(request(path, file, "stall", 1),
            tapped(HttpResponse.BodyHandlers.ofInputStream(), path, null));
        try (InputStream in = response.body())
        {
            assertTrue(in.read() >= 0);
        }
        final GenAiRecord record = ProxyTest.awaitRecord(RECORDS, "id=cancel");
        assertEquals(GatewayOutcome.CLIENT_ABORTED, record.outcome());
    }

    @Test
    void aPolicyStopCompletesTheDownstreamEarly() throws Exception
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse");
        final String path = pathFor(file, "policy");
        final HttpResponse<byte[]> response = client.send(request(path, file, "normal", 2),
            tapped(HttpResponse.BodyHandlers.ofByteArray(), path, tap -> tap.listener(new StreamListener()
            {
                @Override
                public void onTextDelta(final int choice, final CharSequence text)
                {
                    tap.stop("enough");
                }
            })));
        assertTrue(response.body().length < Corpus.bytes(file).length);
        final GenAiRecord record = ProxyTest.awaitRecord(RECORDS, "id=policy");
        assertEquals(GatewayOutcome.POLICY_STOP, record.outcome());
        assertEquals("enough", record.stopReason());
    }
}
