package io.streamfold.aggregator.internal.fold;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.internal.dialect.Dialect;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A kept value's error summary, cut from its bytes when they start with ASCII, reads as the summary made from its whole
 * JSON text: objects and arrays of every length around the cut, with multi-byte and four-byte characters placed
 * anywhere (before the cut, across it, after it), and strings and numbers, which always take the text's way.
 */
class RawJsonSummaryProperties
{
    private static final String[] PIECES = {"a", "Z", "9", " ", "\\\"", ":", ",", "é", "中", "😀", "\\u00e9"};

    @Property(tries = 3000)
    void aSummaryIsThePrefixAndTheCutJsonText(@ForAll final Random random)
    {
        final int maxChars = random.nextBoolean() ? Dialect.ABBREVIATED_CHARS : 1 + random.nextInt(40);
        final int target = Math.max(0, maxChars - 6 + random.nextInt(13) + (random.nextInt(4) == 0 ? random.nextInt(400) : 0));
        final StringBuilder inner = new StringBuilder();
        final int odd = random.nextInt(3) == 0 ? random.nextInt(target + 1) : -1;
        while (inner.length() < target)
        {
            inner.append(inner.length() >= odd && odd >= 0 && random.nextInt(3) == 0
                ? PIECES[7 + random.nextInt(PIECES.length - 7)] : PIECES[random.nextInt(7)]);
        }
        final MutableRawJson value = new MutableRawJson();
        final String prefix = random.nextBoolean() ? "provider error: " : "";
        switch (random.nextInt(4))
        {
            case 0:
            {
                final byte[] bytes = ("{\"m\":\"" + inner + "\"}").getBytes(StandardCharsets.UTF_8);
                value.setStructured(bytes, 0, bytes.length, Integer.MAX_VALUE);
                break;
            }
            case 1:
            {
                final byte[] bytes = ("[\"" + inner + "\"]").getBytes(StandardCharsets.UTF_8);
                value.setStructured(bytes, 0, bytes.length, Integer.MAX_VALUE);
                break;
            }
            case 2:
                value.setScalar(MutableRawJson.Type.STRING, inner.toString().toCharArray(), 0, inner.length(), Integer.MAX_VALUE);
                break;
            default:
                value.setScalar(MutableRawJson.Type.NUMBER, "12345678901234567890".toCharArray(), 0, 1 + random.nextInt(20),
                    Integer.MAX_VALUE);
        }
        final String json = value.json();
        final String expected = prefix + (json.length() <= maxChars ? json : json.substring(0, maxChars) + "...");
        assertEquals(expected, value.summary(prefix, maxChars));
    }

    /** An object's JSON text put in a text buffer from ASCII bytes is {@link MutableRawJson#json()}; else it is refused. */
    @Property(tries = 1000)
    void asciiJsonTextIsTheJsonText(@ForAll final Random random)
    {
        final StringBuilder inner = new StringBuilder();
        for (int k = random.nextInt(60); k > 0; k--)
        {
            inner.append(PIECES[random.nextInt(random.nextInt(4) == 0 ? PIECES.length : 7)]);
        }
        final byte[] bytes = ("{\"m\":\"" + inner + "\"}").getBytes(StandardCharsets.UTF_8);
        final MutableRawJson value = new MutableRawJson();
        value.setStructured(bytes, 0, bytes.length, Integer.MAX_VALUE);
        final MutableTextBuffer text = new MutableTextBuffer();
        text.set("kept", Integer.MAX_VALUE);
        final boolean ascii = new String(bytes, StandardCharsets.UTF_8).chars().allMatch(c -> c < 0x80);
        assertEquals(ascii, value.asciiJsonInto(text));
        assertEquals(ascii ? value.json() : "kept", text.toString());
    }
}
