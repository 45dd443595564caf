package io.ordergw.codec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ordergw.codec.json.OrderStateCommandJsonDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the SendExchangeOrderStateEvent payload decoder ({@link OrderStateCommandJsonDecoder}),
 * two ways:
 * <ul>
 *     <li>{@link #payload(byte[])}: raw bytes, for the JSON layer (syntax, UTF-8, nesting, numbers, trailing
 *     content).</li>
 *     <li>{@link #fields(FuzzedDataProvider)}: payloads built from the 32 keys and their aliases, in any letter case
 *     and order, with values of every JSON type and edge values (limits, exponents, decimals with too many places,
 *     enum names, flag lists, long and non-ASCII strings, keys twice), which reach the rules of docs/api.md section 5
 *     far faster than bytes do. Some of them are the canonical valid payload rewritten in ways the contract says
 *     mean the same (key case, order, aliases, numbers as strings, enum names, unknown keys, whitespace): those must
 *     decode to exactly the canonical command.</li>
 * </ul>
 * Every input must give a command or a clean refusal (see {@link CommandOracle}), never an exception or a hang.
 * Under plain JUnit this replays the corpus in
 * {@code src/test/resources/io/ordergw/codec/fuzz/OrderStateCommandJsonDecoderFuzzTestInputs/<method>}.
 */
class OrderStateCommandJsonDecoderFuzzTest
{
    private static final CommandOracle ORACLE = new CommandOracle();
    private static final byte[] CANONICAL_COMMAND = canonicalCommand();

    private static final String[][] CANONICAL_FIELDS = {
        {"exchangeId", "1"}, {"omsId", "1"}, {"clientOrderId", "77"}, {"accountId", "7"}, {"productPairId", "3"},
        {"orderType", "2"}, {"side", "1"}, {"tIF", "1"}, {"pegPriceType", "0"}, {"quantity", "1.5"},
        {"displayQuantity", "0.5"}, {"limitPrice", "65000.12345678"}, {"stopPrice", "0"}, {"referencePrice", "64999.5"},
        {"orderExpirationDateTime", "0"}, {"orderIdOCO", "0"}, {"orderFlag", "2"}, {"linkType", "0"},
        {"exchangeServiceId", "\"svc-1\""}, {"orderId", "123456789"}, {"enteredBy", "9"}, {"counterPartyId", "0"},
        {"isQuote", "false"}, {"useMargin", "true"}, {"bestSellPrice", "65001"}, {"bestSellQuantity", "2.25"},
        {"bestBuyPrice", "64999"}, {"bestBuyQuantity", "3"}, {"lastTradePrice", "65000"}};

    /** Spellings that must mean the same as the canonical value, per canonical field (index as above). */
    private static final String[][] EQUIVALENTS = {
        {"1"}, {"1"}, {"77"}, {"7"}, {"3"}, {"2", "\"Limit\"", "\"limit\"", "\"2\""}, {"1", "\"Sell\"", "\"SELL\""},
        {"1", "\"GTC\"", "\"gtc\""}, {"0", "\"Unknown\""}, {"1.5", "\"1.5\"", "1.50000000", "15e-1", "0.15E1"},
        {"0.5", "\"0.5\"", "5e-1"}, {"65000.12345678", "\"65000.12345678\"", "6500012345678e-8"}, {"0", "\"0\"", "0.0"},
        {"64999.5", "\"64999.50\""}, {"0"}, {"0"}, {"2", "\"AddedToBook\"", "\"addedtobook\"", "\"2\""},
        {"0", "\"Unknown\""}, {"\"svc-1\"", "\"svc\\u002d1\""}, {"123456789"}, {"9"}, {"0"}, {"false"}, {"true"},
        {"65001", "\"65001\"", "6.5001e4"}, {"2.25"}, {"64999"}, {"3", "3.0"}, {"65000", "65000.00000000"}};

    private static final String[] ALIASES = {"productPairId:instrumentId", "tIF:timeInForce", "limitPrice:price"};

    private static final String[] EDGE_VALUES = {
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "18446744073709551616", "1e3", "1E400", "1e-400", "0.1",
        "0.00000001", "0.000000001", "92233720368.54775807", "92233720368.54775808", "1.5", "-1.5", "00", "01",
        "\"\"", "\" 1\"", "\"1 \"", "\"1e3\"", "\"0x10\"", "\"NaN\"", "\"Infinity\"", "\"-0\"", "\"+1\"", "\".5\"",
        "\"5.\"", "\"1,5\"", "\"Limit\"", "\"limit\"", "\"Unknown\"", "\"Buy\"", "\"Short\"", "\"GTD\"",
        "\"AddedToBook, RemovedFromBook\"", "\"None\"", "\"1|2\"", "\"3\"", "\"16\"", "\"PostOnly,\"", "\",\"",
        "\"Working\"", "\"FullyExecuted\"", "\"UserModified\"", "\"SystemCanceled_NoMoreMarket\"", "true", "false",
        "null", "[]", "{}", "[1]", "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"é€😀\"",
        "\"\\\"\\\\\"", "99999999999999999999999999999999999999999999999999999999999999999"};

    @BeforeAll
    static void configureJazzer()
    {
        FuzzMode.configure();
    }

    /** The edge values that are JSON at all (unknown keys may carry any JSON, but it must be JSON). */
    private static final String[] VALID_EDGE_VALUES = java.util.Arrays.stream(EDGE_VALUES)
        .filter(v -> StrictJson.parse(v.getBytes(StandardCharsets.UTF_8), 0,
            v.getBytes(StandardCharsets.UTF_8).length) != null)
        .toArray(String[]::new);

    @FuzzTest
    @Timeout(10)
    void payload(final byte[] input)
    {
        ORACLE.check(input, 0, input.length);
    }

    @FuzzTest
    @Timeout(10)
    void fields(final FuzzedDataProvider data)
    {
        if (data.consumeBoolean())
        {
            final String json = rewriteCanonical(data);
            final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            final boolean accepted = ORACLE.decode(bytes, 0, bytes.length);
            final String refusal = accepted ? "" : ORACLE.errorCode() + " " + ORACLE.detail();
            assertTrue(accepted, () -> "refused an equivalent of the canonical payload (" + refusal + "): " + json);
            assertArrayEquals(CANONICAL_COMMAND, ORACLE.commandBytes(), () -> "decoded differently: " + json);
            ORACLE.check(bytes, 0, bytes.length);
        }
        else
        {
            final byte[] bytes = arbitraryFields(data).getBytes(StandardCharsets.UTF_8);
            ORACLE.check(bytes, 0, bytes.length);
        }
    }

    /** The canonical payload in a spelling that must decode to the same command. */
    private static String rewriteCanonical(final FuzzedDataProvider data)
    {
        final List<String> members = new ArrayList<>();
        for (int f = 0; f < CANONICAL_FIELDS.length; f++)
        {
            String key = CANONICAL_FIELDS[f][0];
            for (final String alias : ALIASES)
            {
                if (alias.startsWith(key + ":") && data.consumeBoolean())
                {
                    key = alias.substring(alias.indexOf(':') + 1);
                }
            }
            key = CommandOracle.recase(key, data.consumeLong());
            final String value = data.pickValue(EQUIVALENTS[f]);
            members.add(quote(key) + space(data) + ":" + space(data) + value);
        }
        final int unknown = data.consumeInt(0, 3);
        for (int u = 0; u < unknown; u++)
        {
            members.add(quote("x" + data.consumeAsciiString(8).replaceAll("[^A-Za-z0-9]", "")) + ":" +
                data.pickValue(VALID_EDGE_VALUES));
        }
        if (data.consumeBoolean())
        {
            members.add(quote(CommandOracle.recase("reason", data.consumeLong())) + ":null");
        }
        Collections.shuffle(members, new java.util.Random(data.consumeLong()));
        return space(data) + "{" + space(data) + String.join("," + space(data), members) + space(data) + "}" +
            space(data);
    }

    /** Keys of the table (and some others), values from anywhere. */
    private static String arbitraryFields(final FuzzedDataProvider data)
    {
        final List<String> keys = CommandOracle.ALL_KEYS;
        final StringBuilder sb = new StringBuilder("{");
        final boolean startComplete = data.consumeBoolean();
        int count = 0;
        if (startComplete)
        {
            // Start from the canonical payload and disturb a few fields: reaches the cross-field rules.
            for (final String[] field : CANONICAL_FIELDS)
            {
                if (data.consumeInt(0, 9) == 0)
                {
                    continue; // dropped
                }
                final String value = data.consumeInt(0, 5) == 0 ? value(data) : field[1];
                sb.append(count++ == 0 ? "" : ",").append(quote(CommandOracle.recase(field[0], data.consumeLong())))
                    .append(':').append(value);
            }
        }
        final int extra = data.consumeInt(0, startComplete ? 4 : 40);
        for (int k = 0; k < extra && data.remainingBytes() > 0; k++)
        {
            final String key = data.consumeInt(0, 7) == 0 ? data.consumeString(12) :
                CommandOracle.recase(data.pickValue(keys), data.consumeLong());
            sb.append(count++ == 0 ? "" : ",").append(quote(key)).append(':').append(value(data));
        }
        return sb.append('}').toString();
    }

    private static String value(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 5))
        {
            case 0:
                return data.pickValue(EDGE_VALUES);
            case 1:
                return Long.toString(data.consumeLong());
            case 2:
                return data.consumeLong(0, Long.MAX_VALUE) + "." + data.consumeLong(0, 999_999_999_999L) +
                    (data.consumeBoolean() ? "e" + data.consumeInt(-20, 20) : "");
            case 3:
                return quote(data.consumeString(data.consumeInt(0, 300)));
            case 4:
                return quote(data.pickValue(EDGE_VALUES).replace("\"", ""));
            default:
                return data.consumeBoolean() ? Integer.toString(data.consumeInt(-2, 130)) :
                    quote(Integer.toString(data.consumeInt(-2, 130)));
        }
    }

    private static String space(final FuzzedDataProvider data)
    {
        return data.consumeInt(0, 7) == 0 ? data.pickValue(new String[]{" ", "\n", "\t", "\r\n ", ""}) : "";
    }

    private static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder("\"");
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

    private static byte[] canonicalCommand()
    {
        final CommandOracle oracle = new CommandOracle();
        final byte[] bytes = CommandOracle.VALID.getBytes(StandardCharsets.UTF_8);
        if (!oracle.decode(bytes, 0, bytes.length))
        {
            throw new IllegalStateException("the canonical payload is refused: " + oracle.detail());
        }
        return oracle.commandBytes();
    }

    /**
     * The oracle holds for the canonical payload (a check of the test itself, run with the corpus).
     */
    @Test
    @Timeout(10)
    void oracleAcceptsTheCanonicalPayload()
    {
        final byte[] bytes = CommandOracle.VALID.getBytes(StandardCharsets.UTF_8);
        assertTrue(ORACLE.check(bytes, 0, bytes.length));
    }
}
