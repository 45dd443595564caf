package io.ordergw.codec.fuzz;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.OrderStateCommandJsonDecoder;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandDecoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the fuzz tests demand of {@link OrderStateCommandJsonDecoder} for any input: a command or a clean refusal
 * (100 or 104 with a detail), nothing thrown, the decoder still usable afterwards; and for an accepted input, a
 * command that says exactly what the input said, field by field, by docs/api.md section 5 read independently of the
 * decoder (the {@link StrictJson} tree, BigDecimal for decimals, the enumerations written out again here).
 */
final class CommandOracle
{
    /** Scale of every decimal, as the gateway's default configuration. */
    static final int SCALE = 8;
    /** The gateway's OMS. */
    static final int OMS_ID = 1;

    /** A payload with every key, as docs/api.md section 5 spells them; it decodes to {@link #checkValidCommand}. */
    static final String VALID = "{\"exchangeId\":1,\"omsId\":1,\"clientOrderId\":77,\"accountId\":7," +
        "\"productPairId\":3,\"orderType\":2,\"side\":1,\"tIF\":1,\"pegPriceType\":0,\"quantity\":1.5," +
        "\"displayQuantity\":0.5,\"limitPrice\":65000.12345678,\"stopPrice\":0,\"referencePrice\":64999.5," +
        "\"orderExpirationDateTime\":0,\"orderIdOCO\":0,\"orderFlag\":2,\"linkType\":0," +
        "\"exchangeServiceId\":\"svc-1\"," +
        "\"orderId\":123456789,\"enteredBy\":9,\"counterPartyId\":0,\"isQuote\":false,\"useMargin\":true," +
        "\"bestSellPrice\":65001,\"bestSellQuantity\":2.25,\"bestBuyPrice\":64999,\"bestBuyQuantity\":3," +
        "\"lastTradePrice\":65000}";

    private static final String[][] KEYS = {
        {"exchangeId"}, {"omsId"}, {"clientOrderId"}, {"accountId"}, {"productPairId", "instrumentId"}, {"orderType"},
        {"side"}, {"tIF", "timeInForce"}, {"pegPriceType"}, {"quantity"}, {"displayQuantity"}, {"limitPrice", "price"},
        {"stopPrice"}, {"referencePrice"}, {"orderExpirationDateTime"}, {"orderIdOCO"}, {"orderFlag"}, {"linkType"},
        {"exchangeServiceId"}, {"orderId"}, {"enteredBy"}, {"counterPartyId"}, {"isQuote"}, {"useMargin"},
        {"bestSellPrice"}, {"bestSellQuantity"}, {"bestBuyPrice"}, {"bestBuyQuantity"}, {"lastTradePrice"},
        {"orderState"}, {"changeReason"}, {"reason"}};

    /** Every key and alias, for generators. */
    static final List<String> ALL_KEYS = allKeys();

    private static final String[] ORDER_TYPES = {null, "Market", "Limit", "StopMarket", "StopLimit",
        "TrailingStopMarket", "TrailingStopLimit", "BlockTrade"};
    private static final String[] SIDES = {"Buy", "Sell", "Short", null};
    private static final String[] TIFS = {null, "GTC", "OPG", "IOC", "FOK", "GTX", "GTD"};
    private static final String[] PEG_TYPES = {"Unknown", "Last", "Bid", "Ask", "Midpoint"};
    private static final String[] LINK_TYPES = {"Unknown", "Cancel", "Update"};
    private static final String[] ORDER_STATES = {null, "Working", "Rejected", "Canceled", "Expired", "FullyExecuted"};
    private static final String[] FLAG_NAMES = {"NoAccountRiskCheck", "AddedToBook", "RemovedFromBook", "PostOnly"};

    private final OrderStateCommandJsonDecoder decoder = new OrderStateCommandJsonDecoder(SCALE, OMS_ID, new int[0]);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final OrderStateCommandEncoder encoder = new OrderStateCommandEncoder();
    private final OrderStateCommandDecoder command = new OrderStateCommandDecoder();
    private final byte[] validBytes = VALID.getBytes(StandardCharsets.UTF_8);

    /**
     * Decode an input with the long-lived decoder, as the gateway does message after message, and check the outcome.
     *
     * @param input  bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return true if the input was accepted.
     */
    boolean check(final byte[] input, final int offset, final int length)
    {
        final boolean accepted = decode(input, offset, length);
        if (accepted)
        {
            final StrictJson.Value root = StrictJson.parse(input, offset, length);
            assertNotNull(root, "accepted a payload that is not strict JSON");
            assertTrue(root.isObject(), "accepted a payload that is not an object");
            checkAgainst(root);
        }
        else
        {
            final int code = decoder.errorCode();
            assertTrue(code == ApexError.INVALID_REQUEST || code == ApexError.NOT_FOUND, "refused with code " + code);
            assertTrue(decoder.detail().length() > 0, "refused without a detail");
        }
        // Whatever came before, the next valid message decodes as usual.
        assertTrue(decode(validBytes, 0, validBytes.length), () -> "valid payload refused after the input: " +
            decoder.detail());
        checkValidCommand();
        return accepted;
    }

