package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/** How the fuzz targets that write a stream of one repeated event put their fixed and fuzzed bytes into it. */
final class FuzzedBytes
{
    private FuzzedBytes()
    {
    }

    /** A value the fuzzer writes, of up to 40 bytes (see {@link #value(FuzzedDataProvider, int)}). */
    static void value(final ByteArrayOutputStream out, final FuzzedDataProvider data)
    {
        out.writeBytes(value(data, 40));
    }

    /** @return a value the fuzzer writes: mostly a string's body of up to {@code most} bytes between quotes, else any bytes. */
    static byte[] value(final FuzzedDataProvider data, final int most)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean quoted = data.consumeInt(0, 7) > 0;
        if (quoted)
        {
            out.write('"');
        }
        out.writeBytes(data.consumeBytes(data.consumeInt(0, most)));
        if (quoted)
        {
            out.write('"');
        }
        return out.toByteArray();
    }

    /** An SSE event of the fuzzer's own: a data line of up to 96 bytes it chooses. */
    static void ownEvent(final ByteArrayOutputStream out, final FuzzedDataProvider data)
    {
        write(out, "data: ");
        out.writeBytes(data.consumeBytes(96));
        write(out, "\n\n");
    }

    /** Fixed text, as UTF-8. */
    static void write(final ByteArrayOutputStream out, final String s)
    {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
