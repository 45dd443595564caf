package io.ordergw.codec.json;

import io.ordergw.codec.sbe.ChangeReason;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderType;
import io.ordergw.codec.sbe.PegPriceType;
import io.ordergw.codec.sbe.Side;
import io.ordergw.codec.sbe.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static io.ordergw.codec.json.CommandDecoding.LIMIT_SELL;
import static io.ordergw.codec.json.CommandDecoding.TRAILING_SHORT;
import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a valid SendExchangeOrderStateEvent payload (api.md section 5) becomes in the SBE OrderStateCommand: every field
 * with its exact value, keys in any letter case and under their aliases, enums as numbers or names, OrderFlag as a
 * number or as .NET flag names, decimals in any JSON notation, optional keys absent or null, unknown keys ignored.
 * The refusals are in {@link OrderStateCommandJsonDecoderRefusalTest}.
 */
class OrderStateCommandJsonDecoderTest
{
    private final CommandDecoding decoding = new CommandDecoding();

    @Test
    void shouldWriteEveryFieldWithItsExactValue()
    {
        decoding.assertDecodes(LIMIT_SELL);
        decoding.assertLimitSell();

        decoding.assertDecodes(TRAILING_SHORT);
        decoding.assertTrailingShort();
    }

    @Test
    void shouldNotCarryOptionalFieldsOverFromThePreviousMessage()
    {
        decoding.assertDecodes(TRAILING_SHORT);
        decoding.assertDecodes(LIMIT_SELL);
        decoding.assertLimitSell();
        decoding.assertDecodes(TRAILING_SHORT);
        decoding.assertTrailingShort();
    }

    @Test
    void shouldDecodeTheSamePayloadAgainAndAgain()
    {
        for (int i = 0; i < 100; i++)
        {
            decoding.assertDecodes(i % 2 == 0 ? LIMIT_SELL : TRAILING_SHORT);
        }
        decoding.assertTrailingShort();
    }

    @Test
    void shouldAcceptKeysInAnyLetterCase()
    {
        decoding.assertDecodes(LIMIT_SELL.keys(key -> key.toLowerCase(Locale.ROOT)));
        decoding.assertLimitSell();
        decoding.assertDecodes(LIMIT_SELL.keys(key -> key.toUpperCase(Locale.ROOT)));
        decoding.assertLimitSell();
        decoding.assertDecodes(LIMIT_SELL.keys(key -> Character.toUpperCase(key.charAt(0)) + key.substring(1)));
        decoding.assertLimitSell();
        decoding.assertDecodes(LIMIT_SELL
            .renamed("omsId", "OMSId")
            .renamed("accountId", "AccountID")
            .renamed("exchangeId", "exchangeID")
            .renamed("tIF", "TIF")
            .renamed("orderIdOCO", "OrderIdOco")
            .renamed("exchangeServiceId", "ExchangeServiceID"));
        decoding.assertLimitSell();
    }

    @Test
    void shouldAcceptTheAliasesOfProductPairIdTimeInForceAndLimitPrice()
    {
        decoding.assertDecodes(LIMIT_SELL
            .renamed("productPairId", "InstrumentId")
            .renamed("tIF", "TimeInForce")
            .renamed("limitPrice", "Price"));
        decoding.assertLimitSell();
    }

    @Test
    void shouldAcceptKeysInAnyOrder()
    {
        Payload reversed = Payload.of();
        for (final String key : LIMIT_SELL.keys())
        {
            reversed = reversed.first(key, LIMIT_SELL.raw(key));
        }
        decoding.assertDecodes(reversed);
        decoding.assertLimitSell();
    }

    @Test
    void shouldAcceptWhitespaceAroundAndInsideThePayload()
    {
        final String spaced = " \r\n\t" + LIMIT_SELL.json().replace(":", " :\n ").replace(",", "\t,\r\n") + " \n\t ";
        decoding.assertDecodes(spaced);
        decoding.assertLimitSell();
        decoding.assertDecodes(spaced);
        decoding.assertLimitSell();
        decoding.assertStillDecodesValidPayloads();
    }

