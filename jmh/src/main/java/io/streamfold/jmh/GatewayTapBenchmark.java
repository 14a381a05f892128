package io.streamfold.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamfold.aggregator.Format;
import io.streamfold.gateway.FormatChooser;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.gateway.StreamTap;
import io.streamfold.gateway.TapPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One stream through a pooled gateway tap, as the Netty handler drives it: acquire the tap for the
 * chosen format (or AUTO), start, response head, feed a direct {@link ByteBuf} in 4 KiB reads by absolute
 * index, end, release. {@code -prof gc}'s {@code gc.alloc.rate.norm} is the allocation per stream;
 * {@code withRecord} adds the immutable {@link GenAiRecord} (its strings and lists are the copy that may
 * cross threads, so they are allocated on purpose).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class GatewayTapBenchmark
{
    private static final int READ_BYTES = 4096;

    /** A corpus stream, relative to shared/corpus. */
    @Param({
        "openai-chat/openai-gpt4o-tool-call-single.sse",
        "anthropic-messages/anthropic-sonnet4-text-then-tool-use.sse",
        "gemini/gemini-2.0-flash-text.sse",
        "ollama/ollama-phi3-chat-stream.ndjson"})
    public String stream;

    /** {@code chosen}: the format the request path and Content-Type give; {@code auto}: detected from the bytes. */
    @Param({"chosen", "auto"})
    public String format;

    private final TapPool pool = new TapPool();
    private ByteBuf body;
    private Format chosen;
    private String path;
    private String contentType;

    @Setup
    public void setup() throws IOException
    {
        final Path file = Paths.get(System.getProperty("streamfold.shared", "../shared")).resolve("corpus").resolve(stream);
        final byte[] bytes = Files.readAllBytes(file);
        body = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        final String dir = stream.substring(0, stream.indexOf('/'));
        path = dir.equals("anthropic-messages") ? "/v1/messages" : dir.equals("gemini") ?
            "/v1beta/models/m:streamGenerateContent?alt=sse" : dir.equals("ollama") ? "/api/chat" : "/v1/chat/completions";
        contentType = dir.equals("ollama") ? "application/x-ndjson" : "text/event-stream";
        chosen = format.equals("auto") ? Format.AUTO : FormatChooser.choose(path, contentType);
    }

    @TearDown
    public void tearDown()
    {
        body.release();
    }

    private StreamTap run()
    {
        final StreamTap tap = pool.acquire(chosen);
        tap.start(path, null, 0);
        tap.responseHead(200, contentType);
        final int length = body.writerIndex();
        for (int at = 0; at < length; at += READ_BYTES)
        {
            tap.feed(body, at, Math.min(READ_BYTES, length - at));
        }
        return tap;
    }

    @Benchmark
    public boolean tapOnly()
    {
        final StreamTap tap = run();
        tap.aggregator().end();
        final boolean done = tap.aggregator().isDone();
        tap.release();
        return done;
    }

    @Benchmark
    public GenAiRecord withRecord()
    {
        final StreamTap tap = run();
        final GenAiRecord record = tap.finish(null);
        tap.release();
        return record;
    }
}
