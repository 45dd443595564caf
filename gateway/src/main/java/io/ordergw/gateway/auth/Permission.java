package io.ordergw.gateway.auth;

/**
 * What a user may do (docs/api.md section 4). Permissions are independent: {@link #OPERATOR} does not imply the others,
 * so a check names every permission it accepts.
 */
public enum Permission
{
    /** Sends exchange order state events and reaches every account. */
    OPERATOR("Operator"),
    /** Reads orders of its own accounts, including single orders and their transitions. */
    TRADING("Trading"),
    /** Subscribes to and lists orders of its own accounts. */
    ACCOUNT_READ_ONLY("AccountReadOnly");

    private static final Permission[] VALUES = values();

    private final String apexName;

    Permission(final String apexName)
    {
        this.apexName = apexName;
    }

    /**
     * The name APEX and the configuration use.
     *
     * @return {@code Operator}, {@code Trading} or {@code AccountReadOnly}.
     */
    public String apexName()
    {
        return apexName;
    }

    /**
     * The permission with this name, letter case ignored. The APEX name ({@code AccountReadOnly}) and the Java name
     * ({@code ACCOUNT_READ_ONLY}) are both accepted.
     *
     * @param name the name.
     * @return the permission.
     * @throws IllegalArgumentException if the name is none of them; the message quotes it, e.g.
     *                                  {@code "Admin" is not Operator, Trading or AccountReadOnly}.
     */
    public static Permission parse(final String name)
    {
        if (name != null)
        {
            for (final Permission permission : VALUES)
            {
                if (permission.apexName.equalsIgnoreCase(name) || permission.name().equalsIgnoreCase(name))
                {
                    return permission;
                }
            }
        }
        throw new IllegalArgumentException("\"" + name + "\" is not " + OPERATOR.apexName + ", " + TRADING.apexName +
            " or " + ACCOUNT_READ_ONLY.apexName);
    }
}
