package io.ordergw.codec;

/**
 * APEX error codes and their exact {@code errormsg} texts. The human explanation goes in {@code detail}.
 */
public final class ApexError
{
    /** Success. */
    public static final int NONE = 0;
    /** Not logged in, or lacking the permission or the account. */
    public static final int NOT_AUTHORIZED = 20;
    /** Malformed request: bad JSON, a missing or duplicated key, wrong type, value out of range. */
    public static final int INVALID_REQUEST = 100;
    /** A valid request the order's state forbids. */
    public static final int OPERATION_FAILED = 101;
    /** The server cannot take it now; nothing was applied. */
    public static final int SERVER_ERROR = 102;
    /** Unknown order, account, OMS or exchange. */
    public static final int NOT_FOUND = 104;
    /** Unknown or unsupported function. */
    public static final int NOT_SUPPORTED = 106;

    private ApexError()
    {
    }

    /**
     * The APEX {@code errormsg} for a code.
     *
     * @param code an error code.
     * @return the exact text APEX clients expect, or null for success.
     */
    public static String message(final int code)
    {
        switch (code)
        {
            case NONE:
                return null;
            case NOT_AUTHORIZED:
                return "Not Authorized";
            case INVALID_REQUEST:
                return "Invalid Response";
            case OPERATION_FAILED:
                return "Operation Failed";
            case SERVER_ERROR:
                return "Server Error";
            case NOT_FOUND:
                return "Resource Not Found";
            case NOT_SUPPORTED:
                return "Operation Not Supported";
            default:
                return "Server Error";
        }
    }
}
