package io.ordergw.codec.json;

/**
 * The APEX enumerations of SendExchangeOrderStateEvent, with the values a request may carry. Values match the SBE
 * enums of the same names, and names are APEX's.
 */
public final class ApexEnums
{
    /** OrderTypeInt; Unknown (0) is refused. */
    public static final ApexEnum ORDER_TYPE = ApexEnum.of(
        0, "!Unknown", 1, "Market", 2, "Limit", 3, "StopMarket", 4, "StopLimit",
        5, "TrailingStopMarket", 6, "TrailingStopLimit", 7, "BlockTrade");

    /** Side; Unknown (3) is an error condition and refused. */
    public static final ApexEnum SIDE = ApexEnum.of(0, "Buy", 1, "Sell", 2, "Short", 3, "!Unknown");

    /** TimeInForce; Unknown (0) is refused. */
    public static final ApexEnum TIME_IN_FORCE = ApexEnum.of(
        0, "!Unknown", 1, "GTC", 2, "OPG", 3, "IOC", 4, "FOK", 5, "GTX", 6, "GTD");

    /** PegPriceType. */
    public static final ApexEnum PEG_PRICE_TYPE = ApexEnum.of(
        0, "Unknown", 1, "Last", 2, "Bid", 3, "Ask", 4, "Midpoint");

    /** LinkType of an order event. */
    public static final ApexEnum LINK_TYPE = ApexEnum.of(0, "Unknown", 1, "Cancel", 2, "Update");

    /** OrderState; a request may name any but Unknown. */
    public static final ApexEnum ORDER_STATE = ApexEnum.of(
        0, "!Unknown", 1, "Working", 2, "Rejected", 3, "Canceled", 4, "Expired", 5, "FullyExecuted");

    /** ChangeReason (OrderStateChangeReason). */
    public static final ApexEnum CHANGE_REASON = ApexEnum.of(
        0, "Unknown", 1, "NewInputAccepted", 2, "NewInputRejected", 3, "OtherRejected", 4, "Expired", 5, "Trade",
        6, "SystemCanceled_NoMoreMarket", 7, "SystemCanceled_BelowMinimum", 8, "SystemCanceled_PriceCollar",
        9, "SystemCanceled_MarginFailed", 100, "UserModified");

    /** OrderFlag bit names, in bit order (1, 2, 4, 8). */
    static final String[] ORDER_FLAG_NAMES = {"NoAccountRiskCheck", "AddedToBook", "RemovedFromBook", "PostOnly"};

    /** Every OrderFlag bit. */
    public static final int ORDER_FLAG_MASK = 0xF;

    private ApexEnums()
    {
    }
}
