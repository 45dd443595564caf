package io.ordergw.gateway.apex;

/**
 * The functions the gateway answers (API.md section 4), by their APEX names.
 */
public enum ApexFunction
{
    PING("Ping"),
    WEB_AUTHENTICATE_USER("WebAuthenticateUser"),
    AUTHENTICATE_USER("AuthenticateUser"),
    LOG_OUT("LogOut"),
    SEND_EXCHANGE_ORDER_STATE_EVENT("SendExchangeOrderStateEvent"),
    SUBSCRIBE_ACCOUNT_EVENTS("SubscribeAccountEvents"),
    UNSUBSCRIBE_ACCOUNT_EVENTS("UnSubscribeAccountEvents"),
    GET_ORDER_STATUS("GetOrderStatus"),
    GET_OPEN_ORDERS("GetOpenOrders"),
    GET_ORDER_HISTORY("GetOrderHistory"),
    GET_ORDER_HISTORY_BY_ORDER_ID("GetOrderHistoryByOrderId"),
    GET_ORDER_STATE_TRANSITIONS("GetOrderStateTransitions");

    private static final ApexFunction[] VALUES = values();

    /** The APEX name. */
    public final String apexName;

    ApexFunction(final String apexName)
    {
        this.apexName = apexName;
    }

    /**
     * The function named by ASCII bytes, letter case ignored, without allocating.
     *
     * @param name   bytes.
     * @param length byte count.
     * @return the function or null.
     */
    public static ApexFunction of(final byte[] name, final int length)
    {
        for (final ApexFunction function : VALUES)
        {
            if (equalsIgnoreCase(function.apexName, name, length))
            {
                return function;
            }
        }
        return null;
    }

    /**
     * The function with a name, letter case ignored.
     *
     * @param name the name.
     * @return the function or null.
     */
    public static ApexFunction of(final String name)
    {
        for (final ApexFunction function : VALUES)
        {
            if (function.apexName.equalsIgnoreCase(name))
            {
                return function;
            }
        }
        return null;
    }

    private static boolean equalsIgnoreCase(final String a, final byte[] b, final int length)
    {
        if (a.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final int x = a.charAt(i);
            final int y = b[i];
            if (x != y && Character.toLowerCase(x) != Character.toLowerCase(y))
            {
                return false;
            }
        }
        return true;
    }
}
