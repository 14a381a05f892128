package io.streamfold.aggregator.internal.json;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every number {@link ExactDouble} converts, it converts to exactly the double Jackson gives. */
class ExactDoubleTest
{
    private static final JsonFactory JSON = new JsonFactory();

    @Property(tries = 3000)
    void sameBitsAsJackson(@ForAll final Random random) throws Exception
    {
        final String number = number(random);
        final byte[] bytes = number.getBytes(StandardCharsets.US_ASCII);
        final double fast = ExactDouble.parse(bytes, 0, bytes.length);
        Statistics.collect(Double.isNaN(fast) ? "unsure" : "converted");
        if (!Double.isNaN(fast))
        {
            assertEquals(Double.doubleToRawLongBits(jackson(number)), Double.doubleToRawLongBits(fast), number);
        }
    }

    @Test
    void integersWidenAsJacksonsLongsDo() throws Exception
    {
        for (final String n : new String[]{"-0", "0", "-0.0", "123456789012345678", "-1e-5", "-0.0025094282", "1E22", "-4.5e+3"})
        {
            final byte[] bytes = n.getBytes(StandardCharsets.US_ASCII);
            final double fast = ExactDouble.parse(bytes, 0, bytes.length);
            assertEquals(Double.doubleToRawLongBits(jackson(n)), Double.doubleToRawLongBits(fast), n);
        }
        for (final String n : new String[]{"1234567890123456789", "0.1234567890123456", "1e23", "1e-23", "1e1000"})
        {
            final byte[] bytes = n.getBytes(StandardCharsets.US_ASCII);
            assertTrue(Double.isNaN(ExactDouble.parse(bytes, 0, bytes.length)), n);
        }
    }

    private static double jackson(final String number) throws Exception
    {
        try (JsonParser p = JSON.createParser(number))
        {
            p.nextToken();
            return p.getDoubleValue();
        }
    }

    private static String number(final Random random)
    {
        final StringBuilder sb = new StringBuilder();
        if (random.nextBoolean())
        {
            sb.append('-');
        }
        final int intDigits = random.nextInt(4) == 0 ? 1 + random.nextInt(20) : 1;
        sb.append(intDigits == 1 ? (char)('0' + random.nextInt(10)) : (char)('1' + random.nextInt(9)));
        for (int i = 1; i < intDigits; i++)
        {
            sb.append((char)('0' + random.nextInt(10)));
        }
        if (random.nextInt(4) != 0)
        {
            sb.append('.');
            for (int i = 1 + random.nextInt(20); i > 0; i--)
            {
                sb.append((char)('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(3) == 0)
        {
            sb.append(random.nextBoolean() ? 'e' : 'E');
            final int sign = random.nextInt(3);
            sb.append(sign == 0 ? "" : sign == 1 ? "+" : "-");
            sb.append(random.nextInt(random.nextBoolean() ? 30 : 400));
        }
        return sb.toString();
    }
}
