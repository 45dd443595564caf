package io.ordergw.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry of counter type ids: no id twice, all in ordergw's range and out of the feed client's, and counters
 * found by type id and key whatever their labels.
 */
class OrderGwCountersTest
{
    @Test
    void everyTypeIdIsUniqueAndInOrderGwsRange() throws IllegalAccessException
    {
        final Map<Integer, String> seen = new HashMap<>();
        for (final Field field : OrderGwCounters.class.getFields())
        {
            if (!field.getName().endsWith("_TYPE_ID") || !Modifier.isStatic(field.getModifiers()) ||
                field.getName().startsWith("FEED_CLIENT_") || field.getName().startsWith("MIN_") ||
                field.getName().startsWith("MAX_"))
            {
                continue;
            }
            final int typeId = field.getInt(null);
            final String before = seen.put(typeId, field.getName());
            assertNull(before, "type id " + typeId + " is both " + before + " and " + field.getName());
            assertTrue(typeId >= OrderGwCounters.MIN_TYPE_ID && typeId <= OrderGwCounters.MAX_TYPE_ID,
                field.getName() + " = " + typeId + " is outside ordergw's range");
            assertFalse(OrderGwCounters.isFeedClient(typeId), field.getName() + " is in the feed client's range");
            assertTrue(OrderGwCounters.isRegistered(typeId), field.getName());
            assertNotNull(OrderGwCounters.typeName(typeId), field.getName());
        }
        assertTrue(seen.size() > 40, "the registry's ids were read: " + seen.size());
        assertTrue(seen.containsKey(OrderGwCounters.RING_DEPTH_TYPE_ID));
        assertTrue(seen.containsKey(OrderGwCounters.JOURNAL_LAG_TYPE_ID));
    }

    @Test
    void theFeedClientsRangeIsReservedNotAllocatedHere()
    {
        assertTrue(OrderGwCounters.isRegistered(1100));
        assertTrue(OrderGwCounters.isRegistered(1199));
        assertFalse(OrderGwCounters.isRegistered(1200));
        assertFalse(OrderGwCounters.isRegistered(999));
        assertEquals("feed client", OrderGwCounters.typeName(1150));
        final CountersManager manager = manager();
        final AtomicCounter feedClient = OrderGwCounters.allocate(manager, 1150, "the feed client allocates here");
        assertEquals(1150, manager.getCounterTypeId(feedClient.id()));
        assertThrows(IllegalArgumentException.class, () -> OrderGwCounters.allocate(manager, 1030, "unregistered"));
        assertThrows(IllegalArgumentException.class, () -> OrderGwCounters.allocate(manager, 1200, "outside"));
    }

    @Test
    void aCounterIsFoundByTypeIdAndKeyNotByLabel()
    {
        final CountersManager manager = manager();
        final AtomicCounter refused100 = OrderGwCounters.allocate(
            manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 100, "same label");
        final AtomicCounter refused101 = OrderGwCounters.allocate(
            manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 101, "same label");
        final AtomicCounter ipc = OrderGwCounters.allocate(manager, OrderGwCounters.FEED_LAG_TYPE_ID, 1001,
            OrderGwCounters.TRANSPORT_IPC, "feed");
        final AtomicCounter udp = OrderGwCounters.allocate(manager, OrderGwCounters.FEED_LAG_TYPE_ID, 1001,
            OrderGwCounters.TRANSPORT_UDP, "feed");
        refused101.set(7);
        udp.set(9);

        assertEquals(refused100.id(), OrderGwCounters.find(manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 100));
        assertEquals(refused101.id(), OrderGwCounters.find(manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 101));
        assertEquals(CountersReader.NULL_COUNTER_ID,
            OrderGwCounters.find(manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 104));
        assertEquals(ipc.id(), OrderGwCounters.find(manager, OrderGwCounters.FEED_LAG_TYPE_ID, 1001,
            OrderGwCounters.TRANSPORT_IPC));
        final int udpId = OrderGwCounters.find(manager, OrderGwCounters.FEED_LAG_TYPE_ID, 1001,
            OrderGwCounters.TRANSPORT_UDP);
        assertEquals(9, manager.getCounterValue(udpId));
        assertEquals("stream=1001 transport=udp", OrderGwCounters.describeKey(manager, udpId));
        assertEquals("code=101", OrderGwCounters.describeKey(manager, refused101.id()));

        // A freed counter is not found; one allocated after it is.
        refused101.close();
        assertEquals(CountersReader.NULL_COUNTER_ID,
            OrderGwCounters.find(manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 101));
        final AtomicCounter again = OrderGwCounters.allocate(
            manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 101, "again");
        assertEquals(again.id(), OrderGwCounters.find(manager, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, 101));
        assertEquals(0, manager.getCounterValue(again.id()));
    }

    @Test
    void anAgentsErrorCounterIsKeyedByItsRoleName()
    {
        final CountersManager manager = manager();
        final AtomicCounter engine = OrderGwCounters.allocateAgentErrors(manager, "ordergw-engine");
        final AtomicCounter router = OrderGwCounters.allocateAgentErrors(manager, "ordergw-router");
        assertEquals(OrderGwCounters.AGENT_ERRORS_TYPE_ID, manager.getCounterTypeId(router.id()));
        assertEquals("agent=ordergw-engine", OrderGwCounters.describeKey(manager, engine.id()));
        assertEquals("agent=ordergw-router", OrderGwCounters.describeKey(manager, router.id()));
        assertEquals("agent errors: ordergw-router", manager.getCounterLabel(router.id()));
    }

    private static CountersManager manager()
    {
        return new CountersManager(new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024)));
    }
}
