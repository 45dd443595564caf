package io.ordergw.codec.json;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FieldTableTest
{
    private final FieldTable table = FieldTable.of("OMSId", "AccountId", "ProductPairId|InstrumentId");

    @Test
    void findsKeysAndAliasesInAnyLetterCase()
    {
        final FieldTable.Lookup lookup = table.newLookup();
        assertEquals(0, lookup.indexOf("omsid"));
        assertEquals(1, lookup.indexOf("ACCOUNTID"));
        assertEquals(1, lookup.indexOf("accountId"));
        assertEquals(2, lookup.indexOf("instrumentID"));
        assertEquals(2, lookup.indexOf("productPairId"));
        assertEquals(FieldTable.UNKNOWN, lookup.indexOf("account"));
    }

    @Test
    void keysAClientInventsDoNotPushRealKeysOntoAnAllocatingPath()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final FieldTable.Lookup lookup = table.newLookup();
        for (int k = 0; k < 2_000; k++)
        {
            assertEquals(FieldTable.UNKNOWN, lookup.indexOf("junk" + k));
        }
        final String spelling = "AcCoUnTiD"; // a spelling not seen before the flood
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && allocated >= 640; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++)
            {
                assertEquals(1, lookup.indexOf(spelling));
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(allocated < 640, allocated + " bytes allocated by 10,000 lookups after a flood of invented keys");
    }
}
