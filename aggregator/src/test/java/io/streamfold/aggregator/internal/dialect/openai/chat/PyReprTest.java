package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PyReprTest
{
    @Test
    void constructorCallsListsAndScalars()
    {
        final PyRepr.Obj o = (PyRepr.Obj)PyRepr.parse(
            "Outer(a=None, b=True, c=False, d=-12, e=-3.4121115e-06, f=[1, 'x'], g=Inner(h={'k': 2}), " +
            "i=9314001608812126000, j=(1, 2),)");
        assertEquals("Outer", o.name());
        assertNull(o.get("a"));
        assertEquals(Boolean.TRUE, o.get("b"));
        assertEquals(Boolean.FALSE, o.get("c"));
        assertEquals(-12L, o.get("d"));
        assertEquals(-3.4121115e-06, o.get("e"));
        assertEquals(List.of(1L, "x"), o.get("f"));
        assertEquals(Map.of("k", 2L), ((PyRepr.Obj)o.get("g")).get("h"));
        assertEquals(new BigInteger("9314001608812126000"), o.get("i"));
        assertEquals(List.of(1L, 2L), o.get("j"));
        assertThrows(IllegalArgumentException.class, () -> o.get("missing"));
    }

    @Test
    void stringsWithEscapesQuotesAndAdjacentLiterals()
    {
        assertEquals("I'm \"x\"\n\t\\ é😀", PyRepr.parse("\"I'm \\\"x\\\"\\n\\t\\\\ \\xe9\\U0001f600\""));
        assertEquals("ab'c", PyRepr.parse("'a' \"b'\"\n   'c'"));
    }

    @Test
    void softWrapInsideAStringIsDropped()
    {
        assertEquals("I recommend", PyRepr.parse("'I \nrecommend'"));
    }

    @Test
    void fullWidthWrapMayHaveLostSpacesOnlyThere()
    {
        final char[] pad = new char[117];
        Arrays.fill(pad, 'x');
        // The printed line is 120 columns: a quote, 117 x, two spaces; the rest of its spaces were trimmed.
        final Object v = PyRepr.parse("'" + new String(pad) + "  \n  y z'");
        final PyRepr.Wrapped w = assertInstanceOf(PyRepr.Wrapped.class, v);
        assertTrue(w.matches(new String(pad) + "      y z"));
        assertTrue(w.matches(new String(pad) + "    y z"));
        assertFalse(w.matches(new String(pad) + "   y z"), "spaces are never fewer than printed");
        assertFalse(w.matches(new String(pad) + "    y  z"), "spaces only at the break");
    }

    @Test
    void rejectsWhatItCannotRead()
    {
        assertThrows(IllegalArgumentException.class, () -> PyRepr.parse("Foo(a=1"));
        assertThrows(IllegalArgumentException.class, () -> PyRepr.parse("'open"));
        assertThrows(IllegalArgumentException.class, () -> PyRepr.parse("[1, 2] 3"));
    }
}