    /**
     * Decode into the command buffer (filled with junk first, so a field the decoder forgets cannot pass).
     *
     * @param input  bytes.
     * @param offset first byte.
     * @param length byte count.
     * @return whether it was accepted.
     */
    boolean decode(final byte[] input, final int offset, final int length)
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        final boolean accepted = decoder.decode(input, offset, length, encoder);
        if (accepted)
        {
            command.wrapAndApplyHeader(buffer, 0, headerDecoder);
        }
        return accepted;
    }

    /**
     * The encoded command of the last accepted decode, correlation fields excluded.
     *
     * @return a copy of its bytes.
     */
    byte[] commandBytes()
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    /**
     * The last decode's error code.
     *
     * @return the code.
     */
    int errorCode()
    {
        return decoder.errorCode();
    }

    /**
     * The last decode's detail.
     *
     * @return text.
     */
    String detail()
    {
        return decoder.detail().toString();
    }

    private void checkValidCommand()
    {
        final OrderStateCommandDecoder c = command.wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(1, c.exchangeId());
        assertEquals(7, c.accountId());
        assertEquals(123456789L, c.orderId());
        assertEquals(new BigDecimal("65000.12345678").movePointRight(SCALE).longValueExact(), c.limitPrice());
        assertEquals(150_000_000L, c.quantity());
        assertEquals(2, c.orderFlags().getRaw());
        assertEquals("svc-1", c.exchangeServiceId());
        assertEquals("", c.reason());
    }

    /** Every field of the accepted command against the strict reading of the payload. */
    private void checkAgainst(final StrictJson.Value root)
    {
        final OrderStateCommandDecoder c = command.wrapAndApplyHeader(buffer, 0, headerDecoder);
        assertEquals(wholeNumber(root, 0, 0, Integer.MAX_VALUE), c.exchangeId(), "exchangeId");
        assertEquals(OMS_ID, wholeNumber(root, 1, Integer.MIN_VALUE, Integer.MAX_VALUE), "omsId");
        assertEquals(OMS_ID, c.omsId(), "omsId");
        assertEquals(optionalWholeNumber(root, 2, 0, Long.MAX_VALUE, 0), c.clientOrderId(), "clientOrderId");
        assertEquals(wholeNumber(root, 3, 1, Integer.MAX_VALUE), c.accountId(), "accountId");
        assertEquals(wholeNumber(root, 4, 1, Integer.MAX_VALUE), c.productPairId(), "productPairId");
        assertEquals(enumValue(root, 5, ORDER_TYPES), c.orderTypeRaw(), "orderType");
        assertEquals(enumValue(root, 6, SIDES), c.sideRaw(), "side");
        assertEquals(enumValue(root, 7, TIFS), c.timeInForceRaw(), "tIF");
        assertEquals(enumValue(root, 8, PEG_TYPES), c.pegPriceTypeRaw(), "pegPriceType");
        assertEquals(decimal(root, 9), c.quantity(), "quantity");
        assertEquals(decimal(root, 10), c.displayQuantity(), "displayQuantity");
        assertEquals(decimal(root, 11), c.limitPrice(), "limitPrice");
        assertEquals(decimal(root, 12), c.stopPrice(), "stopPrice");
        assertEquals(decimal(root, 13), c.referencePrice(), "referencePrice");
        assertEquals(wholeNumber(root, 14, 0, Long.MAX_VALUE), c.orderExpirationDateTime(), "orderExpirationDateTime");
        assertEquals(wholeNumber(root, 15, 0, Long.MAX_VALUE), c.orderIdOCO(), "orderIdOCO");
        assertEquals(orderFlag(root), c.orderFlags().getRaw(), "orderFlag");
        assertEquals(enumValue(root, 17, LINK_TYPES), c.linkTypeRaw(), "linkType");
        assertArrayEquals(text(root, 18, 64, false), varBytes(c, true), "exchangeServiceId");
        assertEquals(wholeNumber(root, 19, 1, Long.MAX_VALUE), c.orderId(), "orderId");
        assertEquals(wholeNumber(root, 20, 0, Integer.MAX_VALUE), c.enteredBy(), "enteredBy");
        assertEquals(wholeNumber(root, 21, 0, Integer.MAX_VALUE), c.counterPartyId(), "counterPartyId");
        assertEquals(bool(root, 22), c.isQuoteRaw(), "isQuote");
        assertEquals(bool(root, 23), c.useMarginRaw(), "useMargin");
        assertEquals(decimal(root, 24), c.bestSellPrice(), "bestSellPrice");
        assertEquals(decimal(root, 25), c.bestSellQuantity(), "bestSellQuantity");
        assertEquals(decimal(root, 26), c.bestBuyPrice(), "bestBuyPrice");
        assertEquals(decimal(root, 27), c.bestBuyQuantity(), "bestBuyQuantity");
        assertEquals(decimal(root, 28), c.lastTradePrice(), "lastTradePrice");
        final StrictJson.Value state = single(root, 29);
        assertEquals(state == null || state.isNull() ? 255 : enumValue(root, 29, ORDER_STATES), c.requestedStateRaw(),
            "orderState");
        final StrictJson.Value reason = single(root, 30);
        assertEquals(reason == null || reason.isNull() ? 255 : changeReason(reason), c.requestedChangeReasonRaw(),
            "changeReason");
        assertArrayEquals(text(root, 31, 256, true), varBytes(c, false), "reason");

        // The rules across fields (docs/api.md section 5) hold for anything accepted.
        assertTrue(c.displayQuantity() <= c.quantity(), "displayQuantity > quantity accepted");
        final int type = c.orderTypeRaw();
        if (type == 2 || type == 4 || type == 6)
        {
            assertTrue(c.limitPrice() > 0, "limit order without a limit price accepted");
        }
        if (type >= 3 && type <= 6)
        {
            assertTrue(c.stopPrice() > 0, "stop order without a stop price accepted");
        }
        if (type == 5 || type == 6)
        {
            assertTrue(c.pegPriceTypeRaw() >= 1, "trailing order without a peg price type accepted");
        }
        if (c.timeInForceRaw() == 6)
        {
            assertTrue(c.orderExpirationDateTime() > 0, "GTD order without an expiry accepted");
        }
    }

    private static StrictJson.Value single(final StrictJson.Value root, final int field)
    {
        final List<StrictJson.Value> found = new ArrayList<>();
        for (final String key : KEYS[field])
        {
            found.addAll(root.membersIgnoringCase(key));
        }
        if (found.size() > 1)
        {
            fail(KEYS[field][0] + " given " + found.size() + " times (aliases included) but accepted");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static StrictJson.Value required(final StrictJson.Value root, final int field)
    {
        final StrictJson.Value value = single(root, field);
        if (value == null || value.isNull())
        {
            fail("required key " + KEYS[field][0] + " missing or null but accepted");
        }
        return value;
    }

    private static long wholeNumber(final StrictJson.Value root, final int field, final long min, final long max)
    {
        final StrictJson.Value value = required(root, field);
        assertTrue(value.isInteger(), () -> KEYS[field][0] + ": accepted " + value);
        final BigDecimal number = new BigDecimal(value.text);
        assertTrue(number.compareTo(BigDecimal.valueOf(min)) >= 0 && number.compareTo(BigDecimal.valueOf(max)) <= 0,
            () -> KEYS[field][0] + ": accepted out of range " + value.text);
        return number.longValueExact();
    }

    private static long optionalWholeNumber(
        final StrictJson.Value root, final int field, final long min, final long max, final long absent)
    {
        final StrictJson.Value value = single(root, field);
        return value == null || value.isNull() ? absent : wholeNumber(root, field, min, max);
    }

    private static long decimal(final StrictJson.Value root, final int field)
    {
        final StrictJson.Value value = required(root, field);
        assertTrue(value.isString() || value.token.isNumeric(), () -> KEYS[field][0] + ": accepted " + value);
        final BigDecimal number;
        try
        {
            number = new BigDecimal(value.text);
        }
        catch (final NumberFormatException ex)
        {
            throw new AssertionError(KEYS[field][0] + ": accepted \"" + value.text + "\", not a decimal", ex);
        }
        assertTrue(number.signum() >= 0, () -> KEYS[field][0] + ": accepted negative " + value.text);
        // Exact: a value with more places than the scale must have been refused, never rounded.
        return number.movePointRight(SCALE).longValueExact();
    }

    private static short bool(final StrictJson.Value root, final int field)
    {
        final StrictJson.Value value = required(root, field);
        assertTrue(value.token.isBoolean(), () -> KEYS[field][0] + ": accepted " + value);
        return (short)(value.token == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE ? 1 : 0);
    }

    private static int enumValue(final StrictJson.Value root, final int field, final String[] names)
    {
        final StrictJson.Value value = required(root, field);
        final int number;
        if (value.isInteger())
        {
            number = new BigDecimal(value.text).intValueExact();
        }
        else
        {
            assertTrue(value.isString(), () -> KEYS[field][0] + ": accepted " + value);
            number = nameOrDigits(value.text, names);
        }
        assertTrue(number >= 0 && number < names.length && names[number] != null,
            () -> KEYS[field][0] + ": accepted " + value + ", which is not an allowed value");
        return number;
    }

    private static int changeReason(final StrictJson.Value value)
    {
        final String[] names = new String[101];
        final String[] known = {"Unknown", "NewInputAccepted", "NewInputRejected", "OtherRejected", "Expired", "Trade",
            "SystemCanceled_NoMoreMarket", "SystemCanceled_BelowMinimum", "SystemCanceled_PriceCollar",
            "SystemCanceled_MarginFailed"};
        System.arraycopy(known, 0, names, 0, known.length);
        names[100] = "UserModified";
        final int number = value.isInteger() ? new BigDecimal(value.text).intValueExact() :
            nameOrDigits(value.text, names);
        assertTrue(number >= 0 && number < names.length && names[number] != null,
            () -> "changeReason: accepted " + value);
        return number;
    }

    private static int nameOrDigits(final String text, final String[] names)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (names[i] != null && names[i].equalsIgnoreCase(text))
            {
                return i;
            }
        }
        if (!text.isEmpty() && text.length() <= 9 && text.chars().allMatch(ch -> ch >= '0' && ch <= '9'))
        {
            return Integer.parseInt(text);
        }
        throw new AssertionError("accepted the name \"" + text + "\", which is not one of " + Arrays.toString(names));
    }

    private static int orderFlag(final StrictJson.Value root)
    {
        final StrictJson.Value value = required(root, 16);
        if (value.isInteger())
        {
            final long bits = new BigDecimal(value.text).longValueExact();
            assertTrue(bits >= 0 && (bits & ~0xF) == 0, () -> "orderFlag: accepted " + value.text);
            return (int)bits;
        }
        assertTrue(value.isString(), () -> "orderFlag: accepted " + value);
        int bits = 0;
        int parts = 0;
        for (final String part : value.text.split("[ ,|]+"))
        {
            if (part.isEmpty())
            {
                continue;
            }
            parts++;
            bits |= flagBit(part);
        }
        assertTrue(parts > 0, () -> "orderFlag: accepted \"" + value.text + "\" naming no flag");
        return bits;
    }

    private static int flagBit(final String part)
    {
        for (int b = 0; b < FLAG_NAMES.length; b++)
        {
            if (FLAG_NAMES[b].equalsIgnoreCase(part))
            {
                return 1 << b;
            }
        }
        if (part.equalsIgnoreCase("None"))
        {
            return 0;
        }
        assertTrue(part.length() <= 2 && part.chars().allMatch(ch -> ch >= '0' && ch <= '9'),
            () -> "orderFlag: accepted the flag name \"" + part + "\"");
        final int bits = Integer.parseInt(part);
        assertEquals(0, bits & ~0xF, () -> "orderFlag: accepted the flag number " + part);
        return bits;
    }

    private static byte[] text(final StrictJson.Value root, final int field, final int maxBytes, final boolean optional)
    {
        final StrictJson.Value value = optional ? single(root, field) : required(root, field);
        if (value == null || value.isNull())
        {
            return new byte[0];
        }
        assertTrue(value.isString(), () -> KEYS[field][0] + ": accepted " + value);
        final byte[] bytes = value.text.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= maxBytes, () -> KEYS[field][0] + ": accepted " + bytes.length + " bytes");
        return bytes;
    }

    private static byte[] varBytes(final OrderStateCommandDecoder c, final boolean serviceId)
    {
        // Var fields are read in schema order: exchangeServiceId, then reason.
        final OrderStateCommandDecoder fresh = new OrderStateCommandDecoder().wrap(c.buffer(), c.offset(),
            OrderStateCommandDecoder.BLOCK_LENGTH, OrderStateCommandDecoder.SCHEMA_VERSION);
        final byte[] service = new byte[fresh.exchangeServiceIdLength()];
        fresh.getExchangeServiceId(service, 0, service.length);
        if (serviceId)
        {
            return service;
        }
        final byte[] reason = new byte[fresh.reasonLength()];
        fresh.getReason(reason, 0, reason.length);
        return reason;
    }

    private static List<String> allKeys()
    {
        final List<String> keys = new ArrayList<>();
        for (final String[] names : KEYS)
        {
            keys.addAll(Arrays.asList(names));
        }
        return keys;
    }

    /**
     * A key in a random letter case.
     *
     * @param key      the key.
     * @param caseBits one bit per letter: upper if set.
     * @return the key.
     */
    static String recase(final String key, final long caseBits)
    {
        final StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++)
        {
            final char ch = key.charAt(i);
            sb.append(((caseBits >>> (i & 63)) & 1) != 0 ? Character.toUpperCase(ch) :
                Character.toLowerCase(ch));
        }
        return sb.toString();
    }
}
