package io.ordergw.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest
{
    @Test
    void shouldSpaceMessagesByTheRateFromTheStart()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 4);
        assertEquals(1_000, schedule.intendedSendTime(0));
        assertEquals(1_000 + 250_000_000L, schedule.intendedSendTime(1));
        assertEquals(1_000 + 750_000_000L, schedule.intendedSendTime(3));
        assertEquals(1_000 + 1_000_000_000L, schedule.intendedSendTime(4));
        assertEquals(1_000 + 2_500_000_000L, schedule.intendedSendTime(10));
    }

    @Test
    void shouldNotAccumulateRoundingOverALongRun()
    {
        // 1/3 of a second is not a whole number of nanoseconds: message 3k must still be exactly k seconds in.
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3);
        assertEquals(333_333_333L, schedule.intendedSendTime(1));
        assertEquals(666_666_666L, schedule.intendedSendTime(2));
        assertEquals(1_000_000_000L * 1_000_000, schedule.intendedSendTime(3_000_000));
    }

    @Test
    void shouldNotOverflowAtHighRatesAndLongRuns()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 10_000_000);
        final long oneDay = 86_400L * 10_000_000;
        assertEquals(86_400L * 1_000_000_000L, schedule.intendedSendTime(oneDay));
        assertEquals(86_400L * 1_000_000_000L + 100, schedule.intendedSendTime(oneDay + 1));
    }

    @Test
    void shouldBeNonDecreasing()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(42, 7_919);
        long previous = Long.MIN_VALUE;
        for (long k = 0; k < 100_000; k++)
        {
            final long t = schedule.intendedSendTime(k);
            assertTrue(t >= previous);
            previous = t;
        }
    }

    @Test
    void shouldCountMessagesDueByATimeConsistentlyWithTheirIntendedTimes()
    {
        final OpenLoopSchedule schedule = new OpenLoopSchedule(500, 7_919);
        assertEquals(0, schedule.dueBy(499));
        for (long k = 0; k < 50_000; k += 37)
        {
            final long t = schedule.intendedSendTime(k);
            assertEquals(k + 1, schedule.dueBy(t), "due at message " + k + "'s own time");
            if (schedule.intendedSendTime(k + 1) > t)
            {
                assertEquals(k + 1, schedule.dueBy(schedule.intendedSendTime(k + 1) - 1));
            }
        }
    }

    @Test
    void shouldSizeARunByItsDuration()
    {
        assertEquals(500_000, new OpenLoopSchedule(0, 100_000).messagesIn(5_000_000_000L));
        assertEquals(50_000, new OpenLoopSchedule(0, 100_000).messagesIn(500_000_000L));
        assertEquals(1, new OpenLoopSchedule(0, 3).messagesIn(333_333_334L));
    }

    @Test
    void shouldRefuseANonPositiveRate()
    {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 0));
    }
}
