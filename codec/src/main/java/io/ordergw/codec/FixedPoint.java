package io.ordergw.codec;

import org.agrona.MutableDirectBuffer;

/**
 * Exact fixed-point decimals held in a {@code long} mantissa with a process-wide scale (decimal places).
 * <p>
 * Values enter from the text of a JSON number and leave as plain text, never through a {@code double}.
 * Products and quotients are computed over 128 bits and rounded half-even to the scale, so a fill of
 * 1000 units at a price of 65000 does not overflow on the way.
 * <p>
 * The arithmetic is defined for non-negative operands, which is every decimal of the APEX order object.
 */
public final class FixedPoint
{
    /** Largest supported scale: 10^18 is the largest power of ten in a long. */
    public static final int MAX_SCALE = 18;

    /** Returned by {@link #multiply} and {@link #divide} when the result does not fit in a long. */
    public static final long OVERFLOW = Long.MIN_VALUE;

    /** {@link Parser#parse} result: the text is an exact value within range. */
    public static final int OK = 0;
    /** {@link Parser#parse} result: the text is not a number. */
    public static final int NOT_A_NUMBER = 1;
    /** {@link Parser#parse} result: the value has non-zero digits beyond the scale. */
    public static final int TOO_MANY_PLACES = 2;
    /** {@link Parser#parse} result: the value does not fit in a long at this scale. */
    public static final int TOO_LARGE = 3;

    private static final long[] POWERS_OF_TEN = new long[MAX_SCALE + 1];
    private static final int MAX_TEXT_LENGTH = 20 + 1 + MAX_SCALE + 1;

