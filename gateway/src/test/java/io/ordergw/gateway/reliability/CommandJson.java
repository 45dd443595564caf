package io.ordergw.gateway.reliability;

import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.TimeInForce;
import io.ordergw.engine.Commands;

import java.math.BigDecimal;

/**
 * Writes a test {@link Commands} as the SendExchangeOrderStateEvent payload an operator would send (api.md section 5),
 * so that commands from the engine's seeded streams can drive the gateway over the wire and the engine's
 * {@code ReferenceModel} can be fed the very same commands.
 */
final class CommandJson
{
    /** An expiry long past on any machine's clock: 2001-09-09. */
    static final long LONG_AGO_MILLIS = 1_000_000_000_000L;

    private CommandJson()
    {
    }

    /**
     * Make a command's outcome independent of the wall clock. The gateway stamps event time when a request arrives,
     * while the model reads the command's own receive time; the only rule that reads time is GTD expiry (docs/api.md
     * section 5 row 11), so GTD expiries are moved far into the past, where both agree the order has expired.
     *
     * @param c the command, changed in place.
     * @return the command.
     */
    static Commands clockIndependent(final Commands c)
    {
        if (c.timeInForce == TimeInForce.GTD && c.orderExpirationDateTime > 0)
        {
            c.orderExpirationDateTime = LONG_AGO_MILLIS;
        }
        return c;
    }

    /**
     * The payload JSON of a command.
     *
     * @param c the command.
     * @return the JSON object text.
     */
    static String payload(final Commands c)
    {
        final StringBuilder sb = new StringBuilder(640).append('{');
        sb.append("\"exchangeId\":").append(c.exchangeId);
        sb.append(",\"omsId\":").append(c.omsId);
        sb.append(",\"clientOrderId\":").append(c.clientOrderId);
        sb.append(",\"accountId\":").append(c.accountId);
        sb.append(",\"productPairId\":").append(c.productPairId);
        sb.append(",\"orderType\":").append(c.orderType.value());
        sb.append(",\"side\":").append(c.side.value());
        sb.append(",\"tIF\":").append(c.timeInForce.value());
        sb.append(",\"pegPriceType\":").append(c.pegPriceType.value());
        sb.append(",\"quantity\":").append(decimal(c.quantity));
        sb.append(",\"displayQuantity\":").append(decimal(c.displayQuantity));
        sb.append(",\"limitPrice\":").append(decimal(c.limitPrice));
        sb.append(",\"stopPrice\":").append(decimal(c.stopPrice));
        sb.append(",\"referencePrice\":").append(decimal(c.referencePrice));
        sb.append(",\"orderExpirationDateTime\":").append(c.orderExpirationDateTime);
        sb.append(",\"orderIdOCO\":").append(c.orderIdOCO);
        sb.append(",\"orderFlag\":").append(c.orderFlags);
        sb.append(",\"linkType\":").append(c.linkType.value());
        sb.append(",\"exchangeServiceId\":").append(quote(c.exchangeServiceId));
        sb.append(",\"orderId\":").append(c.orderId);
        sb.append(",\"enteredBy\":").append(c.enteredBy);
        sb.append(",\"counterPartyId\":").append(c.counterPartyId);
        sb.append(",\"isQuote\":").append(c.isQuote);
        sb.append(",\"useMargin\":").append(c.useMargin);
        sb.append(",\"bestSellPrice\":").append(decimal(c.bestSellPrice));
        sb.append(",\"bestSellQuantity\":").append(decimal(c.bestSellQuantity));
        sb.append(",\"bestBuyPrice\":").append(decimal(c.bestBuyPrice));
        sb.append(",\"bestBuyQuantity\":").append(decimal(c.bestBuyQuantity));
        sb.append(",\"lastTradePrice\":").append(decimal(c.lastTradePrice));
        if (c.requestedState != OrderState.NULL_VAL)
        {
            sb.append(",\"orderState\":").append(c.requestedState.value());
        }
        if (c.requestedChangeReason != ChangeReason.NULL_VAL)
        {
            sb.append(",\"changeReason\":").append(c.requestedChangeReason.value());
        }
        sb.append(",\"reason\":").append(quote(c.reason));
        return sb.append('}').toString();
    }

    private static String decimal(final long mantissa)
    {
        return BigDecimal.valueOf(mantissa, Commands.SCALE).stripTrailingZeros().toPlainString();
    }

    /**
     * A JSON string literal.
     *
     * @param text the text.
     * @return the literal.
     */
    static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char ch = text.charAt(i);
            if (ch == '"' || ch == '\\')
            {
                sb.append('\\').append(ch);
            }
            else if (ch < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)ch));
            }
            else
            {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }
}
