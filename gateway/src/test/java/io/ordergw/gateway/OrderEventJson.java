package io.ordergw.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SendExchangeOrderStateEvent payload for tests (docs/api.md section 5): every required key with a plain default (a
 * Limit Buy GTC order on account 1, instrument 5, AddedToBook), changed key by key. Values are kept as JSON text, so
 * decimals go out exactly as written.
 */
public final class OrderEventJson
{
    private final Map<String, String> fields = new LinkedHashMap<>();

    private OrderEventJson(final long orderId)
    {
        raw("exchangeId", "1");
        raw("omsId", "1");
        raw("clientOrderId", "0");
        raw("accountId", "1");
        raw("productPairId", "5");
        raw("orderType", "2");
        raw("side", "0");
        raw("tIF", "1");
        raw("pegPriceType", "0");
        raw("quantity", "10");
        raw("displayQuantity", "0");
        raw("limitPrice", "100");
        raw("stopPrice", "0");
        raw("referencePrice", "0");
        raw("orderExpirationDateTime", "0");
        raw("orderIdOCO", "0");
        raw("orderFlag", "2");
        raw("linkType", "0");
        text("exchangeServiceId", "");
        raw("orderId", Long.toString(orderId));
        raw("enteredBy", "1");
        raw("counterPartyId", "0");
        raw("isQuote", "false");
        raw("useMargin", "false");
        raw("bestSellPrice", "0");
        raw("bestSellQuantity", "0");
        raw("bestBuyPrice", "0");
        raw("bestBuyQuantity", "0");
        raw("lastTradePrice", "0");
    }

    private OrderEventJson(final Map<String, String> fields)
    {
        this.fields.putAll(fields);
    }

    /**
     * A new Limit Buy GTC order: 10 at 100 on account 1, instrument 5, AddedToBook.
     *
     * @param orderId the order id.
     * @return the payload.
     */
    public static OrderEventJson order(final long orderId)
    {
        return new OrderEventJson(orderId);
    }

    /**
     * Set a key to JSON text (a number, true, false, an object...).
     *
     * @param key  the key.
     * @param json its value as JSON.
     * @return this.
     */
    public OrderEventJson raw(final String key, final String json)
    {
        fields.put(key, json);
        return this;
    }

    /**
     * Set a key to a string.
     *
     * @param key   the key.
     * @param value the text.
     * @return this.
     */
    public OrderEventJson text(final String key, final String value)
    {
        fields.put(key, ApexClient.quote(value));
        return this;
    }

    /**
     * Leave a key out.
     *
     * @param key the key.
     * @return this.
     */
    public OrderEventJson remove(final String key)
    {
        fields.remove(key);
        return this;
    }

    /**
     * The remaining quantity.
     *
     * @param quantity decimal text.
     * @return this.
     */
    public OrderEventJson quantity(final String quantity)
    {
        return raw("quantity", quantity);
    }

    /**
     * A trade: the remaining quantity after it, the price and a counterparty.
     *
     * @param remaining    remaining quantity after the fill.
     * @param price        lastTradePrice.
     * @param counterParty counterPartyId (non-zero).
     * @return this.
     */
    public OrderEventJson trade(final String remaining, final String price, final int counterParty)
    {
        return raw("quantity", remaining).raw("lastTradePrice", price)
            .raw("counterPartyId", Integer.toString(counterParty));
    }

    /**
     * A copy to change without touching this one.
     *
     * @return the copy.
     */
    public OrderEventJson copy()
    {
        return new OrderEventJson(fields);
    }

    /**
     * The payload.
     *
     * @return JSON text.
     */
    public String json()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (final Map.Entry<String, String> e : fields.entrySet())
        {
            if (sb.length() > 1)
            {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString()
    {
        return json();
    }
}