    static
    {
        long p = 1;
        for (int i = 0; i <= MAX_SCALE; i++)
        {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private FixedPoint()
    {
    }

    /**
     * 10 to the power n.
     *
     * @param n from 0 to {@link #MAX_SCALE}.
     * @return 10^n.
     */
    public static long pow10(final int n)
    {
        return POWERS_OF_TEN[n];
    }

    /**
     * Validate a scale setting.
     *
     * @param scale decimal places.
     * @return the scale.
     * @throws IllegalArgumentException if out of range.
     */
    public static int checkScale(final int scale)
    {
        if (scale < 0 || scale > MAX_SCALE)
        {
            throw new IllegalArgumentException("decimal scale must be 0.." + MAX_SCALE + ": " + scale);
        }
        return scale;
    }

    /**
     * The mantissa of a whole number at a scale, for tests and tools.
     *
     * @param units whole units.
     * @param scale decimal places.
     * @return units * 10^scale.
     */
    public static long ofUnits(final long units, final int scale)
    {
        return Math.multiplyExact(units, POWERS_OF_TEN[scale]);
    }

    /**
     * a * b at the scale, rounded half-even. Operands must be non-negative.
     *
     * @param a     a mantissa.
     * @param b     a mantissa.
     * @param scale decimal places of both and of the result.
     * @return the product's mantissa or {@link #OVERFLOW}.
     */
    public static long multiply(final long a, final long b, final int scale)
    {
        final long hi = Math.multiplyHigh(a, b);
        final long lo = a * b;
        return divideRoundHalfEven(hi, lo, POWERS_OF_TEN[scale]);
    }

    /**
     * a / b at the scale, rounded half-even. Operands must be non-negative and b non-zero.
     *
     * @param a     dividend mantissa.
     * @param b     divisor mantissa.
     * @param scale decimal places of both and of the result.
     * @return the quotient's mantissa or {@link #OVERFLOW}.
     */
    public static long divide(final long a, final long b, final int scale)
    {
        final long factor = POWERS_OF_TEN[scale];
        final long hi = Math.multiplyHigh(a, factor);
        final long lo = a * factor;
        return divideRoundHalfEven(hi, lo, b);
    }

    /**
     * Write a value as a plain decimal: no exponent, no trailing zeros ({@code 1.5}, {@code 100}, {@code 0.00000001}).
     *
     * @param value  mantissa.
     * @param scale  decimal places.
     * @param buffer to write ASCII into.
     * @param offset where to start.
     * @return the number of bytes written.
     */
    public static int format(final long value, final int scale, final MutableDirectBuffer buffer, final int offset)
    {
        int pos = offset;
        long magnitude = value;
        if (value < 0)
        {
            buffer.putByte(pos++, (byte)'-');
            if (value == Long.MIN_VALUE)
            {
                // |MIN_VALUE| does not fit: print it digit by digit from the unsigned value.
                return 1 + formatUnsigned(Long.MIN_VALUE, scale, buffer, pos);
            }
            magnitude = -value;
        }
        return (pos - offset) + formatUnsigned(magnitude, scale, buffer, pos);
    }

    /**
     * Plain text of a value, for logs and test messages (allocates).
     *
     * @param value mantissa.
     * @param scale decimal places.
     * @return the text.
     */
    public static String toString(final long value, final int scale)
    {
        return append(new StringBuilder(MAX_TEXT_LENGTH), value, scale).toString();
    }

    /**
     * Append the plain text of a value (as {@link #format} writes it) to a builder, allocating nothing while the
     * builder has room: for details written on the engine thread.
     *
     * @param builder where the text goes.
     * @param value   mantissa.
     * @param scale   decimal places.
     * @return the builder.
     */
    public static StringBuilder append(final StringBuilder builder, final long value, final int scale)
    {
        final long magnitude = value < 0 ? -value : value; // Long.MIN_VALUE stays itself: read as unsigned below
        if (value < 0)
        {
            builder.append('-');
        }
        final long factor = POWERS_OF_TEN[scale];
        final long whole = Long.divideUnsigned(magnitude, factor);
        long fraction = Long.remainderUnsigned(magnitude, factor);
        if (whole < 0)
        {
            builder.append(Long.toUnsignedString(whole)); // only Long.MIN_VALUE at scale 0
        }
        else
        {
            builder.append(whole);
        }
        if (fraction != 0)
        {
            int digits = scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            builder.append('.');
            for (long bound = POWERS_OF_TEN[digits - 1]; bound > fraction; bound /= 10)
            {
                builder.append('0'); // leading zeros of the fraction
            }
            builder.append(fraction);
        }
        return builder;
    }

    private static int formatUnsigned(
        final long magnitude, final int scale, final MutableDirectBuffer buffer, final int offset)
    {
        final long factor = POWERS_OF_TEN[scale];
        final long whole = Long.divideUnsigned(magnitude, factor);
        long fraction = Long.remainderUnsigned(magnitude, factor);
        int pos = offset + writeUnsigned(whole, buffer, offset);
        if (fraction != 0)
        {
            int digits = scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            buffer.putByte(pos++, (byte)'.');
            for (int i = digits - 1; i >= 0; i--)
            {
                buffer.putByte(pos + i, (byte)('0' + (fraction % 10)));
                fraction /= 10;
            }
            pos += digits;
        }
        return pos - offset;
    }

    private static int writeUnsigned(final long value, final MutableDirectBuffer buffer, final int offset)
    {
        if (value == 0)
        {
            buffer.putByte(offset, (byte)'0');
            return 1;
        }
        int digits = 0;
        long v = value;
        while (v != 0)
        {
            v = Long.divideUnsigned(v, 10);
            digits++;
        }
        v = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            buffer.putByte(offset + i, (byte)('0' + Long.remainderUnsigned(v, 10)));
            v = Long.divideUnsigned(v, 10);
        }
        return digits;
    }

    /**
     * (hi:lo) / divisor over unsigned 128 bits, rounded half-even, or OVERFLOW if it does not fit a
     * non-negative long.
     */
    static long divideRoundHalfEven(final long hi, final long lo, final long divisor)
    {
        if (Long.compareUnsigned(hi, divisor) >= 0)
        {
            return OVERFLOW;
        }
        final long quotient = divideUnsigned128(hi, lo, divisor);
        if (quotient < 0)
        {
            // 2^63 or more: checked before rounding, since 2^64 - 1 rounded up would wrap to 0.
            return OVERFLOW;
        }
        final long remainder = lo - quotient * divisor;
        final long half = divisor - remainder;
        long result = quotient;
        if (Long.compareUnsigned(remainder, half) > 0 || (remainder == half && (quotient & 1) != 0))
        {
            result++;
        }
        return result < 0 ? OVERFLOW : result;
    }

    /**
     * Unsigned 128-by-64-bit division (Knuth D as in Hacker's Delight, divlu); requires hi < divisor.
     */
    private static long divideUnsigned128(final long hi, final long lo, final long divisor)
    {
        if (hi == 0)
        {
            return Long.divideUnsigned(lo, divisor);
        }
        final long base = 1L << 32;
        final int shift = Long.numberOfLeadingZeros(divisor);
        final long v = divisor << shift;
        final long vn1 = v >>> 32;
        final long vn0 = v & 0xFFFF_FFFFL;
        final long un32 = (hi << shift) | (shift == 0 ? 0 : lo >>> (64 - shift));
        final long un10 = lo << shift;
        final long un1 = un10 >>> 32;
        final long un0 = un10 & 0xFFFF_FFFFL;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, base) >= 0 || Long.compareUnsigned(q1 * vn0, base * rhat + un1) > 0)
        {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0)
            {
                break;
            }
        }

        final long un21 = un32 * base + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, base) >= 0 || Long.compareUnsigned(q0 * vn0, base * rhat + un0) > 0)
        {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0)
            {
                break;
            }
        }
        return q1 * base + q0;
    }

    /**
     * Reads the text of a JSON number (or a numeric string) into a mantissa exactly. Reusable; holds its last
     * result.
     */
    public static final class Parser
    {
        private long value;
        private boolean negative;

        /**
         * The mantissa of the last successful parse.
         *
         * @return value at the scale.
         */
        public long value()
        {
            return value;
        }

        /**
         * Whether the last parsed text had a minus sign (and a non-zero value).
         *
         * @return true if negative.
         */
        public boolean negative()
        {
            return negative;
        }

        /**
         * Parse {@code -?digits(.digits)?([eE][+-]?digits)?} exactly at the scale.
         *
         * @param text   characters.
         * @param offset first character.
         * @param length number of characters.
         * @param scale  decimal places.
         * @return {@link #OK}, {@link #NOT_A_NUMBER}, {@link #TOO_MANY_PLACES} or {@link #TOO_LARGE}.
         */
        public int parse(final char[] text, final int offset, final int length, final int scale)
        {
            value = 0;
            negative = false;
            final int end = offset + length;
            int pos = offset;
            if (pos < end && (text[pos] == '-' || text[pos] == '+'))
            {
                negative = text[pos] == '-';
                pos++;
            }

            // First pass: find the digits, the point and the exponent.
            final int digitsStart = pos;
            int pointAt = -1;
            int digitCount = 0;
            while (pos < end)
            {
                final char c = text[pos];
                if (c >= '0' && c <= '9')
                {
                    digitCount++;
                }
                else if (c == '.' && pointAt < 0)
                {
                    pointAt = pos;
                }
                else
                {
                    break;
                }
                pos++;
            }
            final int digitsEnd = pos;
            if (digitCount == 0)
            {
                return NOT_A_NUMBER;
            }

            long exponent = 0;
            if (pos < end)
            {
                if (text[pos] != 'e' && text[pos] != 'E')
                {
                    return NOT_A_NUMBER;
                }
                pos++;
                boolean negativeExponent = false;
                if (pos < end && (text[pos] == '-' || text[pos] == '+'))
                {
                    negativeExponent = text[pos] == '-';
                    pos++;
                }
                if (pos == end)
                {
                    return NOT_A_NUMBER;
                }
                while (pos < end)
                {
                    final char c = text[pos++];
                    if (c < '0' || c > '9')
                    {
                        return NOT_A_NUMBER;
                    }
                    if (exponent < 100_000)
                    {
                        exponent = exponent * 10 + (c - '0');
                    }
                }
                if (negativeExponent)
                {
                    exponent = -exponent;
                }
            }

            // Digit d at index k (0-based among the digits) has weight 10^(intDigits - 1 - k + exponent).
            // In mantissa units that is 10^(intDigits - 1 - k + exponent + scale).
            final int intDigits = pointAt < 0 ? digitCount : countDigits(text, digitsStart, pointAt);
            long result = 0;
            int k = 0;
            for (int i = digitsStart; i < digitsEnd; i++)
            {
                final char c = text[i];
                if (c == '.')
                {
                    continue;
                }
                final int digit = c - '0';
                final long power = (long)intDigits - 1 - k + exponent + scale;
                k++;
                if (digit == 0)
                {
                    continue;
                }
                if (power < 0)
                {
                    return TOO_MANY_PLACES;
                }
                if (power > MAX_SCALE)
                {
                    return TOO_LARGE;
                }
                final long term = digit * POWERS_OF_TEN[(int)power];
                if (term / POWERS_OF_TEN[(int)power] != digit)
                {
                    return TOO_LARGE;
                }
                result += term;
                if (result < 0)
                {
                    return TOO_LARGE;
                }
            }
            value = negative ? -result : result;
            negative = negative && result != 0;
            return OK;
        }

        private static int countDigits(final char[] text, final int from, final int to)
        {
            int count = 0;
            for (int i = from; i < to; i++)
            {
                if (text[i] >= '0' && text[i] <= '9')
                {
                    count++;
                }
            }
            return count;
        }
    }
}
