package io.streamfold.parser.ndjson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static io.streamfold.parser.FrameLog.assertSplitInvariant;
import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NdjsonFramerTest
{
    private static final Function<FrameListener, Framer> DEFAULT = NdjsonFramer::new;

    private static Function<FrameListener, Framer> withMaxLine(final int max)
    {
        final FramingLimits limits = FramingLimits.builder().maxLineBytes(max).build();
        return listener -> new NdjsonFramer(listener, limits);
    }

    @Test
    void deliversEachLineWithIndexAndLineStartOffset()
    {
        final byte[] data = utf8("{\"a\":1}\n{\"b\":2}\n");
        final List<String> described = new ArrayList<>();
        final NdjsonFramer framer = new NdjsonFramer(new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                described.add(frame.index() + "@" + frame.streamOffset() + ":" + frame.payloadAsString() + ":" +
                    frame.typeLength() + ":" + frame.hasId());
            }
        });
        framer.feed(data, 0, data.length);
        assertEquals(List.of("0@0:{\"a\":1}:0:false", "1@8:{\"b\":2}:0:false"), described);
        assertEquals(2, framer.framesDelivered());
        assertEquals(data.length, framer.bytesFed());
    }

    @Test
    void acceptsLfCrlfAndLoneCrAtEverySplit()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("{\"a\":1}\r\n{\"b\":2}\r{\"c\":3}\n{\"d\":4}\r\n"));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}"), log.payloadStrings());
        assertEquals(List.of(0L, 9L, 17L, 25L), log.offsets);
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void crAtSliceEndAndLfAtNextStartEndOneLine()
    {
        // With maxLineBytes 3 a second terminator read as the start of a line would still be blank, so
        // check the boundary state directly: the LF must not start the next line's offset.
        final FrameLog log = FrameLog.sliced(DEFAULT, utf8("ab\r\ncd\n"), 3);
        assertEquals(List.of("ab", "cd"), log.payloadStrings());
        assertEquals(List.of(0L, 4L), log.offsets);
    }

    @Test
    void skipsBlankLinesAndTrimsSpacesAndTabs()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("\n   \n \t{\"a\":1} \t\r\n\r\n\t\n  {\"b\":2}\n"));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), log.payloadStrings());
        assertEquals(List.of(5L, 22L), log.offsets);
        assertEquals(0, log.errors.size());
    }

    @Test
    void deliversFinalLineWithoutNewlineOnlyAtEnd()
    {
        final FrameLog log = new FrameLog();
        final NdjsonFramer framer = new NdjsonFramer(log);
        final byte[] data = utf8("{\"a\":1}\n{\"done\":true}");
        framer.feed(data, 0, data.length);
        assertEquals(List.of("{\"a\":1}"), log.payloadStrings());
        framer.end();
        assertEquals(List.of("{\"a\":1}", "{\"done\":true}"), log.payloadStrings());
        assertEquals(List.of(0L, 8L), log.offsets);
        framer.feed(data, 0, data.length);
        assertEquals(2, log.payloads.size(), "feeds after end are ignored");
    }

    @Test
    void dropsByteOrderMarkAtStreamStart()
    {
        final byte[] data = {(byte)0xEF, (byte)0xBB, (byte)0xBF, '{', '}', '\n', '1', '\n'};
        final FrameLog log = assertSplitInvariant(DEFAULT, data);
        assertEquals(List.of("{}", "1"), log.payloadStrings());
    }

    @Test
    void lineInsideOneSliceIsAViewOfTheCallersBytesAndSpanningLineIsACopy()
    {
        final byte[] data = utf8("{\"a\":1}\n{\"b\":2}\n");
        final FrameLog whole = FrameLog.whole(DEFAULT, data);
        assertEquals(List.of(true, true), whole.viewsOfCaller);

        final FrameLog log = new FrameLog();
        final NdjsonFramer framer = new NdjsonFramer(log);
        log.callerArray = data;
        framer.feed(data, 0, 10);
        framer.feed(data, 10, data.length - 10);
        assertEquals(List.of(true, false), log.viewsOfCaller);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), log.payloadStrings());
    }

    @Test
    void lineAtTheLimitPassesAndLongerLineIsReportedAndSkipped()
    {
        final String ok = "0123456789";
        final String tooLong = "0123456789A";
        final byte[] data = utf8(ok + "\r\n" + tooLong + "\n" + ok + "\n" + tooLong + tooLong + "\r" + "x\n");
        final FrameLog log = assertSplitInvariant(withMaxLine(10), data);
        assertEquals(List.of(ok, ok, "x"), log.payloadStrings());
        assertEquals(2, log.errors.size());
        assertEquals(ErrorKind.LINE_TOO_LONG, log.errors.get(0).kind());
        assertEquals(12, log.errors.get(0).byteOffset());
        assertEquals(1, log.errors.get(0).eventNumber());
        assertEquals(ErrorKind.LINE_TOO_LONG, log.errors.get(1).kind());
        assertEquals(35, log.errors.get(1).byteOffset());
        assertEquals(2, log.errors.get(1).eventNumber());
    }

    @Test
    void unterminatedLineTooLongIsReportedOnceAndNotDeliveredAtEnd()
    {
        final FrameLog log = assertSplitInvariant(withMaxLine(4), utf8("ab\nabcdefghijklmnop"));
        assertEquals(List.of("ab"), log.payloadStrings());
        assertEquals(1, log.errors.size());
        assertEquals(3, log.errors.get(0).byteOffset());
    }

    @Test
    void resetForgetsSkippedLineCarriedLineAndCounters()
    {
        final FrameLog log = new FrameLog();
        final NdjsonFramer framer = new NdjsonFramer(log, FramingLimits.builder().maxLineBytes(8).build());
        final byte[] skipped = utf8("{\"a\":1}\n{\"partial");
        framer.feed(skipped, 0, skipped.length);
        assertEquals(1, log.errors.size());
        framer.reset();
        assertEquals(0, framer.bytesFed());
        assertEquals(0, framer.framesDelivered());

        final byte[] next = utf8("{\"b\":2}\n{\"x\"");
        framer.feed(next, 0, next.length);
        framer.reset();
        final byte[] last = utf8("\n{\"c\":3}\n");
        framer.feed(last, 0, last.length);
        framer.end();
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), log.payloadStrings());
        assertEquals(List.of(0L, 0L, 1L), log.offsets);
        assertEquals(1, log.errors.size());
        assertEquals(1, framer.framesDelivered());
    }

    @Test
    void ollamaCorpusFramesIntoJsonLinesAtEverySplit() throws IOException
    {
        final List<Path> files = SharedFiles.corpus("ollama", ".ndjson");
        assertFalse(files.isEmpty());
        for (final Path file : files)
        {
            final byte[] data = SharedFiles.read(file);
            final FrameLog log = assertSplitInvariant(DEFAULT, data);
            assertTrue(log.errors.isEmpty(), file + ": " + log.errors);
            int nonBlankLines = 0;
            for (final String line : new String(data, StandardCharsets.UTF_8).split("\r\n|\r|\n"))
            {
                nonBlankLines += line.isBlank() ? 0 : 1;
            }
            assertEquals(nonBlankLines, log.payloads.size(), file.toString());
            log.assertPayloadsAreWholeObjects(file.toString());
        }
    }

    @Test
    void retainedMemoryStaysWithinTheLineLimit()
    {
        final FrameLog log = new FrameLog();
        final NdjsonFramer framer = new NdjsonFramer(log, FramingLimits.builder().maxLineBytes(300).build());
        final byte[] chunk = new byte[100];
        java.util.Arrays.fill(chunk, (byte)'x');
        for (int i = 0; i < 1000; i++)
        {
            framer.feed(chunk, 0, chunk.length);
            assertTrue(framer.retainedBytes() <= 300, "retained " + framer.retainedBytes());
        }
        assertEquals(1, log.errors.size());
    }
}
