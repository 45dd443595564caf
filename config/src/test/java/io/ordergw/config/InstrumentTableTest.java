package io.ordergw.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The instrument table ({@code ordergw.instruments}): products numbered or given, exact decimals, and every bad entry
 * refused at start with a message naming the setting.
 */
class InstrumentTableTest
{
    private static final String BTC = "{ id = 1, symbol = BTCUSD, product1 = BTC, product2 = USD, " +
        "quantity-increment = 0.0001, price-increment = 0.01 }";

    @Test
    void emptyByDefault()
    {
        final InstrumentTable table = OrderGwConfig.defaults().instruments;
        assertTrue(table.isEmpty());
        assertEquals(0, table.ids().length);
        assertEquals(0, table.products().size());
    }

    @Test
    void productsAreNumberedInOrderOfAppearanceUnlessGiven()
    {
        final InstrumentTable table = OrderGwConfig.parse("ordergw.instruments = [" + BTC + ",\n" +
            "{ id = 7, symbol = ETHBTC, product1 = ETH, product2 = BTC, quantity-increment = \"0.001\", " +
            "price-increment = 0.000001, minimum-quantity = 0.01, quote-currency = EUR, product1-id = 10 }]")
            .instruments;
        assertArrayEquals(new int[]{1, 7}, table.ids());
        final InstrumentTable.Instrument eth = table.instrument(7);
        assertEquals("ETHBTC", eth.symbol);
        assertEquals(10, eth.product1.id);
        assertEquals(1, eth.product2.id, "BTC keeps the id it got first");
        assertEquals(new BigDecimal("0.000001"), eth.priceIncrement);
        assertEquals(new BigDecimal("0.01"), eth.minimumQuantity);
        assertEquals("EUR", eth.quoteCurrency);
        final InstrumentTable.Instrument btc = table.instrument(1);
        assertEquals(2, btc.product2.id);
        assertEquals(new BigDecimal("0.0001"), btc.minimumQuantity, "defaults to the quantity increment");
        assertEquals("USD", btc.quoteCurrency, "defaults to product2");
        assertEquals(3, table.products().size());
        assertEquals("BTC", table.products().get(0).symbol);
        assertEquals("ETH", table.products().get(2).symbol);
        assertEquals(10, table.products().get(2).id);
        assertNull(table.instrument(2));
    }

    @Test
    void badEntriesNameTheSetting()
    {
        assertMessage("ordergw.instruments[0].price-increment: must be > 0 (got 0)",
            BTC.replace("price-increment = 0.01", "price-increment = 0"));
        assertMessage("ordergw.instruments[0].quantity-increment: has more than 8 decimal places " +
            "(ordergw.decimal-scale) (got 0.000000001)", BTC.replace("0.0001", "0.000000001"));
        assertMessage("ordergw.instruments[0].quantity-increment: must be a decimal number such as 0.01 (got \"abc\")",
            BTC.replace("0.0001", "\"abc\""));
        assertMessage("ordergw.instruments[0].id: is required", BTC.replace("id = 1, ", ""));
        assertMessage("ordergw.instruments[0].id: must be > 0 (got 0)", BTC.replace("id = 1", "id = 0"));
        assertMessage("ordergw.instruments[0].symbl: unknown setting", BTC.replace("symbol", "symbl"));
        assertMessage("ordergw.instruments[0].product2: must differ from product1 (BTC)",
            BTC.replace("product2 = USD", "product2 = BTC"));
        assertMessage("ordergw.instruments[0].quote-currency: must be three capital letters, e.g. USD (got \"USDT\")",
            BTC.replace("USD }", "USDT }").replace("product2 = USD", "product2 = USDT"));
        assertMessage("ordergw.instruments[1].id: 1 is already the id of BTCUSD", BTC + ", " +
            BTC.replace("BTCUSD", "BTCEUR"));
        assertMessage("ordergw.instruments[1].symbol: BTCUSD is already instrument 1", BTC + ", " +
            BTC.replace("id = 1", "id = 2"));
        assertMessage("ordergw.instruments[0].product1: must be 1 to 32 letters, digits, '.', '_' or '-' (got \"B C\")",
            BTC.replace("product1 = BTC", "product1 = \"B C\""));
        final ConfigError notAList = assertThrows(ConfigError.class,
            () -> OrderGwConfig.parse("ordergw.instruments = 5"));
        assertTrue(notAList.getMessage().startsWith("ordergw.instruments: must be a list of objects"),
            notAList.getMessage());
    }

    private static void assertMessage(final String expectedStart, final String entries)
    {
        final ConfigError error = assertThrows(ConfigError.class,
            () -> OrderGwConfig.parse("ordergw.instruments = [" + entries + "]"));
        assertTrue(error.getMessage().startsWith(expectedStart), error.getMessage());
    }
}
