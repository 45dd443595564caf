package io.ordergw.codec.json;

/**
 * An APEX enumeration as it appears on the wire: integers going in (or their names, letter case ignored), names
 * coming out. Each instance also knows which values a request may carry, to say so in a refusal's detail.
 */
public final class ApexEnum
{
    /** {@link #valueOf} result for a name that is not in the enumeration. */
    public static final int NO_VALUE = Integer.MIN_VALUE;

    private final int[] values;
    private final String[] names;
    private final boolean[] allowed;
    private final String allowedDescription;

    private ApexEnum(final int[] values, final String[] names, final boolean[] allowed)
    {
        this.values = values;
        this.names = names;
        this.allowed = allowed;
        final StringBuilder sb = new StringBuilder();
        int count = 0;
        for (final boolean a : allowed)
        {
            count += a ? 1 : 0;
        }
        int written = 0;
        for (int i = 0; i < values.length; i++)
        {
            if (allowed[i])
            {
                if (written > 0)
                {
                    sb.append(written == count - 1 ? " or " : ", ");
                }
                sb.append(names[i]).append('(').append(values[i]).append(')');
                written++;
            }
        }
        this.allowedDescription = sb.toString();
    }

    /**
     * Build from {@code value, name} pairs; names starting with {@code !} are known but refused in requests.
     *
     * @param pairs alternating Integer and String.
     * @return the enumeration.
     */
    public static ApexEnum of(final Object... pairs)
    {
        final int n = pairs.length / 2;
        final int[] values = new int[n];
        final String[] names = new String[n];
        final boolean[] allowed = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (Integer)pairs[2 * i];
            final String name = (String)pairs[2 * i + 1];
            allowed[i] = !name.startsWith("!");
            names[i] = allowed[i] ? name : name.substring(1);
        }
        return new ApexEnum(values, names, allowed);
    }

    /**
     * Whether a request may carry this value.
     *
     * @param value the integer.
     * @return true if allowed.
     */
    public boolean isAllowed(final int value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return allowed[i];
            }
        }
        return false;
    }

    /**
     * The value of a name, letter case ignored, without allocating.
     *
     * @param text   characters.
     * @param offset first.
     * @param length count.
     * @return the value or {@link #NO_VALUE}.
     */
    public int valueOf(final char[] text, final int offset, final int length)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (equalsIgnoreCase(names[i], text, offset, length))
            {
                return values[i];
            }
        }
        // A number sent as a string ("2") is read as that number.
        int value = 0;
        if (length == 0 || length > 9)
        {
            return NO_VALUE;
        }
        for (int i = offset; i < offset + length; i++)
        {
            final char c = text[i];
            if (c < '0' || c > '9')
            {
                return NO_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The name of a value.
     *
     * @param value the integer.
     * @return its name, or null if unknown.
     */
    public String name(final int value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return names[i];
            }
        }
        return null;
    }

    /**
     * Append {@code "Buy(0), Sell(1) or Short(2)"}.
     *
     * @param sb where to.
     */
    public void describeAllowed(final StringBuilder sb)
    {
        sb.append(allowedDescription);
    }

    static boolean equalsIgnoreCase(final String name, final char[] text, final int offset, final int length)
    {
        if (name.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char a = name.charAt(i);
            final char b = text[offset + i];
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b))
            {
                return false;
            }
        }
        return true;
    }
}
