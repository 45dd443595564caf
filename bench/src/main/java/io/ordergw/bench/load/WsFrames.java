package io.ordergw.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of the APEX WebSocket traffic the load generator needs, without a JSON library: request frames built from
 * templates with the number {@code i} and the order id spliced in, and the two things read back from a reply frame,
 * its {@code i} and whether {@code result} was true. Garbage-free.
 */
public final class WsFrames
{
    private static final byte[] I_KEY = "\"i\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] M_KEY = "\"m\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULT_TRUE = "result\\\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUTHENTICATED_TRUE = "Authenticated\\\":true".getBytes(StandardCharsets.US_ASCII);

    private WsFrames()
    {
    }

    /**
     * A JSON string's content, escaped (quotes and backslashes; the payloads have no control characters).
     *
     * @param text the text.
     * @return escaped text.
     */
    public static String escape(final String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * The login frame (WebAuthenticateUser).
     *
     * @param user     the user name.
     * @param password the password.
     * @return the frame's text.
     */
    public static String login(final String user, final String password)
    {
        return "{\"m\":0,\"i\":0,\"n\":\"WebAuthenticateUser\",\"o\":\"" +
            escape("{\"UserName\":\"" + escape(user) + "\",\"Password\":\"" + escape(password) + "\"}") + "\"}";
    }

    /**
     * A request frame template split around its two numbers: {@code head + i + middle + orderId + tail}. The payload
     * must end with the order id as its last value.
     */
    public static final class Template
    {
        final byte[] head;
        final byte[] middle;
        final byte[] tail;

        /**
         * Split a frame for a payload whose last member is {@code "orderId":<n>}.
         *
         * @param function     n.
         * @param payloadHead  the payload up to the order id's digits.
         */
        public Template(final String function, final String payloadHead)
        {
            head = "{\"m\":0,\"i\":".getBytes(StandardCharsets.UTF_8);
            middle = (",\"n\":\"" + function + "\",\"o\":\"" + escape(payloadHead)).getBytes(StandardCharsets.UTF_8);
            tail = "}\"}".getBytes(StandardCharsets.UTF_8);
        }

        /**
         * Length of the frame for two numbers.
         *
         * @param i       the request number.
         * @param orderId the order id.
         * @return bytes.
         */
        public int length(final long i, final long orderId)
        {
            return head.length + digits(i) + middle.length + digits(orderId) + tail.length;
        }

        /**
         * Write the frame's text.
         *
         * @param out     the destination.
         * @param at      where.
         * @param i       the request number.
         * @param orderId the order id.
         * @return the position after it.
         */
        public int write(final byte[] out, final int at, final long i, final long orderId)
        {
            int p = at;
            System.arraycopy(head, 0, out, p, head.length);
            p += head.length;
            p = putLong(out, p, i);
            System.arraycopy(middle, 0, out, p, middle.length);
            p += middle.length;
            p = putLong(out, p, orderId);
            System.arraycopy(tail, 0, out, p, tail.length);
            return p + tail.length;
        }
    }

    /**
     * Decimal digits of a non-negative number.
     *
     * @param value the number (>= 0).
     * @return digit count.
     */
    public static int digits(final long value)
    {
        int n = 1;
        long v = value;
        while (v >= 10)
        {
            v /= 10;
            n++;
        }
        return n;
    }

    /**
     * Write a non-negative number's digits.
     *
     * @param out   the destination.
     * @param at    where.
     * @param value the number (>= 0).
     * @return the position after it.
     */
    public static int putLong(final byte[] out, final int at, final long value)
    {
        final int n = digits(value);
        long v = value;
        for (int p = at + n - 1; p >= at; p--)
        {
            out[p] = (byte)('0' + (v % 10));
            v /= 10;
        }
        return at + n;
    }

    /**
     * The {@code i} of a frame: the first {@code "i":} key's integer.
     *
     * @param text   the frame's bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return i, or {@link Long#MIN_VALUE} if there is none.
     */
    public static long sequence(final byte[] text, final int offset, final int length)
    {
        return numberAfter(I_KEY, text, offset, length);
    }

    /**
     * The {@code m} of a frame.
     *
     * @param text   the frame's bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return m, or {@link Long#MIN_VALUE} if there is none.
     */
    public static long messageType(final byte[] text, final int offset, final int length)
    {
        return numberAfter(M_KEY, text, offset, length);
    }

    /**
     * Whether a reply frame's payload says {@code "result":true}.
     *
     * @param text   the frame's bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return true for success.
     */
    public static boolean isSuccess(final byte[] text, final int offset, final int length)
    {
        return indexOf(RESULT_TRUE, text, offset, length) >= 0;
    }

    /**
     * Whether a login reply says {@code "Authenticated":true}.
     *
     * @param text   the frame's bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return true if logged in.
     */
    public static boolean isAuthenticated(final byte[] text, final int offset, final int length)
    {
        return indexOf(AUTHENTICATED_TRUE, text, offset, length) >= 0;
    }

    private static long numberAfter(final byte[] key, final byte[] text, final int offset, final int length)
    {
        final int at = indexOf(key, text, offset, length);
        if (at < 0)
        {
            return Long.MIN_VALUE;
        }
        final int end = offset + length;
        int p = at + key.length;
        while (p < end && text[p] == ' ')
        {
            p++;
        }
        final boolean negative = p < end && text[p] == '-';
        if (negative)
        {
            p++;
        }
        if (p >= end || text[p] < '0' || text[p] > '9')
        {
            return Long.MIN_VALUE;
        }
        long value = 0;
        while (p < end && text[p] >= '0' && text[p] <= '9')
        {
            value = value * 10 + (text[p] - '0');
            p++;
        }
        return negative ? -value : value;
    }

    static int indexOf(final byte[] key, final byte[] text, final int offset, final int length)
    {
        final int last = offset + length - key.length;
        outer:
        for (int i = offset; i <= last; i++)
        {
            for (int j = 0; j < key.length; j++)
            {
                if (text[i + j] != key[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
