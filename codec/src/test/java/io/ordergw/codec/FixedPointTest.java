package io.ordergw.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.ordergw.codec.FixedPoint.OVERFLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worked examples of {@link FixedPoint}: the values an order's fills and prices actually take, the edges of the
 * range, and the half-even ties. The properties against {@link java.math.BigDecimal} are in
 * {@link FixedPointPropertyTest}.
 */
class FixedPointTest
{
    @Test
    void appendWritesTheSameTextAsFormat()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        final long[] edges = {0, 1, -1, 10, 100_000_000, -100_000_000, 123_456_789, 5, 50, 1_000_000_001,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (int scale = 0; scale <= 18; scale++)
        {
            for (int k = 0; k < edges.length + 2_000; k++)
            {
                final long value = k < edges.length ? edges[k] : random.nextLong() >> random.nextInt(64);
                final int length = FixedPoint.format(value, scale, buffer, 0);
                assertEquals(buffer.getStringWithoutLengthAscii(0, length),
                    FixedPoint.append(new StringBuilder(), value, scale).toString(), value + " at scale " + scale);
            }
        }
    }

    private static final int SCALE = 8;

    private final FixedPoint.Parser parser = new FixedPoint.Parser();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "150000000            | 8  | 1.5",
        "10000000000          | 8  | 100",
        "1                    | 8  | 0.00000001",
        "0                    | 8  | 0",
        "-150000000           | 8  | -1.5",
        "6500012345678        | 8  | 65000.12345678",
        "6500000000000        | 8  | 65000",
        "10                   | 8  | 0.0000001",
        "9223372036854775807  | 8  | 92233720368.54775807",
        "-9223372036854775808 | 8  | -92233720368.54775808",
        "123                  | 0  | 123",
        "-9223372036854775808 | 0  | -9223372036854775808",
        "1                    | 18 | 0.000000000000000001",
        "9223372036854775807  | 18 | 9.223372036854775807",
        "1000000000000000000  | 18 | 1",
        "120                  | 2  | 1.2",
    })
    void shouldFormatInPlainNotationWithoutTrailingZeros(final long mantissa, final int scale, final String expected)
    {
        assertEquals(expected, FixedPoint.toString(mantissa, scale));
    }

    @Test
    void shouldFormatAtAnOffsetAndTouchNothingElse()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.setMemory(0, 64, (byte)'#');

        final int length = FixedPoint.format(150_000_000L, SCALE, buffer, 10);

        assertEquals(3, length);
        assertEquals("##########1.5###", buffer.getStringWithoutLengthAscii(0, 16));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5                  | 150000000",
        "100                  | 10000000000",
        "0.00000001           | 1",
        "0                    | 0",
        "-0                   | 0",
        "0.0                  | 0",
        "65000.12345678       | 6500012345678",
        "1.123456780000000000 | 112345678",
        "0001.50              | 150000000",
        "1e2                  | 10000000000",
        "1E+2                 | 10000000000",
        "15e-1                | 150000000",
        "1.5E3                | 150000000000",
        "100000000e-16        | 1",
        "0.0e999999           | 0",
        "1e-0000000000000000008 | 1",
        "92233720368.54775807 | 9223372036854775807",
    })
    void shouldParseExactly(final String text, final long expected)
    {
        assertEquals(FixedPoint.OK, parse(text, SCALE), text);
        assertEquals(expected, parser.value(), text);
        assertFalse(parser.negative(), text);
    }

    @Test
    void shouldParseNegativeValuesAndSayTheyAreNegative()
    {
        assertEquals(FixedPoint.OK, parse("-1.5", SCALE));
        assertEquals(-150_000_000L, parser.value());
        assertTrue(parser.negative());

        assertEquals(FixedPoint.OK, parse("-0.000", SCALE));
        assertEquals(0, parser.value());
        assertFalse(parser.negative(), "minus zero is not negative");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.000000001           | 2",
        "1.123456789           | 2",
        "1e-9                  | 2",
        "-0.000000001          | 2",
        "12345678901234567e-17 | 2",
        "92233720368.54775808  | 3",
        "92233720369           | 3",
        "1e11                  | 3",
        "1e100000              | 3",
        "100000000000000000000 | 3",
        "abc                   | 1",
        "''                    | 1",
        "-                     | 1",
        ".                     | 1",
        "1e                    | 1",
        "1e+                   | 1",
        "1.2.3                 | 1",
        "1x                    | 1",
        "e5                    | 1",
        "0x10                  | 1",
    })
    void shouldRefuseWhatItCannotHoldExactly(final String text, final int expected)
    {
        assertEquals(expected, parse(text, SCALE), text);
    }

    @Test
    void shouldRefuseToRoundAtScaleZero()
    {
        assertEquals(FixedPoint.TOO_MANY_PLACES, parse("1.5", 0));
        assertEquals(FixedPoint.OK, parse("9223372036854775807", 0));
        assertEquals(Long.MAX_VALUE, parser.value());
        assertEquals(FixedPoint.TOO_LARGE, parse("9223372036854775808", 0));
    }

    @Test
    void shouldMultiplyAFillWhoseProductExceedsALongBeforeScaling()
    {
        final long quantity = FixedPoint.ofUnits(1000, SCALE);
        final long price = FixedPoint.ofUnits(65_000, SCALE);

        assertEquals(FixedPoint.ofUnits(65_000_000, SCALE), FixedPoint.multiply(quantity, price, SCALE));
        assertEquals(FixedPoint.ofUnits(65_000, SCALE),
            FixedPoint.divide(FixedPoint.ofUnits(65_000_000, SCALE), quantity, SCALE));
    }

    @Test
    void shouldRoundProductsHalfEven()
    {
        // 0.00000001 * 0.5 = 0.000000005: a tie, rounded to the even 0.
        assertEquals(0, FixedPoint.multiply(1, 50_000_000, SCALE));
        // 0.00000003 * 0.5 = 0.000000015: a tie, rounded to the even 0.00000002.
        assertEquals(2, FixedPoint.multiply(3, 50_000_000, SCALE));
        // 0.00000005 * 0.5 = 0.000000025: a tie, rounded to the even 0.00000002.
        assertEquals(2, FixedPoint.multiply(5, 50_000_000, SCALE));
        // 0.00000001 * 0.6 = 0.000000006: above half, rounded up.
        assertEquals(1, FixedPoint.multiply(1, 60_000_000, SCALE));
        // 0.00000001 * 0.4: below half, rounded down.
        assertEquals(0, FixedPoint.multiply(1, 40_000_000, SCALE));
    }

    @Test
    void shouldRoundQuotientsHalfEven()
    {
        // 1 / 3 = 0.333333333...
        assertEquals(33_333_333, FixedPoint.divide(FixedPoint.ofUnits(1, SCALE), FixedPoint.ofUnits(3, SCALE), SCALE));
        // 2 / 3 = 0.666666666...
        assertEquals(66_666_667, FixedPoint.divide(FixedPoint.ofUnits(2, SCALE), FixedPoint.ofUnits(3, SCALE), SCALE));
        // 0.00000001 / 2 = 0.000000005 (tie to 0); 0.00000003 / 2 = 0.000000015 (tie to 2).
        assertEquals(0, FixedPoint.divide(1, FixedPoint.ofUnits(2, SCALE), SCALE));
        assertEquals(2, FixedPoint.divide(3, FixedPoint.ofUnits(2, SCALE), SCALE));
    }

    @Test
    void shouldReportOverflowInsteadOfWrapping()
    {
        assertEquals(OVERFLOW, FixedPoint.multiply(Long.MAX_VALUE, Long.MAX_VALUE, SCALE));
        assertEquals(OVERFLOW, FixedPoint.multiply(Long.MAX_VALUE, FixedPoint.ofUnits(2, SCALE), SCALE));
        assertEquals(Long.MAX_VALUE, FixedPoint.multiply(Long.MAX_VALUE, FixedPoint.ofUnits(1, SCALE), SCALE));
        assertEquals(OVERFLOW, FixedPoint.divide(Long.MAX_VALUE, 1, SCALE));
        assertEquals(Long.MAX_VALUE, FixedPoint.divide(Long.MAX_VALUE, FixedPoint.ofUnits(1, SCALE), SCALE));
    }

    @Test
    void shouldReportOverflowWhenRoundingUpReachesTwoToThe64()
    {
        // (2^36 * 5^4)^2 - 1 = 2^64 * 10^8 - 1: the quotient is 2^64 - 1 and rounds up to 2^64.
        final long a = 42_949_672_960_000L;
        assertEquals(OVERFLOW, FixedPoint.multiply(a - 1, a + 1, SCALE));
        // 5212496472908108 * 10^8 / 28257 is 2^64 - 1 and a remainder above one half.
        assertEquals(OVERFLOW, FixedPoint.divide(5_212_496_472_908_108L, 28_257L, SCALE));
    }

    @Test
    void shouldRoundTripFormatAndParse()
    {
        final long[] values = {0, 1, 9, 10, 99_999_999, 100_000_000, 150_000_000, 6_500_012_345_678L, Long.MAX_VALUE};
        for (int scale = 0; scale <= FixedPoint.MAX_SCALE; scale++)
        {
            for (final long value : values)
            {
                final String text = FixedPoint.toString(value, scale);
                assertEquals(FixedPoint.OK, parse(text, scale), text);
                assertEquals(value, parser.value(), text);
            }
        }
    }

    @Test
    void shouldValidateTheScaleSetting()
    {
        assertEquals(0, FixedPoint.checkScale(0));
        assertEquals(18, FixedPoint.checkScale(18));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.checkScale(19));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.checkScale(-1));
        assertThrows(ArithmeticException.class, () -> FixedPoint.ofUnits(100_000_000_000L, SCALE));
    }

    private int parse(final String text, final int scale)
    {
        final char[] chars = ("  " + text + "  ").toCharArray();
        return parser.parse(chars, 2, text.length(), scale);
    }
}
