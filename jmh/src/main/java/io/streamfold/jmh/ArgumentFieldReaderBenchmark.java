package io.streamfold.jmh;

import java.util.concurrent.TimeUnit;

import io.streamfold.aggregator.internal.json.ArgumentFieldReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of reading tool-call argument fields per fragment, for arguments of 10, 1,000 and 100,000 fragments of
 * 16 characters each: flat figures across the sizes show that no fragment re-reads what came before. One
 * operation is one fragment; the reader is reset when an argument text is over, so that cost is spread over
 * its fragments.
 *
 * <pre>
 * java -jar jmh/target/benchmarks.jar ArgumentFieldReaderBenchmark -prof gc
 * </pre>
 * Shapes: {@code records} is one root field holding an array of objects with the same few keys, so the reader's
 * copy of the open value grows with the argument; {@code distinctKeys} is a root object of many small fields
 * with a new name each, each dropped from the copy once it completes. With thousands of distinct names Jackson's
 * name table allocates per new name (it keeps at most a few thousand names from one parser to the next): that
 * cost is per distinct name, not per fragment.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
@State(Scope.Thread)
public class ArgumentFieldReaderBenchmark
{
    private static final int FRAGMENT = 16;

    /** How many fragments one argument text has. */
    @Param({"10", "1000", "100000"})
    public int fragments;

    /** Shape of the arguments. */
    @Param({"records", "distinctKeys"})
    public String shape;

    private char[] text;
    private int next;
    private final ArgumentFieldReader reader = new ArgumentFieldReader(64, 64 << 20);
    private Blackhole sink;
    private final ArgumentFieldReader.FieldHandler handler =
        (pointer, pointerLength, text, offset, length) -> sink.consume(pointer[pointerLength - 1] + text[offset + length - 1]);

    /** Builds the argument text. */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        sink = blackhole;
        text = arguments(fragments * FRAGMENT, "records".equals(shape)).toCharArray();
        reader.reset(handler);
        for (int i = 0; i < text.length; i += FRAGMENT)
        {
            reader.feed(text, i, Math.min(FRAGMENT, text.length - i));
        }
        reader.end();
        if (!reader.isComplete())
        {
            throw new IllegalStateException("arguments did not read: " + reader.failure());
        }
        reader.reset(handler);
        next = 0;
    }

    /** Feeds one fragment; after the last one, ends the argument and starts the next. */
    @Benchmark
    public void fragment()
    {
        final int at = next;
        final int n = Math.min(FRAGMENT, text.length - at);
        reader.feed(text, at, n);
        next = at + n;
        if (next == text.length)
        {
            reader.end();
            reader.reset(handler);
            next = 0;
        }
    }

    /** @return a JSON object of about {@code length} characters, with strings, escapes, unicode, numbers and literals. */
    static String arguments(final int length, final boolean records)
    {
        final StringBuilder sb = new StringBuilder(records ? "{\"items\":[" : "{");
        int i = 0;
        while (sb.length() < length - 80 || i == 0)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            if (records)
            {
                sb.append("{\"id\":").append(i).append(",\"path\":\"/tmp/caf\u00e9/f").append(i)
                    .append("\\n\",\"w\":-1.5e3,\"ok\":true}");
            }
            else
            {
                sb.append("\"f").append(i).append("\":").append(i % 3 == 0 ? "\"/tmp/\u4e2d\\u00e9\"" : i % 3 == 1 ? "12.5e-3" : "[true,null]");
            }
            i++;
        }
        return sb.append(records ? "]}" : "}").toString();
    }
}
