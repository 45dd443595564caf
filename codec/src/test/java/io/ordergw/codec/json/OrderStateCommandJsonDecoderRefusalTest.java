package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.ordergw.codec.json.CommandDecoding.LIMIT_SELL;
import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way a SendExchangeOrderStateEvent payload can break a rule of api.md section 5 is refused with the right code
 * (100, or 104 for the OMS and the exchange) and a detail that names the field and the rule; and after each refusal
 * the same decoder instance still decodes valid payloads exactly (the parser is reused across messages).
 */
class OrderStateCommandJsonDecoderRefusalTest
{
    private static final int INVALID = ApexError.INVALID_REQUEST;

    private static final String[] INT_KEYS = {
        "exchangeId", "omsId", "clientOrderId", "accountId", "productPairId", "orderExpirationDateTime", "orderIdOCO",
        "orderId", "enteredBy", "counterPartyId"};
    private static final String[] ENUM_KEYS = {
        "orderType", "side", "tIF", "pegPriceType", "linkType", "orderState", "changeReason"};
    private static final String[] DECIMAL_KEYS = {
        "quantity", "displayQuantity", "limitPrice", "stopPrice", "referencePrice", "bestSellPrice", "bestSellQuantity",
        "bestBuyPrice", "bestBuyQuantity", "lastTradePrice"};
    private static final String[] BOOLEAN_KEYS = {"isQuote", "useMargin"};
    private static final String[] STRING_KEYS = {"exchangeServiceId", "reason"};
    private static final String[] OPTIONAL_KEYS = {"clientOrderId", "orderState", "changeReason", "reason"};

