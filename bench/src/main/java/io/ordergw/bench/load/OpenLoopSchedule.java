package io.ordergw.bench.load;

/**
 * When each message of an open-loop run is meant to be sent: message {@code k} at {@code start + k / rate}, whatever
 * happened to the messages before it. Latency is measured from this intended time, not from when the message
 * actually left: a stall of the system under test then shows in the latency of every message it delayed (the
 * coordinated-omission correction), instead of quietly lowering the offered rate.
 */
public final class OpenLoopSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    private final long ratePerSecond;

    /**
     * A schedule.
     *
     * @param startNanos    intended send time of message 0 ({@link System#nanoTime()} base).
     * @param ratePerSecond messages per second (> 0).
     */
    public OpenLoopSchedule(final long startNanos, final long ratePerSecond)
    {
        if (ratePerSecond <= 0)
        {
            throw new IllegalArgumentException("rate must be > 0: " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * The intended send time of message {@code k}: exact (no accumulated rounding), no overflow for any run length.
     *
     * @param k the message's number, from 0.
     * @return nanoTime at which it is due.
     */
    public long intendedSendTime(final long k)
    {
        return startNanos + (k / ratePerSecond) * NANOS_PER_SECOND +
            ((k % ratePerSecond) * NANOS_PER_SECOND) / ratePerSecond;
    }

    /**
     * How many messages are due by a time: those whose intended time is at or before it.
     *
     * @param nowNanos the time.
     * @return the count (0 before the start).
     */
    public long dueBy(final long nowNanos)
    {
        if (nowNanos < startNanos)
        {
            return 0;
        }
        final long elapsed = nowNanos - startNanos;
        final long seconds = elapsed / NANOS_PER_SECOND;
        final long rest = elapsed % NANOS_PER_SECOND;
        // Within a second, message j is due iff floor(j * 1e9 / rate) <= rest, i.e. j * 1e9 < (rest + 1) * rate:
        // ceil((rest + 1) * rate / 1e9) messages.
        return seconds * ratePerSecond + ((rest + 1) * ratePerSecond + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    /**
     * Messages in a run of a duration.
     *
     * @param durationNanos the duration.
     * @return rate x duration.
     */
    public long messagesIn(final long durationNanos)
    {
        return (durationNanos / NANOS_PER_SECOND) * ratePerSecond +
            ((durationNanos % NANOS_PER_SECOND) * ratePerSecond) / NANOS_PER_SECOND;
    }

    /**
     * The start.
     *
     * @return nanoTime of message 0.
     */
    public long startNanos()
    {
        return startNanos;
    }

    /**
     * The rate.
     *
     * @return messages per second.
     */
    public long ratePerSecond()
    {
        return ratePerSecond;
    }
}
