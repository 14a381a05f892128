package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.aggregator.internal.json.Utf8Check;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.HostileInput.anthropicText;
import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.fold;
import static io.streamfold.aggregator.HostileInput.responses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, class 1: byte sequences that are not well-formed UTF-8 (Unicode table 3-7) inside a JSON string are
 * never decoded to characters. The event holding them is a MALFORMED_JSON error and contributes nothing, in
 * lenient and strict mode, in every dialect, on the parser path and on the chat fast path.
 */
class Utf8HardeningTest
{
    /** Ill-formed sequences, each of which some lenient decoder turns into a character. */
    private static final byte[][] ILL_FORMED = {
        {(byte)0xC0, (byte)0xAF},                          // overlong '/'
        {(byte)0xE0, (byte)0x80, (byte)0xAF},              // overlong '/', three bytes
        {(byte)0xF0, (byte)0x80, (byte)0x80, (byte)0xAF},  // overlong '/', four bytes
        {(byte)0xED, (byte)0xA0, (byte)0x80},              // encoded high surrogate
        {(byte)0xED, (byte)0xBF, (byte)0xBF},              // encoded low surrogate
        {(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80},  // U+110000
        {(byte)0xF8, (byte)0x88, (byte)0x80, (byte)0x80, (byte)0x80},  // five-byte form
        {(byte)0x80},                                      // stray continuation
        {(byte)0xE2, (byte)0x82},                          // truncated sequence
        {(byte)0xFF},
    };

    private static final String BAD = "@BAD@";

    @Test
    void validatorFollowsTable37()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final byte[] s = concat(ascii("0123456789abcdef"), bad, ascii("0123456789"));
            assertEquals(16, Utf8Check.firstMalformed(s, 0, s.length), hex(bad));
        }
        final byte[] good = "aé€😀\u0000\u007f\uD7FF\uE000\uFFFF\uDBFF\uDFFF plain ascii tail".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, Utf8Check.firstMalformed(good, 0, good.length));
        // Every lead byte, every second byte: only the table's ranges pass.
        for (int lead = 0x80; lead <= 0xFF; lead++)
        {
            for (int b1 = 0; b1 <= 0xFF; b1++)
            {
                final byte[] s = {(byte)lead, (byte)b1, (byte)0x80, (byte)0x80};
                final boolean wellFormed = Utf8Check.firstMalformed(s, 0, 4) < 0;
                final String decoded = new String(s, StandardCharsets.UTF_8);
                final boolean jdkClean = decoded.indexOf('\uFFFD') < 0;
                assertEquals(jdkClean, wellFormed, Integer.toHexString(lead) + " " + Integer.toHexString(b1));
            }
        }
    }

    /**
     * Found wherever it lies in a run of ASCII, which is crossed several words at a time: each ill-formed sequence
     * at every offset of every run length up to 100, and a well-formed character at the same places passes.
     */
    @Test
    void validatorFindsASequenceAtAnyOffset()
    {
        final byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        for (int before = 0; before <= 80; before++)
        {
            for (int after = 0; after <= 20; after++)
            {
                final byte[] head = ascii("x".repeat(before));
                final byte[] tail = ascii("y".repeat(after));
                for (final byte[] bad : ILL_FORMED)
                {
                    final byte[] s = concat(head, bad, tail);
                    assertEquals(before, Utf8Check.firstMalformed(s, 0, s.length), before + " " + hex(bad) + " " + after);
                    // Offset into a larger array, which the word reads must respect at both ends.
                    final byte[] wide = concat(ascii("zzz"), s, new byte[] {(byte)0x80});
                    assertEquals(3 + before, Utf8Check.firstMalformed(wide, 3, s.length));
                }
                // ASCII only, ending where the array does (a run of whole words to the end included).
                final byte[] plain = concat(head, tail);
                assertEquals(-1, Utf8Check.firstMalformed(plain, 0, plain.length));
                final byte[] good = concat(head, euro, tail);
                assertEquals(-1, Utf8Check.firstMalformed(good, 0, good.length));
                final byte[] guarded = concat(good, new byte[] {(byte)0xFF});
                assertEquals(-1, Utf8Check.firstMalformed(guarded, 0, good.length));
            }
        }
    }

    @Test
    void chatParserPath()
    {
        for (final boolean strict : new boolean[] {false, true})
        {
            for (final byte[] bad : ILL_FORMED)
            {
                final String stream = sse(chat("{\"role\":\"assistant\",\"content\":\"ok\"}"),
                    chat("{\"content\":\"x" + BAD + "y\",\"role\":\"assistant\"}"),
                    chat("{\"content\":\"!\"}")) + "data: [DONE]\n\n";
                final StreamAggregator a = fold(Format.OPENAI_CHAT, strict, with(stream, bad));
                assertRefused(a, strict, strict ? "ok" : "ok!", bad);
            }
        }
    }

    @Test
    void chatFastPath()
    {
        for (final boolean strict : new boolean[] {false, true})
        {
            for (final byte[] bad : ILL_FORMED)
            {
                // Three equal chunks teach the template; the fourth differs only inside the content string.
                final String stream = sse(chat("{\"role\":\"assistant\",\"content\":\"\"}"),
                    chat("{\"content\":\"a\"}"), chat("{\"content\":\"b\"}"), chat("{\"content\":\"c\"}"),
                    chat("{\"content\":\"x" + BAD + "y\"}"), chat("{\"content\":\"d\"}")) + "data: [DONE]\n\n";
                final StreamAggregator a = fold(Format.OPENAI_CHAT, strict, with(stream, bad));
                assertRefused(a, strict, strict ? "abc" : "abcd", bad);
            }
        }
    }

    @Test
    void chatFastPathObfuscationValue()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final String stream = sse(chat("{\"role\":\"assistant\",\"content\":\"\"}", "o1"),
                chat("{\"content\":\"a\"}", "o2"), chat("{\"content\":\"b\"}", "o3"),
                chat("{\"content\":\"c\"}", "x" + BAD), chat("{\"content\":\"d\"}", "o5")) + "data: [DONE]\n\n";
            final StreamAggregator a = fold(Format.OPENAI_CHAT, false, with(stream, bad));
            assertRefused(a, false, "abd", bad);
            assertEquals("\"o5\"", a.result().meta().get("obfuscation").json());
        }
    }

    @Test
    void anthropic()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final String stream = anthropicText(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x" + BAD + "\"}}"));
            assertRefused(fold(Format.ANTHROPIC, false, with(stream, bad)), false, "ok", bad);
        }
    }

    @Test
    void gemini()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final String stream = sse(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"index\":0}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x" + BAD + "\"}],\"role\":\"model\"},\"index\":0}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}");
            assertRefused(fold(Format.GEMINI, false, with(stream, bad)), false, "ok!", bad);
        }
    }

    @Test
    void ollama()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final String stream =
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"done\":false}\n" +
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"x" + BAD + "\"},\"done\":false}\n" +
                "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"!\"},\"done\":true,\"done_reason\":\"stop\"}\n";
            assertRefused(fold(Format.OLLAMA, false, with(stream, bad)), false, "ok!", bad);
        }
    }

    @Test
    void bedrock()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final byte[] stream = EventStreamEncoder.concat(
                EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ok\"}}"),
                new EventStreamEncoder()
                    .string(":event-type", "contentBlockDelta")
                    .string(":content-type", "application/json")
                    .string(":message-type", "event")
                    .encode(with("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"x" + BAD + "\"}}", bad)),
                EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
            assertRefused(fold(Format.BEDROCK, false, stream), false, "ok", bad);
        }
    }

    @Test
    void openAiResponses()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final String stream =
                responses("{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}") +
                responses("{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"i\",\"type\":\"message\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}") +
                responses("{\"type\":\"response.content_part.added\",\"sequence_number\":2,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":3,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"ok\"}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"x" + BAD + "\"}") +
                responses("{\"type\":\"response.output_text.delta\",\"sequence_number\":5,\"item_id\":\"i\",\"output_index\":0,\"content_index\":0,\"delta\":\"!\"}") +
                responses("{\"type\":\"response.completed\",\"sequence_number\":6,\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}");
            final StreamAggregator a = fold(Format.OPENAI_RESPONSES, false, with(stream, bad));
            assertRefused(a, false, "ok!", bad);
        }
    }

    @Test
    void cassetteRawTextChunks()
    {
        for (final byte[] bad : ILL_FORMED)
        {
            final byte[] cassette = with("{\"request\":{},\"response\":{\"body\":[\"data: {\\\"x\\\":\\\"" + BAD +
                "\\\"}\\n\\n\",{\"__data__\":{}}]}}", bad);
            final java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> Cassette.toSse(cassette), hex(bad));
            assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        }
        final byte[] good = with("{\"response\":{\"body\":[\"data: {\\\"x\\\":\\\"\u00e9\\\"}\\n\\n\"]}}", new byte[0]);
        assertEquals("data: {\"x\":\"\u00e9\"}\n\n", new String(assertDoesNotThrowToSse(good), StandardCharsets.UTF_8));
    }

    private static byte[] assertDoesNotThrowToSse(final byte[] cassette)
    {
        try
        {
            return Cassette.toSse(cassette);
        }
        catch (final java.io.IOException e)
        {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(final StreamAggregator a, final boolean strict, final String text, final byte[] bad)
    {
        final Aggregate r = a.result();
        assertEquals(text, r.choices().get(0).joined(Part.Kind.TEXT), hex(bad));
        final List<StreamError> errors = r.errors();
        assertEquals(1, errors.size(), hex(bad) + " " + errors);
        assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind());
        assertTrue(errors.get(0).message().contains("invalid UTF-8"), errors.get(0).message());
        if (strict)
        {
            assertEquals(Outcome.ERROR, r.outcome());
        }
        final String json = r.toJson() + r.toNormalizedJson();
        assertFalse(json.contains("x/") || json.contains("x\\/") || json.contains("\uFFFD"), json);
    }

    private static String chat(final String delta)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            delta + ",\"finish_reason\":null}]}";
    }

    private static String chat(final String delta, final String obfuscation)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" +
            delta + ",\"finish_reason\":null}],\"obfuscation\":\"" + obfuscation + "\"}";
    }

    private static String sse(final String... payloads)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String p : payloads)
        {
            sb.append("data: ").append(p).append("\n\n");
        }
        return sb.toString();
    }

    /** @return the UTF-8 of {@code text} with every {@link #BAD} replaced by {@code bad}. */
    private static byte[] with(final String text, final byte[] bad)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int at = text.indexOf(BAD); at >= 0; at = text.indexOf(BAD, from))
        {
            out.writeBytes(text.substring(from, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bad);
            from = at + BAD.length();
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02X ", b & 0xFF));
        }
        return sb.toString().trim();
    }
}
