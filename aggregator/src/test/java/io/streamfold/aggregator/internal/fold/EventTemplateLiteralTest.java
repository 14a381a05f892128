package io.streamfold.aggregator.internal.fold;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whitespace in a learnt event: where it had a run between tokens the run may vary, but not inside a
 * {@link EventShape#LITERAL} value (kept as its bytes by the dialect); an event spaced exactly as the learnt one
 * matches as one spaced otherwise does.
 */
class EventTemplateLiteralTest
{
    private static final EventShape SHAPE = EventShape.of(0).string("t").literal("kept").integer("n").build();
    private static final String LEARNT = "{\"t\": \"x\", \"kept\": [1, {\"a\": 2}], \"other\": [3, 4], \"n\": 5} ";

    static Stream<Arguments> events()
    {
        return Stream.of(
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\": 2}], \"other\": [3, 4], \"n\": 61} ", true),
            Arguments.of("{\"t\":\"yz\",\"kept\":[1, {\"a\": 2}],\"other\":[3,4],\"n\":61}", true),
            Arguments.of("{\"t\":   \"yz\",  \"kept\":\t[1, {\"a\": 2}],\n\"other\": [3,   4], \"n\":\n61}  ", true),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1,{\"a\": 2}], \"other\": [3, 4], \"n\": 61} ", false),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\":  2}], \"other\": [3, 4], \"n\": 61} ", false),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\": 3}], \"other\": [3, 4], \"n\": 61} ", false),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\": 2}], \"other\": [3, 4], \"n\": 61}", true),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\": 2}], \"other\": [3, 4], \"n\": 61}   ", true),
            Arguments.of("{\"t\": \"yz\", \"kept\": [1, {\"a\": 2}], \"other\": [3, 4], \"n\": 61]", false));
    }

    @ParameterizedTest
    @MethodSource("events")
    void whitespaceMayVaryOutsideLiteralValuesOnly(final String event, final boolean matches)
    {
        final EventTemplate template = new EventTemplate(64, 1 << 20);
        final byte[] learnt = LEARNT.getBytes(StandardCharsets.UTF_8);
        assertTrue(template.learn(learnt, 0, learnt.length, SHAPE));
        final byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        assertEquals(matches, template.match(bytes, 0, bytes.length), event);
        if (matches)
        {
            assertEquals("yz", new String(template.stringChars(0), 0, template.stringLength(0)));
            assertEquals(61, template.integer(2));
        }
    }
}
