package io.streamfold.parser.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bedrock invoke-stream chunks are decoded to the model event they carry; everything else passes as sent. */
class InvokeChunksTest
{
    private static final class Recorder implements FrameListener
    {
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        final List<StreamError> errors = new ArrayList<>();

        @Override
        public void onFrame(final Frame frame)
        {
            final byte[] bytes = new byte[frame.length()];
            frame.buffer().getBytes(frame.offset(), bytes);
            payloads.add(bytes);
            types.add(frame.type());
        }

        @Override
        public void onError(final StreamError error)
        {
            errors.add(error);
        }
    }

    private static Recorder frame(final byte[] stream, final int slice)
    {
        final Recorder recorder = new Recorder();
        final EventStreamFramer framer = new EventStreamFramer(new InvokeChunks(recorder), FramingLimits.DEFAULT);
        for (int at = 0; at < stream.length; at += slice)
        {
            framer.feed(stream, at, Math.min(slice, stream.length - at));
        }
        framer.end();
        return recorder;
    }

    private static byte[] chunk(final String payloadJson)
    {
        return EventStreamEncoder.event(InvokeChunks.CHUNK, payloadJson);
    }

    @Test
    void everyLengthDecodesAsJavasDecoderDoesWithOrWithoutPaddingEscapesAndOtherMembers()
    {
        final Random random = new Random(11);
        for (int length = 0; length < 80; length++)
        {
            final byte[] inner = new byte[length];
            random.nextBytes(inner);
            String encoded = Base64.getEncoder().encodeToString(inner);
            if (random.nextBoolean())
            {
                encoded = encoded.replace("=", "");
            }
            if (random.nextBoolean())
            {
                encoded = encoded.replace("/", "\\/");
            }
            final String bytes = "\"bytes\":\"" + encoded + "\"";
            final String payload = random.nextBoolean() ? "{" + bytes + ",\"p\":\"abcdef\"}" :
                "{ \"p\" : \"ab\\\"c}\" , \"q\":[1,{\"r\":\"]\"}] ,\n" + bytes + "}";
            final Recorder r = frame(chunk(payload), 1 + random.nextInt(40));
            assertEquals(List.of(), r.errors, payload);
            assertArrayEquals(inner, r.payloads.get(0), payload);
            assertEquals(InvokeChunks.CHUNK, r.types.get(0));
        }
    }

    @Test
    void aClaudeEventComesOutAsItsJson()
    {
        final String event = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Of\"}}";
        final String encoded = Base64.getEncoder().encodeToString(event.getBytes(StandardCharsets.UTF_8));
        final Recorder r = frame(EventStreamEncoder.concat(chunk("{\"bytes\":\"" + encoded + "\",\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\"}"),
            EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow down\"}")), 7);
        assertEquals(event, new String(r.payloads.get(0), StandardCharsets.UTF_8));
        assertEquals("{\"message\":\"slow down\"}", new String(r.payloads.get(1), StandardCharsets.UTF_8), "an exception passes as sent");
    }

    @Test
    void aChunkWithoutBase64BytesIsReportedAndSkipped()
    {
        for (final String payload : List.of("{}", "{\"p\":\"x\"}", "{\"bytes\":12}", "{\"bytes\":\"ab$d\"}", "{\"bytes\":\"abcde\"}",
            "{\"bytes\":\"ab==cd\"}", "{\"bytes\":\"a===\"}", "{\"bytes\":\"ab\\u0041c\"}", "{\"bytes\":\"abcd", "not json", "[\"bytes\"]"))
        {
            final Recorder r = frame(EventStreamEncoder.concat(chunk(payload), EventStreamEncoder.event("other", "{\"a\":1}")), 5);
            assertEquals(1, r.errors.size(), payload);
            assertEquals(ErrorKind.MALFORMED_FRAMING, r.errors.get(0).kind());
            assertEquals(1, r.payloads.size(), payload);
            assertEquals("other", r.types.get(0), "the next message still comes");
        }
    }
}