    @Test
    void shouldIgnoreUnknownKeysWhateverTheirValues()
    {
        decoding.assertDecodes(LIMIT_SELL
            .first("firstUnknown", "{\"a\":[1,2,{\"b\":null}],\"quantity\":99}")
            .plus("foo", "1")
            .plus("Bar", "\"text with } and ] and \\\"quotes\\\"\"")
            .plus("baz", "[[],{},[{}],\"]\"]")
            .plus("nothing", "null")
            .plus("flag", "true")
            .plus("big", "123456789012345678901234567890.123456789")
            .plus("long", str("x".repeat(10_000)))
            .plus("AccountIdentifier", "-5"));
        decoding.assertLimitSell();
    }

    @Test
    void shouldSkipDeeplyNestedUnknownValues()
    {
        final StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 30; i++)
        {
            deep.append("{\"k").append(i).append("\":[");
        }
        deep.append("\"}]\"");
        for (int i = 0; i < 30; i++)
        {
            deep.append("]}");
        }
        decoding.assertDecodes(LIMIT_SELL.first("deep", deep.toString()).plus("deeper", deep.toString()));
        decoding.assertLimitSell();
    }

    @Test
    void shouldDefaultClientOrderIdToZeroAndLeaveOptionalFieldsUnset()
    {
        decoding.assertDecodes(LIMIT_SELL.without("clientOrderId"));
        assertEquals(0, decoding.command.clientOrderId());
        assertEquals(OrderState.NULL_VAL, decoding.command.requestedState());
        assertEquals(ChangeReason.NULL_VAL, decoding.command.requestedChangeReason());
        assertEquals("", decoding.reason());

        decoding.assertDecodes(TRAILING_SHORT);
        decoding.assertDecodes(TRAILING_SHORT.with("ClientOrderId", "null").with("OrderState", "null")
            .with("ChangeReason", "null").with("Reason", "null"));
        assertEquals(0, decoding.command.clientOrderId());
        assertEquals(OrderState.NULL_VAL, decoding.command.requestedState());
        assertEquals(ChangeReason.NULL_VAL, decoding.command.requestedChangeReason());
        assertEquals("", decoding.reason());
        assertEquals(CommandDecoding.SERVICE_ID_B, decoding.serviceId());
    }

    @ParameterizedTest
    @CsvSource({
        "1, Market, market", "2, Limit, LIMIT", "3, StopMarket, stopmarket", "4, StopLimit, stopLimit",
        "5, TrailingStopMarket, TRAILINGSTOPMARKET", "6, TrailingStopLimit, trailingStopLimit",
        "7, BlockTrade, blocktrade"})
    void shouldReadOrderTypeAsNumberOrName(final int value, final String name, final String otherCase)
    {
        // Prices and peg set so that every type passes the cross-field rules.
        final Payload payload = LIMIT_SELL.with("stopPrice", "64000").with("pegPriceType", "4");
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase),
            str(Integer.toString(value))})
        {
            decoding.assertDecodes(payload.with("orderType", raw));
            assertEquals(OrderType.get((short)value), decoding.command.orderType(), raw);
            assertEquals(name, decoding.command.orderType().name());
        }
    }

    @ParameterizedTest
    @CsvSource({"0, Buy, buy", "1, Sell, SELL", "2, Short, sHoRt"})
    void shouldReadSideAsNumberOrName(final int value, final String name, final String otherCase)
    {
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase)})
        {
            decoding.assertDecodes(LIMIT_SELL.with("side", raw));
            assertEquals(Side.get((short)value), decoding.command.side(), raw);
            assertEquals(name, decoding.command.side().name());
        }
    }

    @ParameterizedTest
    @CsvSource({"1, GTC, gtc", "2, OPG, Opg", "3, IOC, ioc", "4, FOK, fok", "5, GTX, gtx", "6, GTD, gtd"})
    void shouldReadTimeInForceAsNumberOrName(final int value, final String name, final String otherCase)
    {
        final Payload payload = LIMIT_SELL.with("orderExpirationDateTime", "1767225600000");
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase)})
        {
            decoding.assertDecodes(payload.with("tIF", raw));
            assertEquals(TimeInForce.get((short)value), decoding.command.timeInForce(), raw);
            assertEquals(name, decoding.command.timeInForce().name());
        }
    }

    @ParameterizedTest
    @CsvSource({"0, Unknown, unknown", "1, Last, LAST", "2, Bid, bid", "3, Ask, aSK", "4, Midpoint, midpoint"})
    void shouldReadPegPriceTypeAsNumberOrName(final int value, final String name, final String otherCase)
    {
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase)})
        {
            decoding.assertDecodes(LIMIT_SELL.with("pegPriceType", raw));
            assertEquals(PegPriceType.get((short)value), decoding.command.pegPriceType(), raw);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, Unknown, UNKNOWN", "1, Cancel, cancel", "2, Update, update"})
    void shouldReadLinkTypeAsNumberOrName(final int value, final String name, final String otherCase)
    {
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase)})
        {
            decoding.assertDecodes(LIMIT_SELL.with("linkType", raw));
            assertEquals(LinkType.get((short)value), decoding.command.linkType(), raw);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, Working, working", "2, Rejected, REJECTED", "3, Canceled, canceled", "4, Expired, expired",
        "5, FullyExecuted, fullyexecuted"})
    void shouldReadOrderStateAsNumberOrName(final int value, final String name, final String otherCase)
    {
        for (final String raw : new String[]{Integer.toString(value), str(name), str(otherCase)})
        {
            decoding.assertDecodes(LIMIT_SELL.plus("orderState", raw));
            assertEquals(OrderState.get((short)value), decoding.command.requestedState(), raw);
        }
    }

    @ParameterizedTest
    @CsvSource({"0, Unknown", "1, NewInputAccepted", "2, NewInputRejected", "3, OtherRejected", "4, Expired",
        "5, Trade", "6, SystemCanceled_NoMoreMarket", "7, SystemCanceled_BelowMinimum", "8, SystemCanceled_PriceCollar",
        "9, SystemCanceled_MarginFailed", "100, UserModified"})
    void shouldReadChangeReasonAsNumberOrName(final int value, final String name)
    {
        for (final String raw : new String[]{
            Integer.toString(value), str(name), str(name.toLowerCase(Locale.ROOT)), str(name.toUpperCase(Locale.ROOT))})
        {
            decoding.assertDecodes(LIMIT_SELL.plus("changeReason", raw));
            assertEquals(ChangeReason.get((short)value), decoding.command.requestedChangeReason(), raw);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void shouldReadEveryOrderFlagBitSetAsANumber(final int bits)
    {
        decoding.assertDecodes(LIMIT_SELL.with("orderFlag", Integer.toString(bits)));
        assertEquals(bits, decoding.orderFlags());
        assertEquals((bits & 1) != 0, decoding.command.orderFlags().noAccountRiskCheck());
        assertEquals((bits & 2) != 0, decoding.command.orderFlags().addedToBook());
        assertEquals((bits & 4) != 0, decoding.command.orderFlags().removedFromBook());
        assertEquals((bits & 8) != 0, decoding.command.orderFlags().postOnly());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "AddedToBook, RemovedFromBook                             ; 6",
        "RemovedFromBook, AddedToBook                             ; 6",
        "NoAccountRiskCheck                                       ; 1",
        "AddedToBook                                              ; 2",
        "RemovedFromBook                                          ; 4",
        "PostOnly                                                 ; 8",
        "NoAccountRiskCheck, AddedToBook, RemovedFromBook, PostOnly ; 15",
        "addedtobook, REMOVEDFROMBOOK                             ; 6",
        "AddedToBook|PostOnly                                     ; 10",
        "AddedToBook,PostOnly                                     ; 10",
        "AddedToBook, AddedToBook                                 ; 2",
        "None                                                     ; 0",
        "0                                                        ; 0",
        "6                                                        ; 6",
        "15                                                       ; 15",
    })
    void shouldReadOrderFlagAsDotNetFlagNames(final String names, final int bits)
    {
        decoding.assertDecodes(LIMIT_SELL.with("orderFlag", str(names)));
        assertEquals(bits, decoding.orderFlags(), names);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5                  | 150000000",
        "1.50000000           | 150000000",
        "1.500000000000       | 150000000",
        "15e-1                | 150000000",
        "0.15E1               | 150000000",
        "1.5E+0               | 150000000",
        "0                    | 0",
        "0.0                  | 0",
        "-0                   | 0",
        "0.00000001           | 1",
        "1e-8                 | 1",
        "92233720368.54775807 | 9223372036854775807",
        "9.223372036854775807e10 | 9223372036854775807",
        "100                  | 10000000000",
    })
    void shouldReadDecimalsExactlyInAnyJsonNotation(final String number, final long mantissa)
    {
        final String[] keys = {"quantity", "referencePrice", "bestSellPrice", "bestSellQuantity", "bestBuyPrice",
            "bestBuyQuantity", "lastTradePrice"};
        for (final String key : keys)
        {
            decoding.assertDecodes(LIMIT_SELL.with(key, number).with("displayQuantity", "0"));
        }
        final Payload all = LIMIT_SELL.with("displayQuantity", number).with("quantity", number)
            .with("referencePrice", number).with("limitPrice", number).with("stopPrice", number)
            .with("bestSellPrice", number).with("bestSellQuantity", number).with("bestBuyPrice", number)
            .with("bestBuyQuantity", number).with("lastTradePrice", number)
            .with("orderType", mantissa == 0 ? "1" : "2");
        decoding.assertDecodes(all);
        assertEquals(mantissa, decoding.command.quantity());
        assertEquals(mantissa, decoding.command.displayQuantity());
        assertEquals(mantissa, decoding.command.limitPrice());
        assertEquals(mantissa, decoding.command.stopPrice());
        assertEquals(mantissa, decoding.command.referencePrice());
        assertEquals(mantissa, decoding.command.bestSellPrice());
        assertEquals(mantissa, decoding.command.bestSellQuantity());
        assertEquals(mantissa, decoding.command.bestBuyPrice());
        assertEquals(mantissa, decoding.command.bestBuyQuantity());
        assertEquals(mantissa, decoding.command.lastTradePrice());
    }

    @Test
    void shouldReadDecimalsGivenAsNumericStrings()
    {
        decoding.assertDecodes(LIMIT_SELL.with("quantity", "\"2.5\"").with("limitPrice", "\"65000.00000001\""));
        assertEquals(250_000_000L, decoding.command.quantity());
        assertEquals(6_500_000_000_001L, decoding.command.limitPrice());
    }

    @Test
    void shouldAcceptTheLimitsOfEachWholeNumber()
    {
        decoding.assertDecodes(LIMIT_SELL.with("exchangeId", "0").with("enteredBy", "0").with("counterPartyId", "0")
            .with("clientOrderId", "0").with("orderIdOCO", "0").with("accountId", "1").with("productPairId", "1")
            .with("orderId", "1"));
        assertEquals(0, decoding.command.exchangeId());
        assertEquals(1, decoding.command.accountId());
        assertEquals(1, decoding.command.productPairId());
        assertEquals(1, decoding.command.orderId());

        decoding.assertDecodes(LIMIT_SELL.with("exchangeId", "2147483647").with("enteredBy", "2147483647")
            .with("orderIdOCO", "9223372036854775807").with("orderExpirationDateTime", "9223372036854775807")
            .with("productPairId", "2147483647"));
        assertEquals(Integer.MAX_VALUE, decoding.command.exchangeId());
        assertEquals(Integer.MAX_VALUE, decoding.command.enteredBy());
        assertEquals(Integer.MAX_VALUE, decoding.command.productPairId());
        assertEquals(Long.MAX_VALUE, decoding.command.orderIdOCO());
        assertEquals(Long.MAX_VALUE, decoding.command.orderExpirationDateTime());
    }

    @Test
    void shouldAcceptAnyExchangeIdWhenNoneIsConfigured()
    {
        for (final String id : new String[]{"0", "1", "5", "999", "2147483647"})
        {
            decoding.assertDecodes(LIMIT_SELL.with("exchangeId", id));
            assertEquals(Integer.parseInt(id), decoding.command.exchangeId());
        }
    }

    @Test
    void shouldAcceptAConfiguredExchange()
    {
        final CommandDecoding configured = new CommandDecoding(3, 1, 5, 2_000_000_000);
        for (final String id : new String[]{"1", "5", "2000000000"})
        {
            configured.assertDecodes(LIMIT_SELL.with("exchangeId", id).with("omsId", "3"));
            assertEquals(Integer.parseInt(id), configured.command.exchangeId());
            assertEquals(3, configured.command.omsId());
        }
    }

    @Test
    void shouldCountExchangeServiceIdInUtf8BytesUpTo64()
    {
        final String[] accepted = {
            "s".repeat(64), "😀".repeat(16), "é".repeat(32), "€".repeat(21) + "a", "", "\u0000\u001f ctl", "x"};
        for (final String value : accepted)
        {
            decoding.assertDecodes(LIMIT_SELL.with("exchangeServiceId", str(value)));
            assertEquals(value, decoding.serviceId());
            assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), decoding.serviceIdBytes());
        }
        decoding.assertDecodes(LIMIT_SELL.with("exchangeServiceId", "\"\\u00e9\\ud83d\\ude00\\\"\""));
        assertEquals("é😀\"", decoding.serviceId());
    }

    @Test
    void shouldCountReasonInUtf8BytesUpTo256()
    {
        final String[] accepted = {"r".repeat(256), "😀".repeat(64), "€".repeat(85) + "a", "é".repeat(128),
            "no \"more\" \\ market"};
        for (final String value : accepted)
        {
            decoding.assertDecodes(LIMIT_SELL.plus("reason", str(value)));
            assertEquals(value, decoding.reason());
            assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), decoding.reasonBytes());
            assertEquals("svc-1", decoding.serviceId());
        }
    }

    @Test
    void shouldAcceptWhatTheCrossFieldRulesAllow()
    {
        decoding.assertDecodes(LIMIT_SELL.with("displayQuantity", "1.5"));
        assertEquals(decoding.command.quantity(), decoding.command.displayQuantity());
        decoding.assertDecodes(LIMIT_SELL.with("quantity", "0").with("displayQuantity", "0"));
        assertEquals(0, decoding.command.quantity());

        decoding.assertDecodes(LIMIT_SELL.with("orderType", "1").with("limitPrice", "0"));
        decoding.assertDecodes(LIMIT_SELL.with("orderType", "7").with("limitPrice", "0"));
        decoding.assertDecodes(LIMIT_SELL.with("orderType", "3").with("limitPrice", "0").with("stopPrice", "1"));
        decoding.assertDecodes(LIMIT_SELL.with("orderType", "5").with("limitPrice", "0").with("stopPrice", "1")
            .with("pegPriceType", "1"));
        for (final String peg : new String[]{"1", "2", "3", "4", "\"Midpoint\""})
        {
            decoding.assertDecodes(LIMIT_SELL.with("orderType", "6").with("stopPrice", "1").with("pegPriceType", peg));
        }
        decoding.assertDecodes(LIMIT_SELL.with("tIF", "6").with("orderExpirationDateTime", "1"));
        assertEquals(1, decoding.command.orderExpirationDateTime());
        decoding.assertDecodes(LIMIT_SELL.with("tIF", "3").with("orderExpirationDateTime", "0"));
        decoding.assertDecodes(LIMIT_SELL.with("pegPriceType", "0").with("orderType", "2"));
        decoding.assertLimitSell();
    }
}
