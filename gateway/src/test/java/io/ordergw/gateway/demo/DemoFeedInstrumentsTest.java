package io.ordergw.gateway.demo;

import io.ordergw.config.InstrumentTable;
import io.ordergw.config.OrderGwConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --demo} adds the demo feed's instruments when the configuration has none: they must be valid settings and
 * name the productPairIds the feed sends (1 and 2) and those the bench and the crash tests send (up to 5), or the table would refuse the feed's own events.
 */
class DemoFeedInstrumentsTest
{
    @Test
    void theDemoInstrumentsAreTheFeedsAndValid()
    {
        final InstrumentTable table = OrderGwConfig.from(DemoFeed.instruments()).instruments;
        assertArrayEquals(new int[]{1, 2, 3, 4, 5}, table.ids());
        assertEquals("BTCUSD", table.instrument(1).symbol);
        assertEquals("ETHUSD", table.instrument(2).symbol);
        assertEquals("USD", table.instrument(2).quoteCurrency);
        assertEquals(table.instrument(1).product2, table.instrument(2).product2, "one USD product");
    }
}
