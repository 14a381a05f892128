package io.streamfold.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamfold.gateway.reactor.ReactorTap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Reactor Netty operator between a real reactor-netty HttpClient and HttpServer on loopback. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReactorTapTest
{
    private static final String BODY = ProxyTest.REQUEST_BODY;
    private static final Map<String, GenAiRecord> RECORDS = new ConcurrentHashMap<>();
    private static final TapPool POOL = new TapPool();
    private static DisposableServer server;
    private static HttpClient client;

    @BeforeAll
    static void start()
    {
        LeakCheck.install();
        server = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) ->
            {
                final Path file = Corpus.root().resolve(request.requestHeaders().get("x-file"));
                final Random random = new Random(Long.parseLong(request.requestHeaders().get("x-seed")));
                final byte[] bytes = Corpus.bytes(file);
                final List<byte[]> fragments = new ArrayList<>();
                for (int at = 0; at < bytes.length; )
                {
                    final int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 700));
                    fragments.add(java.util.Arrays.copyOfRange(bytes, at, at + n));
                    at += n;
                }
                final Flux<byte[]> paced = Flux.fromIterable(fragments).concatMap(f -> random.nextInt(10) == 0 ?
                    Mono.just(f).delayElement(Duration.ofMillis(1)) : Mono.just(f));
                return request.receive().then(response.header("content-type", Corpus.contentType(file))
                    .send(paced.map(Unpooled::wrappedBuffer), b -> true).then());
            })
            .bindNow();
        client = HttpClient.create().host("127.0.0.1").port(server.port());
    }

    @AfterAll
    static void stop()
    {
        server.disposeNow(Duration.ofSeconds(5));
        LeakCheck.assertNoLeaks();
    }

    private static byte[] fetch(final Path file, final String path, final long seed, final int take)
    {
        final long startMillis = POOL.clock().epochMillis();
        final long startNanos = POOL.clock().nanoTime();
        final Flux<byte[]> chunks = client
            .headers(h -> h.set("x-file", Corpus.root().relativize(file).toString()).set("x-seed", Long.toString(seed)))
            .post().uri(path)
            .send(ByteBufFlux.fromString(Mono.just(BODY)))
            .response((response, body) ->
            {
                final String contentType = response.responseHeaders().get("content-type");
                final StreamTap tap = POOL.acquire(FormatChooser.choose(path, contentType));
                tap.start(path, "requested-model", BODY.length(), startMillis, startNanos);
                tap.responseHead(response.status().code(), contentType);
                return ReactorTap.tap(body, new SharedTap(tap, r -> RECORDS.put(r.path(), r))).map(ByteBufUtil::getBytes);
            });
        final List<byte[]> list = (take < 0 ? chunks : chunks.take(take)).collectList().block(Duration.ofSeconds(60));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void everyCorpusStreamPassesThroughTheOperatorUnchangedAndIsAccounted() throws Exception
    {
        final List<Path> files = Corpus.streams();
        final List<Mono<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final String p = Corpus.requestPath(file);
            final String path = p + (p.contains("?") ? "&" : "?") + "id=r" + i;
            final int seed = i;
            all.add(Mono.fromCallable(() -> fetch(file, path, seed, -1)));
        }
        final List<byte[]> bodies = Flux.fromIterable(all).flatMapSequential(m -> m.subscribeOn(
            reactor.core.scheduler.Schedulers.boundedElastic()), 16).collectList().block(Duration.ofSeconds(80));
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final byte[] bytes = Corpus.bytes(file);
            assertArrayEquals(ProxyTest.sha256(bytes), ProxyTest.sha256(bodies.get(i)), file.toString());
            ProxyTest.assertSameAccounting(ProxyTest.reference(file, bytes),
                ProxyTest.awaitRecord(RECORDS, "id=r" + i), file.toString());
        }
    }

    @Test
    void cancellingTheBodyIsAClientAbort() throws Exception
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse");
        fetch(file, "/v1/chat/completions?id=cancel", 3, 2);
        assertEquals(GatewayOutcome.CLIENT_ABORTED, ProxyTest.awaitRecord(RECORDS, "id=cancel").outcome());
    }
}
