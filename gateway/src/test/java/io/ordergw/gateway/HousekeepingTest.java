package io.ordergw.gateway;

import com.sun.management.ThreadMXBean;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HousekeepingTest
{
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> ran = new ArrayList<>();

    @Test
    void eachTaskRunsWhenItIsDueAndNotOnEveryDutyCycle()
    {
        final Housekeeping housekeeping = new Housekeeping(clock)
            .every("sweep", 10, 10, TimeUnit.SECONDS, () -> ran.add("sweep"))
            .every("retention", 0, 10, TimeUnit.SECONDS, () -> ran.add("retention"));
        housekeeping.onStart();
        assertEquals(1, housekeeping.doWork());
        assertEquals(0, housekeeping.doWork(), "nothing more is due in the same instant");
        advanceSeconds(9);
        assertEquals(0, housekeeping.doWork());
        advanceSeconds(1);
        assertEquals(2, housekeeping.doWork());
        assertEquals(List.of("retention", "sweep", "retention"), ran);
    }

    @Test
    void aFailingTaskFailsOncePerIntervalNotOnEveryDutyCycle()
    {
        final Housekeeping housekeeping = new Housekeeping(clock).every("broken", 0, 1, TimeUnit.SECONDS, () ->
        {
            throw new IllegalStateException("broken");
        });
        housekeeping.onStart();
        assertThrows(IllegalStateException.class, housekeeping::doWork);
        assertEquals(0, housekeeping.doWork(), "not retried before its interval");
        advanceSeconds(1);
        assertThrows(IllegalStateException.class, housekeeping::doWork);
    }

    @Test
    void aDutyCycleWithNothingDueAllocatesNothing()
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final Housekeeping housekeeping = new Housekeeping(clock)
            .every("sweep", 10, 10, TimeUnit.SECONDS, () -> ran.add("sweep"))
            .every("retention", 10, 10, TimeUnit.SECONDS, () -> ran.add("retention"));
        housekeeping.onStart();
        final long before = threads.getCurrentThreadAllocatedBytes();
        int work = 0;
        for (int i = 0; i < 100_000; i++)
        {
            work += housekeeping.doWork();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, work);
        // The shared thread cycles thousands of times a second: 32 bytes a cycle was most of the gateway's garbage.
        assertTrue(allocated < 1024, allocated + " bytes allocated by 100,000 duty cycles");
    }

    private void advanceSeconds(final long seconds)
    {
        clock.advance(TimeUnit.SECONDS.toNanos(seconds));
    }
}
