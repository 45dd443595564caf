package io.ordergw.gateway;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.ordergw.engine.publish.EventFeed;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The feed's agent, with the supervision that rebuilds it as a slow tick on the same thread. A media driver that
 * restarts, or pauses past Aeron's driver time-out, closes the Aeron client, and with it the feed. The engine does
 * not notice (it only journals); once a second this agent checks the client and, when it is closed and the driver
 * answers again, puts the feed back on a new client: a new publisher from the journal's end, and the router's
 * subscriber from the last event it routed (through {@code onReconnect}), which replays the gap. Because the old
 * feed is closed and the new one started by the thread that runs them, no other thread ever touches a feed's agent.
 */
final class SupervisedFeed implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedFeed.class);
    private static final long CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    /** How long ago the driver's last heartbeat may be for it to count as running (Aeron's default time-out). */
    private static final long DRIVER_TIMEOUT_MS = 10_000;

    private final String aeronDirectoryName;
    private final Supplier<Aeron> connect;
    private final Function<Aeron, EventFeed> openFeed;
    private final Runnable onReconnect;
    private final NanoClock clock;
    private volatile Aeron aeron;
    private volatile EventFeed feed;
    private long nextCheckNs;

    /**
     * The first feed, already open (not started: this agent starts it on its thread).
     *
     * @param aeronDirectoryName where the media driver is, to see whether it answers before connecting.
     * @param aeron              the client the first feed uses.
     * @param feed               the first feed.
     * @param connect            makes a new client.
     * @param openFeed           opens a feed on a new client, from the event after the journal's last.
     * @param onReconnect        called on this thread after a rebuild (the router resubscribes; a counter counts).
     * @param clock              the clock of the checks.
     */
    SupervisedFeed(
        final String aeronDirectoryName,
        final Aeron aeron,
        final EventFeed feed,
        final Supplier<Aeron> connect,
        final Function<Aeron, EventFeed> openFeed,
        final Runnable onReconnect,
        final NanoClock clock)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        this.aeron = aeron;
        this.feed = feed;
        this.connect = connect;
        this.openFeed = openFeed;
        this.onReconnect = onReconnect;
        this.clock = clock;
    }

    @Override
    public String roleName()
    {
        return "ordergw-feed";
    }

    @Override
    public void onStart()
    {
        nextCheckNs = clock.nanoTime() + CHECK_INTERVAL_NS;
        feed.agent().onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        int work = 0;
        if (!aeron.isClosed())
        {
            work += feed.agent().doWork();
        }
        final long now = clock.nanoTime();
        if (now - nextCheckNs >= 0)
        {
            nextCheckNs = now + CHECK_INTERVAL_NS;
            work += supervise();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        feed.agent().onClose();
    }

    /**
     * The feed now (a new one after each rebuild). Safe from any thread.
     *
     * @return the feed.
     */
    EventFeed feed()
    {
        return feed;
    }

    /**
     * The Aeron client the feed uses now. Safe from any thread.
     *
     * @return the client.
     */
    Aeron aeron()
    {
        return aeron;
    }

    private int supervise()
    {
        if (!aeron.isClosed())
        {
            return 0;
        }
        // Connecting waits for a driver that is not there: look at its heartbeat first so that the thread (shared with
        // the router in SHARED) is never held while the driver is down.
        if (!CommonContext.isDriverActive(new File(aeronDirectoryName), DRIVER_TIMEOUT_MS, SupervisedFeed::ignore))
        {
            return 0;
        }
        final Aeron fresh;
        try
        {
            fresh = connect.get();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("media driver not reachable yet: {}", ex.getMessage());
            return 0;
        }
        final EventFeed old = feed;
        try
        {
            old.close();
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("the feed of the closed Aeron client did not close cleanly: {}", ex.toString());
        }
        final EventFeed next;
        try
        {
            next = openFeed.apply(fresh);
        }
        catch (final RuntimeException ex)
        {
            fresh.close();
            throw ex; // counted by the runner; the next check tries again with the old, closed, client
        }
        next.agent().onStart();
        aeron = fresh;
        feed = next;
        onReconnect.run();
        LOG.info("feed reconnected to the media driver at {}", fresh.context().aeronDirectoryName());
        return 1;
    }

    private static void ignore(final String message)
    {
        // isDriverActive explains itself to a logger; the heartbeat's answer is all this needs.
    }
}