    /** A refused payload, the code it must get, and text its detail must contain (or be, if exact). */
    record Refusal(String name, String json, int code, List<String> fragments, boolean exact)
    {
        Refusal(final String name, final String json, final int code, final List<String> fragments)
        {
            this(name, json, code, fragments, false);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    private final CommandDecoding decoding = new CommandDecoding();

    static List<Refusal> missingKeys()
    {
        final List<Refusal> cases = new ArrayList<>();
        for (final String key : LIMIT_SELL.keys())
        {
            if (!isOptional(key))
            {
                cases.add(refusal("missing " + key, LIMIT_SELL.without(key), key + ": required"));
            }
        }
        cases.add(refusal("empty object", "{}", INVALID, "exchangeId: required"));
        return cases;
    }

    static List<Refusal> duplicatedKeys()
    {
        final List<Refusal> cases = new ArrayList<>();
        final Payload withOptionals = LIMIT_SELL.plus("orderState", "1").plus("changeReason", "0")
            .plus("reason", "\"r\"");
        for (final String key : withOptionals.keys())
        {
            final String raw = withOptionals.raw(key);
            cases.add(refusal(key + " twice", withOptionals.plus(key, raw), key + ": given twice"));
            cases.add(refusal(key + " twice in upper case", withOptionals.plus(key.toUpperCase(Locale.ROOT), raw),
                key + ": given twice"));
            cases.add(refusal(key + " twice, first in lower case",
                withOptionals.first(key.toLowerCase(Locale.ROOT), raw), key + ": given twice"));
        }
        cases.add(refusal("accountId and AccountID", LIMIT_SELL.plus("AccountID", "7"), "accountId: given twice"));
        cases.add(refusal("accountId twice with different values", LIMIT_SELL.plus("AccountId", "8"),
            "accountId: given twice"));
        cases.add(refusal("productPairId and its alias InstrumentId", LIMIT_SELL.plus("InstrumentId", "3"),
            "productPairId: given twice"));
        cases.add(refusal("tIF and its alias TimeInForce", LIMIT_SELL.plus("TimeInForce", "1"), "tIF: given twice"));
        cases.add(refusal("limitPrice and its alias Price", LIMIT_SELL.plus("Price", "1"), "limitPrice: given twice"));
        cases.add(refusal("optional key given twice as null", LIMIT_SELL.plus("reason", "null").plus("Reason", "null"),
            "reason: given twice"));
        return cases;
    }

    static List<Refusal> wrongTypes()
    {
        final List<Refusal> cases = new ArrayList<>();
        for (final String key : INT_KEYS)
        {
            cases.add(refusal(key + " as a string", LIMIT_SELL.with(key, "\"7\""),
                key + ": expected a whole number, got a string"));
            cases.add(refusal(key + " as a boolean", LIMIT_SELL.with(key, "true"),
                key + ": expected a whole number, got a boolean"));
            cases.add(refusal(key + " as an object", LIMIT_SELL.with(key, "{\"v\":1}"),
                key + ": expected a whole number, got an object"));
            cases.add(refusal(key + " as an array", LIMIT_SELL.with(key, "[1]"),
                key + ": expected a whole number, got an array"));
            cases.add(refusal(key + " with a fraction", LIMIT_SELL.with(key, "1.5"),
                key + ": 1.5 is not a whole number"));
            cases.add(refusal(key + " in exponent notation", LIMIT_SELL.with(key, "1e2"),
                key + ": 1e2 is not a whole number"));
        }
        for (final String key : ENUM_KEYS)
        {
            cases.add(refusal(key + " as a boolean", LIMIT_SELL.with(key, "false"),
                key + ": expected a number or a name, got a boolean"));
            cases.add(refusal(key + " as an object", LIMIT_SELL.with(key, "{}"),
                key + ": expected a number or a name, got an object"));
            cases.add(refusal(key + " as an array", LIMIT_SELL.with(key, "[1]"),
                key + ": expected a number or a name, got an array"));
            cases.add(refusal(key + " with a fraction", LIMIT_SELL.with(key, "1.5"), key + ":"));
            cases.add(refusal(key + " as an unknown name", LIMIT_SELL.with(key, "\"Bogus\""),
                key + ": \"Bogus\" is not "));
        }
        for (final String key : DECIMAL_KEYS)
        {
            cases.add(refusal(key + " as text", LIMIT_SELL.with(key, "\"abc\""),
                key + ": expected a decimal number, got a string"));
            cases.add(refusal(key + " as a boolean", LIMIT_SELL.with(key, "true"),
                key + ": expected a decimal number, got a boolean"));
            cases.add(refusal(key + " as an object", LIMIT_SELL.with(key, "{}"),
                key + ": expected a decimal number, got an object"));
            cases.add(refusal(key + " as an array", LIMIT_SELL.with(key, "[1.5]"),
                key + ": expected a decimal number, got an array"));
        }
        for (final String key : BOOLEAN_KEYS)
        {
            cases.add(refusal(key + " as a number", LIMIT_SELL.with(key, "1"),
                key + ": expected true or false, got a number"));
            cases.add(refusal(key + " as a string", LIMIT_SELL.with(key, "\"true\""),
                key + ": expected true or false, got a string"));
            cases.add(refusal(key + " as an object", LIMIT_SELL.with(key, "{}"),
                key + ": expected true or false, got an object"));
        }
        for (final String key : STRING_KEYS)
        {
            cases.add(refusal(key + " as a number", LIMIT_SELL.with(key, "5"),
                key + ": expected a string, got a number"));
            cases.add(refusal(key + " as a boolean", LIMIT_SELL.with(key, "true"),
                key + ": expected a string, got a boolean"));
            cases.add(refusal(key + " as an object", LIMIT_SELL.with(key, "{\"a\":\"b\"}"),
                key + ": expected a string, got an object"));
            cases.add(refusal(key + " as an array", LIMIT_SELL.with(key, "[\"a\"]"),
                key + ": expected a string, got an array"));
        }
        cases.add(refusal("orderFlag as a boolean", LIMIT_SELL.with("orderFlag", "true"),
            "orderFlag: expected a whole number, got a boolean"));
        cases.add(refusal("orderFlag as an array", LIMIT_SELL.with("orderFlag", "[2,4]"),
            "orderFlag: expected a whole number, got an array"));
        cases.add(refusal("orderFlag with a fraction", LIMIT_SELL.with("orderFlag", "2.0"),
            "orderFlag: 2.0 is not a whole number"));
        return cases;
    }

    static List<Refusal> nulls()
    {
        final List<Refusal> cases = new ArrayList<>();
        for (final String key : LIMIT_SELL.keys())
        {
            if (!isOptional(key))
            {
                cases.add(refusal(key + " null", LIMIT_SELL.with(key, "null"), key + ": must not be null"));
            }
        }
        return cases;
    }

    static List<Refusal> outOfRange()
    {
        final List<Refusal> cases = new ArrayList<>();
        final String intMaxPlusOne = "2147483648";
        final String longMaxPlusOne = "9223372036854775808";
        cases.add(refusal("exchangeId -1", LIMIT_SELL.with("exchangeId", "-1"), "exchangeId: -1 must be >= 0"));
        cases.add(refusal("exchangeId beyond int", LIMIT_SELL.with("exchangeId", intMaxPlusOne),
            "exchangeId: 2147483648 is out of range (at most 2147483647)"));
        cases.add(refusal("omsId beyond int", LIMIT_SELL.with("omsId", intMaxPlusOne),
            "omsId: 2147483648 is out of range"));
        cases.add(refusal("clientOrderId -1", LIMIT_SELL.with("clientOrderId", "-1"),
            "clientOrderId: -1 must be >= 0"));
        cases.add(refusal("clientOrderId beyond long", LIMIT_SELL.with("clientOrderId", longMaxPlusOne),
            "clientOrderId: 9223372036854775808 is out of range"));
        cases.add(refusal("accountId 0", LIMIT_SELL.with("accountId", "0"), "accountId: 0 must be > 0"));
        cases.add(refusal("accountId -7", LIMIT_SELL.with("accountId", "-7"), "accountId: -7 must be > 0"));
        cases.add(refusal("accountId beyond int", LIMIT_SELL.with("accountId", intMaxPlusOne),
            "accountId: 2147483648 is out of range"));
        cases.add(refusal("productPairId 0", LIMIT_SELL.with("productPairId", "0"), "productPairId: 0 must be > 0"));
        cases.add(refusal("productPairId -1", LIMIT_SELL.with("productPairId", "-1"), "productPairId: -1 must be > 0"));
        cases.add(refusal("productPairId beyond int", LIMIT_SELL.with("productPairId", intMaxPlusOne),
            "productPairId: 2147483648 is out of range"));

        final String orderTypes = "Market(1), Limit(2), StopMarket(3), StopLimit(4), TrailingStopMarket(5), " +
            "TrailingStopLimit(6) or BlockTrade(7)";
        cases.add(exact("orderType 0 (Unknown)", LIMIT_SELL.with("orderType", "0"),
            "orderType: 0 is not " + orderTypes));
        cases.add(exact("orderType Unknown by name", LIMIT_SELL.with("orderType", "\"Unknown\""),
            "orderType: \"Unknown\" is not " + orderTypes));
        cases.add(refusal("orderType 8", LIMIT_SELL.with("orderType", "8"), "orderType: 8 is not " + orderTypes));
        cases.add(refusal("orderType -1", LIMIT_SELL.with("orderType", "-1"), "orderType: -1 is not "));
        cases.add(refusal("orderType beyond int", LIMIT_SELL.with("orderType", "4294967298"),
            "orderType: 4294967298 is not "));
        cases.add(exact("side 3 (Unknown)", LIMIT_SELL.with("side", "3"),
            "side: 3 is not Buy(0), Sell(1) or Short(2)"));
        cases.add(exact("side 7", LIMIT_SELL.with("side", "7"), "side: 7 is not Buy(0), Sell(1) or Short(2)"));
        cases.add(exact("side Unknown by name", LIMIT_SELL.with("side", "\"unknown\""),
            "side: \"unknown\" is not Buy(0), Sell(1) or Short(2)"));
        cases.add(refusal("side 3 as a numeric string", LIMIT_SELL.with("side", "\"3\""), "side: \"3\" is not Buy(0)"));
        cases.add(exact("tIF 0 (Unknown)", LIMIT_SELL.with("tIF", "0"),
            "tIF: 0 is not GTC(1), OPG(2), IOC(3), FOK(4), GTX(5) or GTD(6)"));
        cases.add(refusal("tIF 7", LIMIT_SELL.with("tIF", "7"), "tIF: 7 is not GTC(1)"));
        cases.add(refusal("pegPriceType 5", LIMIT_SELL.with("pegPriceType", "5"),
            "pegPriceType: 5 is not Unknown(0), Last(1), Bid(2), Ask(3) or Midpoint(4)"));
        cases.add(refusal("pegPriceType -1", LIMIT_SELL.with("pegPriceType", "-1"), "pegPriceType: -1 is not "));
        cases.add(refusal("linkType 3", LIMIT_SELL.with("linkType", "3"),
            "linkType: 3 is not Unknown(0), Cancel(1) or Update(2)"));
        cases.add(refusal("orderState 0 (Unknown)", LIMIT_SELL.plus("orderState", "0"),
            "orderState: 0 is not Working(1), Rejected(2), Canceled(3), Expired(4) or FullyExecuted(5)"));
        cases.add(refusal("orderState Unknown by name", LIMIT_SELL.plus("orderState", "\"Unknown\""),
            "orderState: \"Unknown\" is not "));
        cases.add(refusal("orderState 6", LIMIT_SELL.plus("orderState", "6"), "orderState: 6 is not "));
        cases.add(refusal("changeReason 10", LIMIT_SELL.plus("changeReason", "10"),
            "changeReason: 10 is not Unknown(0), "));
        cases.add(refusal("changeReason 99", LIMIT_SELL.plus("changeReason", "99"), "changeReason: 99 is not "));
        cases.add(refusal("changeReason 255", LIMIT_SELL.plus("changeReason", "255"), "changeReason: 255 is not "));

        for (final String key : DECIMAL_KEYS)
        {
            cases.add(refusal(key + " -1", LIMIT_SELL.with(key, "-1"), key + ": -1 must be >= 0"));
            cases.add(refusal(key + " -0.00000001", LIMIT_SELL.with(key, "-0.00000001"),
                key + ": -0.00000001 must be >= 0"));
            cases.add(refusal(key + " with 9 places", LIMIT_SELL.with(key, "0.000000001"),
                key + ": 0.000000001 has more than 8 decimal places"));
            cases.add(refusal(key + " with 9 places and a whole part", LIMIT_SELL.with(key, "1.123456785"),
                key + ": 1.123456785 has more than 8 decimal places"));
            cases.add(refusal(key + " with too many places in exponent notation", LIMIT_SELL.with(key, "15e-10"),
                key + ": 15e-10 has more than 8 decimal places"));
            cases.add(refusal(key + " one unit above the largest", LIMIT_SELL.with(key, "92233720368.54775808"),
                key + ": 92233720368.54775808 is too large (at most 92233720368.54775807)"));
            cases.add(refusal(key + " 1e11", LIMIT_SELL.with(key, "1e11"), key + ": 1e11 is too large"));
            cases.add(refusal(key + " with 30 digits", LIMIT_SELL.with(key, "123456789012345678901234567890"),
                key + ": 123456789012345678901234567890 is too large"));
            cases.add(refusal(key + " with 100 digits (longer than any number the parser takes)",
                LIMIT_SELL.with(key, "1" + "0".repeat(99)), "payload: invalid JSON"));
        }

        cases.add(refusal("orderExpirationDateTime -1", LIMIT_SELL.with("orderExpirationDateTime", "-1"),
            "orderExpirationDateTime: -1 must be >= 0"));
        cases.add(refusal("orderIdOCO -1", LIMIT_SELL.with("orderIdOCO", "-1"), "orderIdOCO: -1 must be >= 0"));
        cases.add(refusal("orderIdOCO beyond long", LIMIT_SELL.with("orderIdOCO", longMaxPlusOne),
            "orderIdOCO: 9223372036854775808 is out of range"));
        cases.add(refusal("orderId 0", LIMIT_SELL.with("orderId", "0"), "orderId: 0 must be > 0"));
        cases.add(refusal("orderId -1", LIMIT_SELL.with("orderId", "-1"), "orderId: -1 must be > 0"));
        cases.add(refusal("orderId beyond long", LIMIT_SELL.with("orderId", longMaxPlusOne),
            "orderId: 9223372036854775808 is out of range"));
        cases.add(refusal("orderId far beyond long", LIMIT_SELL.with("orderId", "99999999999999999999999"),
            "orderId: 99999999999999999999999 is out of range"));
        cases.add(refusal("enteredBy -1", LIMIT_SELL.with("enteredBy", "-1"), "enteredBy: -1 must be >= 0"));
        cases.add(refusal("enteredBy beyond int", LIMIT_SELL.with("enteredBy", intMaxPlusOne),
            "enteredBy: 2147483648 is out of range"));
        cases.add(refusal("counterPartyId -1", LIMIT_SELL.with("counterPartyId", "-1"),
            "counterPartyId: -1 must be >= 0"));
        cases.add(refusal("counterPartyId beyond int", LIMIT_SELL.with("counterPartyId", intMaxPlusOne),
            "counterPartyId: 2147483648 is out of range"));

        final String flags = "NoAccountRiskCheck(1), AddedToBook(2), RemovedFromBook(4), PostOnly(8)";
        cases.add(exact("orderFlag 16", LIMIT_SELL.with("orderFlag", "16"),
            "orderFlag: 16 has bits other than " + flags));
        cases.add(refusal("orderFlag 18 (a known bit and an unknown one)", LIMIT_SELL.with("orderFlag", "18"),
            "orderFlag: 18 has bits other than"));
        cases.add(refusal("orderFlag 255", LIMIT_SELL.with("orderFlag", "255"), "orderFlag: 255 has bits other than"));
        cases.add(refusal("orderFlag -1", LIMIT_SELL.with("orderFlag", "-1"), "orderFlag: -1 must be >= 0"));
        cases.add(refusal("orderFlag beyond int", LIMIT_SELL.with("orderFlag", intMaxPlusOne),
            "orderFlag: 2147483648 is out of range"));
        cases.add(exact("orderFlag unknown name", LIMIT_SELL.with("orderFlag", "\"Bogus\""),
            "orderFlag: is not a set of " + flags));
        cases.add(refusal("orderFlag one unknown name among known ones",
            LIMIT_SELL.with("orderFlag", "\"AddedToBook, Bogus\""),
            "orderFlag: is not a set of"));
        cases.add(refusal("orderFlag empty string", LIMIT_SELL.with("orderFlag", "\"\""),
            "orderFlag: is not a set of"));
        cases.add(refusal("orderFlag only separators", LIMIT_SELL.with("orderFlag", "\" , \""),
            "orderFlag: is not a set of"));
        cases.add(refusal("orderFlag 16 as a string", LIMIT_SELL.with("orderFlag", "\"16\""),
            "orderFlag: is not a set of"));
        cases.add(refusal("orderFlag a name and bit 16", LIMIT_SELL.with("orderFlag", "\"AddedToBook, 16\""),
            "orderFlag: is not a set of"));

        cases.add(refusal("exchangeServiceId 65 ASCII bytes", LIMIT_SELL.with("exchangeServiceId", str("s".repeat(65))),
            "exchangeServiceId: longer than 64 bytes of UTF-8"));
        cases.add(refusal("exchangeServiceId 17 emoji (68 bytes, 34 chars)",
            LIMIT_SELL.with("exchangeServiceId", str("😀".repeat(17))),
            "exchangeServiceId: longer than 64 bytes of UTF-8"));
        cases.add(refusal("exchangeServiceId 16 emoji and one ASCII (65 bytes)",
            LIMIT_SELL.with("exchangeServiceId", str("😀".repeat(16) + "a")),
                "exchangeServiceId: longer than 64 bytes"));
        cases.add(refusal("exchangeServiceId 33 two-byte chars (66 bytes)",
            LIMIT_SELL.with("exchangeServiceId", str("é".repeat(33))),
            "exchangeServiceId: longer than 64 bytes"));
        cases.add(refusal("exchangeServiceId 22 three-byte chars (66 bytes)",
            LIMIT_SELL.with("exchangeServiceId", str("€".repeat(22))),
            "exchangeServiceId: longer than 64 bytes"));
        cases.add(refusal("exchangeServiceId 33 escaped two-byte chars (66 bytes)",
            LIMIT_SELL.with("exchangeServiceId", "\"" + "\\u00e9".repeat(33) + "\""),
                "exchangeServiceId: longer than 64 bytes"));
        cases.add(refusal("exchangeServiceId with an unpaired surrogate",
            LIMIT_SELL.with("exchangeServiceId", "\"a\\ud83db\""),
            "exchangeServiceId: is not valid Unicode"));
        cases.add(refusal("reason 257 ASCII bytes", LIMIT_SELL.plus("reason", str("r".repeat(257))),
            "reason: longer than 256 bytes of UTF-8"));
        cases.add(refusal("reason 64 emoji and one ASCII (257 bytes)",
            LIMIT_SELL.plus("reason", str("😀".repeat(64) + "a")),
            "reason: longer than 256 bytes"));
        cases.add(refusal("reason 85 three-byte chars and a two-byte one (257 bytes)",
            LIMIT_SELL.plus("reason", str("€".repeat(85) + "é")), "reason: longer than 256 bytes"));
        return cases;
    }

    static List<Refusal> crossFieldRules()
    {
        final List<Refusal> cases = new ArrayList<>();
        cases.add(exact("displayQuantity above quantity", LIMIT_SELL.with("displayQuantity", "1.50000001"),
            "displayQuantity: must be <= quantity"));
        cases.add(exact("displayQuantity with quantity 0", LIMIT_SELL.with("quantity", "0"),
            "displayQuantity: must be <= quantity"));

        final Payload allPrices = LIMIT_SELL.with("stopPrice", "64000").with("pegPriceType", "1");
        cases.add(exact("limitPrice 0 for a Limit order", allPrices.with("orderType", "2").with("limitPrice", "0"),
            "limitPrice: must be > 0 for a Limit order"));
        cases.add(exact("limitPrice 0 for a StopLimit order",
            allPrices.with("orderType", "4").with("limitPrice", "0.0"),
            "limitPrice: must be > 0 for a StopLimit order"));
        cases.add(exact("limitPrice 0 for a TrailingStopLimit order",
            allPrices.with("orderType", "\"TrailingStopLimit\"")
            .with("limitPrice", "0"), "limitPrice: must be > 0 for a TrailingStopLimit order"));
        cases.add(exact("stopPrice 0 for a StopMarket order", allPrices.with("orderType", "3").with("stopPrice", "0"),
            "stopPrice: must be > 0 for a StopMarket order"));
        cases.add(exact("stopPrice 0 for a StopLimit order", allPrices.with("orderType", "4").with("stopPrice", "0"),
            "stopPrice: must be > 0 for a StopLimit order"));
        cases.add(exact("stopPrice 0 for a TrailingStopMarket order",
            allPrices.with("orderType", "5").with("stopPrice", "0"),
            "stopPrice: must be > 0 for a TrailingStopMarket order"));
        cases.add(exact("stopPrice 0 for a TrailingStopLimit order",
            allPrices.with("orderType", "6").with("stopPrice", "0"),
            "stopPrice: must be > 0 for a TrailingStopLimit order"));
        cases.add(exact("pegPriceType Unknown for a TrailingStopMarket order",
            allPrices.with("orderType", "5").with("pegPriceType", "0"),
            "pegPriceType: must be Last(1), Bid(2), Ask(3) or Midpoint(4) for a TrailingStopMarket order"));
        cases.add(exact("pegPriceType Unknown for a TrailingStopLimit order",
            allPrices.with("orderType", "6").with("pegPriceType", "\"Unknown\""),
            "pegPriceType: must be Last(1), Bid(2), Ask(3) or Midpoint(4) for a TrailingStopLimit order"));
        cases.add(exact("orderExpirationDateTime 0 for GTD", LIMIT_SELL.with("tIF", "6"),
            "orderExpirationDateTime: must be > 0 for a GTD order"));
        cases.add(exact("orderExpirationDateTime 0 for GTD by name", LIMIT_SELL.with("tIF", "\"gtd\""),
            "orderExpirationDateTime: must be > 0 for a GTD order"));
        return cases;
    }

    static List<Refusal> unknownOmsAndExchange()
    {
        final List<Refusal> cases = new ArrayList<>();
        cases.add(new Refusal("omsId 2", LIMIT_SELL.with("omsId", "2").json(), ApexError.NOT_FOUND,
            List.of("omsId: 2 is not this gateway's OMS (1)")));
        cases.add(new Refusal("omsId 0", LIMIT_SELL.with("omsId", "0").json(), ApexError.NOT_FOUND,
            List.of("omsId: 0 is not this gateway's OMS (1)")));
        cases.add(new Refusal("omsId -1", LIMIT_SELL.with("omsId", "-1").json(), ApexError.NOT_FOUND,
            List.of("omsId: -1 is not this gateway's OMS (1)")));
        cases.add(new Refusal("omsId 2147483647", LIMIT_SELL.with("omsId", "2147483647").json(), ApexError.NOT_FOUND,
            List.of("omsId: 2147483647 is not this gateway's OMS (1)")));
        return cases;
    }

    static List<Refusal> malformedInput()
    {
        final List<Refusal> cases = new ArrayList<>();
        final String valid = LIMIT_SELL.json();
        cases.add(refusal("empty input", "", INVALID, "payload: empty, expected a JSON object"));
        cases.add(refusal("whitespace only", " \t\r\n  ", INVALID, "payload: empty, expected a JSON object"));
        cases.add(refusal("an empty array", "[]", INVALID, "payload: expected a JSON object"));
        cases.add(refusal("the payload inside an array", "[" + valid + "]", INVALID,
            "payload: expected a JSON object"));
        cases.add(refusal("a string", "\"" + valid.replace("\"", "\\\"") + "\"", INVALID,
            "payload: expected a JSON object"));
        cases.add(refusal("a number", "123", INVALID, "payload: expected a JSON object"));
        cases.add(refusal("a number followed by whitespace", "123 ", INVALID, "payload: expected a JSON object"));
        cases.add(refusal("null", "null", INVALID, "payload: expected a JSON object"));
        cases.add(refusal("true", "true", INVALID, "payload: expected a JSON object"));
        cases.add(refusal("plain text", "hello", INVALID, "payload: invalid JSON"));
        cases.add(refusal("an unclosed object", "{", INVALID, "payload: truncated JSON"));
        cases.add(refusal("an unclosed nested unknown value", "{\"x\":{\"y\":[1,", INVALID, "payload: truncated JSON"));
        cases.add(refusal("no value", "{\"accountId\":}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("no colon", "{\"accountId\" 7}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("single quotes", "{'accountId':7}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("unquoted key", "{accountId:7}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("a broken literal", "{\"isQuote\":tru}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("a leading zero", "{\"accountId\":07}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("NaN", "{\"quantity\":NaN}", INVALID, "payload: invalid JSON"));
        cases.add(refusal("a trailing comma", valid.substring(0, valid.length() - 1) + ",}", INVALID,
            "payload: invalid JSON"));
        cases.add(refusal("a raw control character in a string",
            LIMIT_SELL.with("exchangeServiceId", "\"a\u0001b\"").json(), INVALID, "payload: invalid JSON"));

        cases.add(refusal("trailing garbage", valid + " x", INVALID, "payload:"));
        cases.add(refusal("trailing garbage without a space", valid + "x", INVALID, "payload:"));
        cases.add(refusal("a trailing number", valid + " 1", INVALID,
            "payload: unexpected content after the JSON object"));
        cases.add(refusal("a trailing number without a space", valid + "1", INVALID, "payload:"));
        cases.add(refusal("a trailing literal", valid + " true", INVALID, "payload:"));
        cases.add(refusal("a trailing unterminated string", valid + " \"abc", INVALID,
            "payload: unexpected content after the JSON object"));
        cases.add(refusal("a trailing unterminated string ending in a brace", valid + " \"ab}", INVALID,
            "payload: unexpected content after the JSON object"));
        cases.add(refusal("a second object", valid + " {}", INVALID, "payload:"));
        cases.add(refusal("the payload twice", valid + valid, INVALID, "payload:"));
        cases.add(refusal("an extra closing brace", valid + "}", INVALID, "payload:"));
        cases.add(refusal("a trailing comma after the object", valid + ",", INVALID, "payload:"));
        cases.add(refusal("a trailing open bracket", valid + " [", INVALID, "payload:"));

        cases.add(refusal("nesting deeper than the parser allows",
            LIMIT_SELL.plus("deep", "[".repeat(80) + "]".repeat(80)),
            "payload: invalid JSON"));

        // A refused field, then more content after the object: the reader must not be left holding either.
        cases.add(refusal("a refused field, then whitespace", LIMIT_SELL.with("side", "7").json() + "\n", INVALID,
            "side: 7 is not"));
        cases.add(refusal("a refused field, then a trailing number", LIMIT_SELL.with("side", "7").json() + " 1",
            INVALID, "side: 7 is not"));
        cases.add(refusal("a refused field, then an unterminated string", LIMIT_SELL.with("side", "7").json() + " \"x",
            INVALID,
            "side: 7 is not"));
        cases.add(refusal("a refused field, then garbage", LIMIT_SELL.with("side", "7").json() + "x", INVALID, ""));
        cases.add(refusal("a duplicated key, then whitespace", LIMIT_SELL.plus("side", "1").json() + " \r\n", INVALID,
            "side: given twice"));
        cases.add(refusal("a refused field, then nested unknown values", LIMIT_SELL.first("side", "\"Bogus\"")
            .plus("deep", "{\"a\":[1,{\"b\":[[],{}]}],\"c\":\"}]\"}"), "side: \"Bogus\" is not"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"missingKeys", "duplicatedKeys", "wrongTypes", "nulls", "outOfRange", "crossFieldRules",
        "unknownOmsAndExchange", "malformedInput"})
    void shouldRefuseAndStayUsable(final Refusal refusal)
    {
        assertRefused(refusal);
        decoding.assertStillDecodesValidPayloads();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"missingKeys", "duplicatedKeys", "outOfRange", "malformedInput"})
    void shouldRefuseTheSameWayEveryTime(final Refusal refusal)
    {
        assertRefused(refusal);
        assertRefused(refusal);
        decoding.assertStillDecodesValidPayloads();
        assertRefused(refusal);
    }

    @Test
    void shouldRefuseEveryTruncationOfAValidPayloadAndStayUsable()
    {
        for (final Payload payload : List.of(LIMIT_SELL, CommandDecoding.TRAILING_SHORT))
        {
            final String json = payload.json();
            for (int length = 1; length < json.length(); length++)
            {
                final String truncated = json.substring(0, length);
                assertFalse(decoding.decode(truncated), truncated);
                assertEquals(INVALID, decoding.decoder.errorCode(), truncated);
                assertTrue(decoding.detail().startsWith("payload: "), truncated + " -> " + decoding.detail());
                decoding.assertDecodes(payload);
            }
        }
        decoding.assertStillDecodesValidPayloads();
    }

    @Test
    void shouldRefuseBytesThatAreNotUtf8AndStayUsable()
    {
        final byte[] json = "{\"exchangeServiceId\":\"ab\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        json[json.length - 3] = (byte)0xFF;

        assertFalse(decoding.decode(json, 0, json.length));
        assertEquals(INVALID, decoding.decoder.errorCode());
        assertTrue(decoding.detail().startsWith("payload: invalid JSON"), decoding.detail());
        decoding.assertStillDecodesValidPayloads();
    }

    @Test
    void shouldKeepTheFirstBrokenRule()
    {
        assertFalse(decoding.decode(LIMIT_SELL.with("accountId", "0").with("side", "7").without("orderId")));
        assertEquals("accountId: 0 must be > 0", decoding.detail());

        // Later broken rules of every kind leave the first detail as it was.
        assertFalse(decoding.decode(LIMIT_SELL.with("accountId", "0").with("side", "7").with("quantity", "1e20")
            .with("referencePrice", "0.000000001").with("orderFlag", "\"Bogus\"").with("isQuote", "1")
            .plus("Side", "1").with("exchangeServiceId", str("s".repeat(65)))));
        assertEquals("accountId: 0 must be > 0", decoding.detail());

        // A malformed value reported before a missing key and before the cross-field and OMS checks.
        assertFalse(decoding.decode(LIMIT_SELL.with("omsId", "2").with("displayQuantity", "9").without("orderId")
            .with("lastTradePrice", "-1")));
        assertEquals("lastTradePrice: -1 must be >= 0", decoding.detail());

        // A missing key before the cross-field rules, and those before the OMS check.
        assertFalse(decoding.decode(LIMIT_SELL.with("omsId", "2").with("displayQuantity", "9").without("orderId")));
        assertEquals("orderId: required", decoding.detail());
        assertFalse(decoding.decode(LIMIT_SELL.with("omsId", "2").with("displayQuantity", "9")));
        assertEquals("displayQuantity: must be <= quantity", decoding.detail());
        assertEquals(INVALID, decoding.decoder.errorCode());
        decoding.assertStillDecodesValidPayloads();
    }

    @Test
    void shouldRefuseAnExchangeThatIsNotConfigured()
    {
        final CommandDecoding configured = new CommandDecoding(1, 1, 5);

        assertFalse(configured.decode(LIMIT_SELL.with("exchangeId", "2")));
        assertEquals(ApexError.NOT_FOUND, configured.decoder.errorCode());
        assertEquals("exchangeId: 2 is not a configured exchange", configured.detail());
        assertFalse(configured.decode(LIMIT_SELL.with("exchangeId", "0")));
        assertEquals(ApexError.NOT_FOUND, configured.decoder.errorCode());
        assertEquals("exchangeId: 0 is not a configured exchange", configured.detail());

        configured.assertDecodes(LIMIT_SELL.with("exchangeId", "5"));
        assertEquals(5, configured.command.exchangeId());
        configured.assertDecodes(LIMIT_SELL);
        configured.assertLimitSell();
    }

    @Test
    void shouldRefuseAnotherOmsThanTheConfiguredOne()
    {
        final CommandDecoding oms7 = new CommandDecoding(7);

        assertFalse(oms7.decode(LIMIT_SELL));
        assertEquals(ApexError.NOT_FOUND, oms7.decoder.errorCode());
        assertEquals("omsId: 1 is not this gateway's OMS (7)", oms7.detail());

        oms7.assertDecodes(LIMIT_SELL.with("OMSId", "7"));
        assertEquals(7, oms7.command.omsId());
    }

    private void assertRefused(final Refusal refusal)
    {
        assertFalse(decoding.decode(refusal.json()), () -> "accepted: " + refusal.json());
        final String detail = decoding.detail();
        assertEquals(refusal.code(), decoding.decoder.errorCode(), () -> detail + " <- " + refusal.json());
        if (refusal.exact())
        {
            assertEquals(refusal.fragments().get(0), detail, refusal::json);
        }
        for (final String fragment : refusal.fragments())
        {
            assertTrue(detail.contains(fragment), () -> "detail \"" + detail + "\" lacks \"" + fragment + "\" <- " +
                refusal.json());
        }
    }

    private static Refusal refusal(final String name, final Payload payload, final String detailFragment)
    {
        return new Refusal(name, payload.json(), INVALID, List.of(detailFragment));
    }

    private static Refusal refusal(final String name, final String json, final int code, final String detailFragment)
    {
        return new Refusal(name, json, code, List.of(detailFragment));
    }

    /** A refusal whose detail is exactly the given text (it starts with it and adds nothing). */
    private static Refusal exact(final String name, final Payload payload, final String detail)
    {
        return new Refusal(name, payload.json(), INVALID, List.of(detail), true);
    }

    private static boolean isOptional(final String key)
    {
        for (final String optional : OPTIONAL_KEYS)
        {
            if (optional.equalsIgnoreCase(key))
            {
                return true;
            }
        }
        return false;
    }
}
