package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.BooleanType;
import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import io.ordergw.codec.sbe.OrderType;
import io.ordergw.codec.sbe.PegPriceType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import org.agrona.collections.IntHashSet;

import java.io.IOException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Decodes the payload of SendExchangeOrderStateEvent (docs/api.md section 5) into an {@link OrderStateCommandEncoder},
 * checking every rule of the contract: required keys, types, ranges, exact decimals, the cross-field rules, the
 * gateway's OMS and the configured exchanges.
 * <p>
 * On success every request field of the command is set (the caller sets correlation id, session id and receive
 * time). On failure nothing useful is written and {@link #errorCode()}/{@link #detail()} say why: 100 for a malformed
 * request, 104 for an unknown OMS or exchange. A warm decoder allocates nothing for a valid payload.
 */
public final class OrderStateCommandJsonDecoder
{
    /** Largest {@code exchangeServiceId}, in UTF-8 bytes. */
    public static final int MAX_EXCHANGE_SERVICE_ID_BYTES = 64;
    /** Largest {@code reason}, in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 256;

    static final int EXCHANGE_ID = 0;
    static final int OMS_ID = 1;
    static final int CLIENT_ORDER_ID = 2;
    static final int ACCOUNT_ID = 3;
    static final int PRODUCT_PAIR_ID = 4;
    static final int ORDER_TYPE = 5;
    static final int SIDE = 6;
    static final int TIF = 7;
    static final int PEG_PRICE_TYPE = 8;
    static final int QUANTITY = 9;
    static final int DISPLAY_QUANTITY = 10;
    static final int LIMIT_PRICE = 11;
    static final int STOP_PRICE = 12;
    static final int REFERENCE_PRICE = 13;
    static final int ORDER_EXPIRATION = 14;
    static final int ORDER_ID_OCO = 15;
    static final int ORDER_FLAG = 16;
    static final int LINK_TYPE = 17;
    static final int EXCHANGE_SERVICE_ID = 18;
    static final int ORDER_ID = 19;
    static final int ENTERED_BY = 20;
    static final int COUNTER_PARTY_ID = 21;
    static final int IS_QUOTE = 22;
    static final int USE_MARGIN = 23;
    static final int BEST_SELL_PRICE = 24;
    static final int BEST_SELL_QUANTITY = 25;
    static final int BEST_BUY_PRICE = 26;
    static final int BEST_BUY_QUANTITY = 27;
    static final int LAST_TRADE_PRICE = 28;
    static final int ORDER_STATE = 29;
    static final int CHANGE_REASON = 30;
    static final int REASON = 31;
    static final int FIELD_COUNT = 32;

    /** The payload's keys, in index order; aliases after {@code |}. */
    public static final FieldTable FIELDS = FieldTable.of(
        "exchangeId", "omsId", "clientOrderId", "accountId", "productPairId|instrumentId", "orderType",
        "side", "tIF|timeInForce", "pegPriceType", "quantity", "displayQuantity", "limitPrice|price", "stopPrice",
        "referencePrice", "orderExpirationDateTime", "orderIdOCO", "orderFlag", "linkType", "exchangeServiceId",
        "orderId", "enteredBy", "counterPartyId", "isQuote", "useMargin", "bestSellPrice", "bestSellQuantity",
        "bestBuyPrice", "bestBuyQuantity", "lastTradePrice", "orderState", "changeReason", "reason");

    private static final boolean[] OPTIONAL = new boolean[FIELD_COUNT];

    static
    {
        if (FIELDS.size() != FIELD_COUNT)
        {
            throw new IllegalStateException("field table out of step");
        }
        OPTIONAL[CLIENT_ORDER_ID] = true;
        OPTIONAL[ORDER_STATE] = true;
        OPTIONAL[CHANGE_REASON] = true;
        OPTIONAL[REASON] = true;
    }

    private final JsonPayloadReader reader = new JsonPayloadReader(MAX_REASON_BYTES);
    private final int scale;
    private final int omsId;
    private final IntHashSet exchanges;
    private final IntHashSet instruments;
    private final long[] values = new long[FIELD_COUNT];
    private final byte[] exchangeServiceId = new byte[MAX_EXCHANGE_SERVICE_ID_BYTES];
    private int exchangeServiceIdLength;
    private final byte[] reason = new byte[MAX_REASON_BYTES];
    private int reasonLength;

    /**
     * A decoder for one gateway.
     *
     * @param scale     decimal places of fixed-point values.
     * @param omsId     this gateway's OMS id; other values are refused with 104.
     * @param exchanges the configured exchange ids; empty accepts any id >= 0.
     */
    public OrderStateCommandJsonDecoder(final int scale, final int omsId, final int[] exchanges)
    {
        this(scale, omsId, exchanges, new int[0]);
    }

    /**
     * A decoder for one gateway with an instrument table.
     *
     * @param scale       decimal places of fixed-point values.
     * @param omsId       this gateway's OMS id; other values are refused with 104.
     * @param exchanges   the configured exchange ids; empty accepts any id >= 0.
     * @param instruments the configured instrument ids; empty accepts any productPairId > 0, otherwise another is
     *                    refused with 104 like an unknown exchange.
     */
    public OrderStateCommandJsonDecoder(
        final int scale, final int omsId, final int[] exchanges, final int[] instruments)
    {
        this.instruments = new IntHashSet(Math.max(8, instruments.length * 2));
        for (final int id : instruments)
        {
            this.instruments.add(id);
        }
        this.scale = scale;
        this.omsId = omsId;
        this.exchanges = new IntHashSet(Math.max(8, exchanges.length * 2));
        for (final int id : exchanges)
        {
            this.exchanges.add(id);
        }
    }

    /**
     * Decode a payload into a command.
     *
     * @param payload the JSON bytes.
     * @param offset  first byte.
     * @param length  number of bytes.
     * @param command an encoder already wrapped (header applied) where the command goes.
     * @return true if the payload is valid and the command is written.
     */
    public boolean decode(
        final byte[] payload, final int offset, final int length, final OrderStateCommandEncoder command)
    {
        final JsonPayloadReader in = reader;
        if (!in.begin(FIELDS, payload, offset, length))
        {
            return false;
        }
        values[CLIENT_ORDER_ID] = 0;
        values[ORDER_STATE] = OrderState.NULL_VAL.value();
        values[CHANGE_REASON] = ChangeReason.NULL_VAL.value();
        exchangeServiceIdLength = 0;
        reasonLength = 0;

        int field;
        while ((field = in.nextField()) >= 0)
        {
            readField(in, field);
        }
        if (field == JsonPayloadReader.FAILED || !in.finish())
        {
            return false;
        }
        for (int i = 0; i < FIELD_COUNT; i++)
        {
            if (!in.has(i) && !OPTIONAL[i])
            {
                return in.missing(i);
            }
        }
        return checkAcrossFields(in) && encode(command);
    }

    /**
     * The APEX error code of the last failed decode.
     *
     * @return 100 or 104.
     */
    public int errorCode()
    {
        return reader.errorCode();
    }

    /**
     * What was wrong with the last failed decode: the field and the rule.
     *
     * @return the detail text (reused; copy it to keep it).
     */
    public CharSequence detail()
    {
        return reader.detail();
    }

    private void readField(final JsonPayloadReader in, final int field)
    {
        if (in.isNull())
        {
            if (OPTIONAL[field])
            {
                return;
            }
            in.failField(field, "must not be null");
            return;
        }
        final boolean ok;
        switch (field)
        {
            case EXCHANGE_ID:
            case ENTERED_BY:
            case COUNTER_PARTY_ID:
                ok = in.readLong(field, 0, Integer.MAX_VALUE);
                break;
            case OMS_ID:
                // Any other OMS, 0 and negatives included, is an unknown one: 104 in checkAcrossFields.
                ok = in.readLong(field, Integer.MIN_VALUE, Integer.MAX_VALUE);
                break;
            case ACCOUNT_ID:
            case PRODUCT_PAIR_ID:
                ok = in.readLong(field, 1, Integer.MAX_VALUE);
                break;
            case CLIENT_ORDER_ID:
            case ORDER_ID_OCO:
            case ORDER_EXPIRATION:
                ok = in.readLong(field, 0, Long.MAX_VALUE);
                break;
            case ORDER_ID:
                ok = in.readLong(field, 1, Long.MAX_VALUE);
                break;
            case ORDER_TYPE:
                ok = in.readEnum(field, ApexEnums.ORDER_TYPE);
                break;
            case SIDE:
                ok = in.readEnum(field, ApexEnums.SIDE);
                break;
            case TIF:
                ok = in.readEnum(field, ApexEnums.TIME_IN_FORCE);
                break;
            case PEG_PRICE_TYPE:
                ok = in.readEnum(field, ApexEnums.PEG_PRICE_TYPE);
                break;
            case LINK_TYPE:
                ok = in.readEnum(field, ApexEnums.LINK_TYPE);
                break;
            case ORDER_STATE:
                ok = in.readEnum(field, ApexEnums.ORDER_STATE);
                break;
            case CHANGE_REASON:
                ok = in.readEnum(field, ApexEnums.CHANGE_REASON);
                break;
            case QUANTITY:
            case DISPLAY_QUANTITY:
            case LIMIT_PRICE:
            case STOP_PRICE:
            case REFERENCE_PRICE:
            case BEST_SELL_PRICE:
            case BEST_SELL_QUANTITY:
            case BEST_BUY_PRICE:
            case BEST_BUY_QUANTITY:
            case LAST_TRADE_PRICE:
                ok = in.readDecimal(field, scale);
                break;
            case IS_QUOTE:
            case USE_MARGIN:
                ok = in.readBoolean(field);
                break;
            case ORDER_FLAG:
                readOrderFlag(in, field);
                return;
            case EXCHANGE_SERVICE_ID:
                ok = in.readString(field, MAX_EXCHANGE_SERVICE_ID_BYTES);
                if (ok)
                {
                    exchangeServiceIdLength = in.utf8Length();
                    System.arraycopy(in.utf8Bytes(), 0, exchangeServiceId, 0, exchangeServiceIdLength);
                }
                return;
            case REASON:
                ok = in.readString(field, MAX_REASON_BYTES);
                if (ok)
                {
                    reasonLength = in.utf8Length();
                    System.arraycopy(in.utf8Bytes(), 0, reason, 0, reasonLength);
                }
                return;
            default:
                return;
        }
        if (ok)
        {
            values[field] = in.longValue();
        }
    }

    /**
     * OrderFlag is a bit set: a number, or .NET flag names as live APEX data prints them
     * ({@code "AddedToBook, RemovedFromBook"}).
     */
    private boolean readOrderFlag(final JsonPayloadReader in, final int field)
    {
        if (in.valueToken() == JsonToken.VALUE_STRING)
        {
            long bits = -1;
            try
            {
                bits = parseFlagNames(in.textCharacters(), in.textOffset(), in.textLength());
            }
            catch (final IOException ignore)
            {
                // reported below
            }
            if (bits < 0)
            {
                in.failField(field,
                    "is not a set of NoAccountRiskCheck(1), AddedToBook(2), RemovedFromBook(4), PostOnly(8)");
                return false;
            }
            values[field] = bits;
            return true;
        }
        if (!in.readLong(field, 0, Integer.MAX_VALUE))
        {
            return false;
        }
        if ((in.longValue() & ~ApexEnums.ORDER_FLAG_MASK) != 0)
        {
            in.failField(field, "").append(in.longValue())
                .append(" has bits other than NoAccountRiskCheck(1), AddedToBook(2), RemovedFromBook(4), PostOnly(8)");
            return false;
        }
        values[field] = in.longValue();
        return true;
    }

    /** Bits of a comma- or pipe-separated list of flag names (or a plain number); -1 if any name is unknown. */
    static long parseFlagNames(final char[] text, final int offset, final int length)
    {
        long bits = 0;
        int i = offset;
        final int end = offset + length;
        boolean any = false;
        while (i < end)
        {
            while (i < end && (text[i] == ' ' || text[i] == ',' || text[i] == '|'))
            {
                i++;
            }
            final int start = i;
            while (i < end && text[i] != ' ' && text[i] != ',' && text[i] != '|')
            {
                i++;
            }
            if (i == start)
            {
                break;
            }
            any = true;
            final int bit = flagBit(text, start, i - start);
            if (bit < 0)
            {
                return -1;
            }
            bits |= bit;
        }
        return any ? bits : -1;
    }

    private static int flagBit(final char[] text, final int offset, final int length)
    {
        final String[] names = ApexEnums.ORDER_FLAG_NAMES;
        for (int b = 0; b < names.length; b++)
        {
            if (ApexEnum.equalsIgnoreCase(names[b], text, offset, length))
            {
                return 1 << b;
            }
        }
        if (ApexEnum.equalsIgnoreCase("None", text, offset, length))
        {
            return 0;
        }
        int value = 0;
        if (length > 2)
        {
            return -1;
        }
        for (int i = offset; i < offset + length; i++)
        {
            if (text[i] < '0' || text[i] > '9')
            {
                return -1;
            }
            value = value * 10 + (text[i] - '0');
        }
        return (value & ~ApexEnums.ORDER_FLAG_MASK) == 0 ? value : -1;
    }

    private boolean checkAcrossFields(final JsonPayloadReader in)
    {
        final long[] v = values;
        if (v[DISPLAY_QUANTITY] > v[QUANTITY])
        {
            in.failField(DISPLAY_QUANTITY, "must be <= quantity");
            return false;
        }
        final int orderType = (int)v[ORDER_TYPE];
        final boolean needsLimit = orderType == OrderType.Limit.value() || orderType == OrderType.StopLimit.value() ||
            orderType == OrderType.TrailingStopLimit.value();
        final boolean needsStop = orderType == OrderType.StopMarket.value() ||
            orderType == OrderType.StopLimit.value() || orderType == OrderType.TrailingStopMarket.value() ||
            orderType == OrderType.TrailingStopLimit.value();
        final boolean trailing = orderType == OrderType.TrailingStopMarket.value() ||
            orderType == OrderType.TrailingStopLimit.value();
        if (needsLimit && v[LIMIT_PRICE] == 0)
        {
            in.failField(LIMIT_PRICE, "must be > 0 for a ")
                .append(ApexEnums.ORDER_TYPE.name(orderType)).append(" order");
            return false;
        }
        if (needsStop && v[STOP_PRICE] == 0)
        {
            in.failField(STOP_PRICE, "must be > 0 for a ")
                .append(ApexEnums.ORDER_TYPE.name(orderType)).append(" order");
            return false;
        }
        if (trailing && v[PEG_PRICE_TYPE] == PegPriceType.Unknown.value())
        {
            in.failField(PEG_PRICE_TYPE, "must be Last(1), Bid(2), Ask(3) or Midpoint(4) for a ")
                .append(ApexEnums.ORDER_TYPE.name(orderType)).append(" order");
            return false;
        }
        if (v[TIF] == TimeInForce.GTD.value() && v[ORDER_EXPIRATION] == 0)
        {
            in.failField(ORDER_EXPIRATION, "must be > 0 for a GTD order");
            return false;
        }
        if (v[OMS_ID] != omsId)
        {
            in.fail(ApexError.NOT_FOUND, "omsId: ").append(v[OMS_ID])
                .append(" is not this gateway's OMS (").append(omsId).append(')');
            return false;
        }
        if (!exchanges.isEmpty() && !exchanges.contains((int)v[EXCHANGE_ID]))
        {
            in.fail(ApexError.NOT_FOUND, "exchangeId: ").append(v[EXCHANGE_ID]).append(" is not a configured exchange");
            return false;
        }
        if (!instruments.isEmpty() && !instruments.contains((int)v[PRODUCT_PAIR_ID]))
        {
            in.fail(ApexError.NOT_FOUND, "productPairId: ").append(v[PRODUCT_PAIR_ID])
                .append(" is not a configured instrument (ordergw.instruments)");
            return false;
        }
        return true;
    }

    private boolean encode(final OrderStateCommandEncoder c)
    {
        final long[] v = values;
        c.exchangeId((int)v[EXCHANGE_ID])
            .omsId((int)v[OMS_ID])
            .clientOrderId(v[CLIENT_ORDER_ID])
            .accountId((int)v[ACCOUNT_ID])
            .productPairId((int)v[PRODUCT_PAIR_ID])
            .orderType(OrderType.get((short)v[ORDER_TYPE]))
            .side(Side.get((short)v[SIDE]))
            .timeInForce(TimeInForce.get((short)v[TIF]))
            .pegPriceType(PegPriceType.get((short)v[PEG_PRICE_TYPE]))
            .quantity(v[QUANTITY])
            .displayQuantity(v[DISPLAY_QUANTITY])
            .limitPrice(v[LIMIT_PRICE])
            .stopPrice(v[STOP_PRICE])
            .referencePrice(v[REFERENCE_PRICE])
            .orderExpirationDateTime(v[ORDER_EXPIRATION])
            .orderIdOCO(v[ORDER_ID_OCO])
            .linkType(LinkType.get((short)v[LINK_TYPE]))
            .orderId(v[ORDER_ID])
            .enteredBy((int)v[ENTERED_BY])
            .counterPartyId((int)v[COUNTER_PARTY_ID])
            .isQuote(v[IS_QUOTE] != 0 ? BooleanType.T : BooleanType.F)
            .useMargin(v[USE_MARGIN] != 0 ? BooleanType.T : BooleanType.F)
            .bestSellPrice(v[BEST_SELL_PRICE])
            .bestSellQuantity(v[BEST_SELL_QUANTITY])
            .bestBuyPrice(v[BEST_BUY_PRICE])
            .bestBuyQuantity(v[BEST_BUY_QUANTITY])
            .lastTradePrice(v[LAST_TRADE_PRICE])
            .requestedState(OrderState.get((short)v[ORDER_STATE]))
            .requestedChangeReason(ChangeReason.get((short)v[CHANGE_REASON]));
        c.buffer().putByte(c.offset() + OrderStateCommandEncoder.orderFlagsEncodingOffset(), (byte)v[ORDER_FLAG]);
        c.putExchangeServiceId(exchangeServiceId, 0, exchangeServiceIdLength);
        c.putReason(reason, 0, reasonLength);
        return true;
    }
}
