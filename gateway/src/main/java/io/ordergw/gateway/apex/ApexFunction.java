package io.ordergw.gateway.apex;

/**
 * The functions the gateway answers (docs/api.md section 4), by their APEX names.
 */
public enum ApexFunction
{
    PING("Ping", true),
    WEB_AUTHENTICATE_USER("WebAuthenticateUser", true),
    AUTHENTICATE_USER("AuthenticateUser", true),
    /** ccxt's name for AuthenticateUser over HTTP (docs/api.md section 4.1). */
    AUTHENTICATE("Authenticate", true),
    LOG_OUT("LogOut", false),
    SEND_EXCHANGE_ORDER_STATE_EVENT("SendExchangeOrderStateEvent", false),
    SUBSCRIBE_ACCOUNT_EVENTS("SubscribeAccountEvents", false),
    UNSUBSCRIBE_ACCOUNT_EVENTS("UnSubscribeAccountEvents", false),
    GET_ORDER_STATUS("GetOrderStatus", true),
    GET_OPEN_ORDERS("GetOpenOrders", true),
    GET_ORDER_HISTORY("GetOrderHistory", true),
    /** ccxt's name for GetOrderHistory. */
    GET_ORDERS_HISTORY("GetOrdersHistory", true),
    GET_ORDER_HISTORY_BY_ORDER_ID("GetOrderHistoryByOrderId", true),
    GET_ORDER_STATE_TRANSITIONS("GetOrderStateTransitions", true),
    GET_TRADES_HISTORY("GetTradesHistory", true),
    GET_USER_ACCOUNTS("GetUserAccounts", true),
    GET_PRODUCTS("GetProducts", true),
    GET_INSTRUMENTS("GetInstruments", true);

    private static final ApexFunction[] VALUES = values();

    /** The APEX name. */
    public final String apexName;
    /**
     * Whether the function changes nothing, so that {@code GET /AP/{Function}?query} may call it (api.md section 4.1).
     * A login opens a session but changes no order, and ccxt signs in with a GET.
     */
    public final boolean readOnly;

    ApexFunction(final String apexName, final boolean readOnly)
    {
        this.apexName = apexName;
        this.readOnly = readOnly;
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
