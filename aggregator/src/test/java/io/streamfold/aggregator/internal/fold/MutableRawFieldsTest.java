package io.streamfold.aggregator.internal.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Fields are found by name whether the caller holds the very string kept or only an equal one. */
class MutableRawFieldsTest
{
    @Test
    void findsEqualNamesOnceAndMissesTheRest()
    {
        final MutableRawFields fields = new MutableRawFields();
        final int n = 40;
        for (int i = 0; i < n; i++)
        {
            fields.slot(("field_" + i).intern(), Integer.MAX_VALUE).setLiteral(MutableRawJson.Type.TRUE);
        }
        for (int i = 0; i < n; i++)
        {
            // A new string with the same characters (not the kept instance) finds the same slot; slot adds nothing.
            final String copy = new String(("field_" + i).toCharArray());
            assertEquals(i, fields.indexOf(copy));
            assertSame(fields.value(i), fields.slot(copy, Integer.MAX_VALUE));
            assertEquals(i, fields.indexOf(("field_" + i).intern()));
        }
        assertEquals(n, fields.size());
        assertEquals(-1, fields.indexOf("field_" + n));
        assertNull(fields.get("field"));
        // Equal hashes, different names ("Aa" and "BB" share one): only the equal one is found.
        fields.slot("Aa", Integer.MAX_VALUE);
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertEquals(-1, fields.indexOf("BB"));
        assertEquals(n, fields.indexOf(new String("Aa".toCharArray())));
        fields.remove("field_3");
        assertEquals(-1, fields.indexOf("field_3"));
        assertEquals(3, fields.indexOf("field_4"));
    }
}
