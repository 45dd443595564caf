package io.ordergw.bench.load;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: requests leave on a fixed schedule ({@link OpenLoopSchedule}), never waiting for
 * answers (pipelined, up to a bounded in-flight window), and each answer's latency is measured from its request's
 * intended send time into an HdrHistogram. One thread sends and reads, so the generator needs one core.
 * <p>
 * A run offers {@code rate x (warm-up + measure)} requests; answers to the warm-up part are not recorded. A request
 * that is due while the window is full, or while the transport cannot take it, leaves late and its latency says so
 * (both are counted). Sending stops a grace period after the schedule ends (the rest is counted as unsent), and
 * reading a drain period after that (the rest is unanswered): every run is bounded in time.
 * <p>
 * Waiting: with nothing in flight and the next request more than {@value #PARK_THRESHOLD_MICROS} us away it parks;
 * otherwise it spins ({@link Thread#onSpinWait()}). It never yields: on a machine whose cores other processes also
 * want, {@code Thread.yield()} hands the core to them for a whole scheduler slice (milliseconds), which would show as
 * latency of the system under test.
 */
public final class OpenLoopGenerator
{
    /** Gaps above this are slept through (parkNanos overshoots by tens of microseconds). */
    static final long PARK_THRESHOLD_MICROS = 200;
    /** Latencies are recorded up to an hour. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    /** How a run is shaped. */
    public static final class Settings
    {
        /** Requests per second. */
        public long rate;
        /** Unrecorded lead-in. */
        public long warmupNanos = TimeUnit.SECONDS.toNanos(1);
        /** Recorded part. */
        public long measureNanos = TimeUnit.SECONDS.toNanos(5);
        /** Requests in flight at most. */
        public int window = 8192;
        /** Sending goes on this long after the schedule's end. */
        public long sendGraceNanos = TimeUnit.SECONDS.toNanos(2);
        /** Reading goes on this long after sending stopped. */
        public long drainNanos = TimeUnit.SECONDS.toNanos(5);

        /**
         * Settings for a rate.
         *
         * @param rate requests per second.
         * @return settings.
         */
        public static Settings at(final long rate)
        {
            final Settings s = new Settings();
            s.rate = rate;
            return s;
        }
    }

    private final LoadTarget target;
    private OpenLoopSchedule schedule;
    private Histogram histogram;
    private long measureFrom;
    private long answered;
    private long measuredAnswers;
    private long errors;
    private long lastAnswerNanos;
    private final LoadTarget.ReplyHandler handler = this::onReply;

    /**
     * A generator for a target.
     *
     * @param target the system under test.
     */
    public OpenLoopGenerator(final LoadTarget target)
    {
        this.target = target;
    }

    /**
     * Run once at a rate.
     *
     * @param settings the run's shape.
     * @return what happened.
     */
    public RunResult run(final Settings settings)
    {
        final long rate = settings.rate;
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        schedule = new OpenLoopSchedule(start, rate);
        final long total = schedule.messagesIn(settings.warmupNanos + settings.measureNanos);
        measureFrom = schedule.messagesIn(settings.warmupNanos);
        histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        answered = 0;
        measuredAnswers = 0;
        errors = 0;
        lastAnswerNanos = start;
        target.startRun(total);

        final long sendDeadline = schedule.intendedSendTime(total) + settings.sendGraceNanos;
        final long drainDeadline = sendDeadline + settings.drainNanos;
        final int window = settings.window;
        long sent = 0;
        long windowFull = 0;
        long backPressured = 0;
        long lastStalled = -1;
        long now;
        while (true)
        {
            now = System.nanoTime();
            if (now - sendDeadline < 0)
            {
                while (sent < total && schedule.intendedSendTime(sent) - now <= 0)
                {
                    if (sent - answered >= window)
                    {
                        if (lastStalled != sent)
                        {
                            windowFull++;
                            lastStalled = sent;
                        }
                        break;
                    }
                    if (!target.send(sent))
                    {
                        if (lastStalled != sent)
                        {
                            backPressured++;
                            lastStalled = sent;
                        }
                        break;
                    }
                    sent++;
                }
                target.flush();
            }
            final int read = target.poll(handler);
            if ((sent == total && answered >= sent) || now - drainDeadline > 0 ||
                (sent < total && now - sendDeadline > 0 && answered >= sent))
            {
                break;
            }
            if (read == 0)
            {
                idle(sent < total ? schedule.intendedSendTime(sent) - System.nanoTime() : 0, sent - answered);
            }
        }

        final long measuredRequests = total - measureFrom;
        final long firstMeasured = schedule.intendedSendTime(measureFrom);
        final double seconds = Math.max(1, lastAnswerNanos - firstMeasured) / 1e9;
        return new RunResult(target.name(), rate, measuredAnswers / seconds, histogram, measuredRequests,
            measuredAnswers, sent, answered, errors, windowFull, backPressured, total - sent, sent - answered);
    }

    private static void idle(final long untilNextSendNanos, final long inFlight)
    {
        if (inFlight == 0 && untilNextSendNanos > TimeUnit.MICROSECONDS.toNanos(PARK_THRESHOLD_MICROS))
        {
            LockSupport.parkNanos(untilNextSendNanos - TimeUnit.MICROSECONDS.toNanos(PARK_THRESHOLD_MICROS / 2));
        }
        else
        {
            Thread.onSpinWait();
        }
    }

    private void onReply(final long k, final boolean ok, final long receivedNanos)
    {
        answered++;
        if (!ok)
        {
            errors++;
        }
        if (k >= measureFrom)
        {
            final long latency = receivedNanos - schedule.intendedSendTime(k);
            histogram.recordValue(Math.max(0, Math.min(latency, HIGHEST_TRACKABLE_NANOS)));
            measuredAnswers++;
            lastAnswerNanos = receivedNanos;
        }
    }
}
