package io.ordergw.gateway;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private void advanceSeconds(final long seconds)
    {
        clock.advance(TimeUnit.SECONDS.toNanos(seconds));
    }
}
