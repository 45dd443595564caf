package io.ordergw.feed.client;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tail-feed}: subscribe to a running gateway's UDP feed and print each event as one line, optionally from a
 * SeqNum (replayed from the journal, then live), until Ctrl-C (or {@code --count} events). It is also the smallest
 * complete use of {@link FeedSubscriber}.
 * <pre>
 * java -cp ordergw-feed-client.jar:ordergw-codec.jar:agrona.jar:aeron-client.jar:aeron-driver.jar \
 *     io.ordergw.feed.client.TailFeed --embedded-driver \
 *     --channel 'aeron:udp?control=127.0.0.1:40456|control-mode=dynamic|fc=max' --stream 1002 \
 *     --replay-control-channel 'aeron:udp?endpoint=127.0.0.1:40457' --from 1
 * </pre>
 * The channels are the ones the gateway prints at start ({@code "feed: ...; UDP <channel> stream <id>; replay
 * requests <channel> stream <id>"}). Output: one {@code event ...} line per event (the SBE decoder's text), then
 * {@code tail-feed: stopped at SeqNum N} when it stops; errors go to stderr. Exit codes: 0 stopped, 2 bad arguments.
 */
public final class TailFeed
{
    /** Exit code for bad arguments. */
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: tail-feed --channel <udp feed channel> --replay-control-channel <channel> [options]",
        "  --channel C                 the gateway's UDP feed channel, as it printed at start (required)",
        "  --stream N                  its stream id (default 1002)",
        "  --replay-control-channel C  the replay requests' channel, as printed at start (required)",
        "  --replay-control-stream N   its stream id (default 1003)",
        "  --replay-stream N           the stream replays are received on (default 1004)",
        "  --from N                    the first SeqNum wanted (replayed from the journal); default: live only",
        "  --account N                 only this account's events; default all",
        "  --local-host H              this host's address as the gateway reaches it (default 127.0.0.1)",
        "  --aeron-dir D               the media driver to use (default Aeron's default directory)",
        "  --embedded-driver           start a media driver of its own instead (needs aeron-driver on the class path)",
        "  --count N                   stop after N events (default: until Ctrl-C)");

    private TailFeed()
    {
    }

    /**
     * Run until Ctrl-C and exit.
     *
     * @param args see {@link #run(String[], PrintStream, PrintStream, Stop)}.
     */
    public static void main(final String[] args)
    {
        final int exitCode = runUntilSignalled(args);
        if (0 != exitCode)
        {
            System.exit(exitCode);
        }
    }

    /**
     * Run on {@code System.out} and {@code System.err} until Ctrl-C (or SIGTERM), which ends the loop and closes
     * the subscriber, the Aeron client and the embedded driver before the JVM goes.
     *
     * @param args see {@link #run(String[], PrintStream, PrintStream, Stop)}.
     * @return the exit code.
     */
    public static int runUntilSignalled(final String[] args)
    {
        final Stop stop = new Stop();
        final CountDownLatch closed = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.stop();
            awaitQuietly(closed);
        }, "tail-feed-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return run(args, System.out, System.err, stop);
        }
        finally
        {
            closed.countDown();
        }
    }

    /**
     * Subscribe and print until stopped.
     *
     * @param args the arguments (see the class comment and {@code --help}).
     * @param out  where events go, one line each.
     * @param err  where usage and faults go.
     * @param stop ends the loop.
     * @return the exit code: 0 when stopped, {@link #EXIT_USAGE} for bad arguments.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err, final Stop stop)
    {
        final Map<String, String> options;
        final FeedSubscriber.Context context;
        final long count;
        try
        {
            options = parse(args);
            if (options.containsKey("help"))
            {
                out.println(USAGE);
                return 0;
            }
            context = FeedSubscriber.Context.udp(
                required(options, "channel"),
                intOption(options, "stream", 1002),
                required(options, "replay-control-channel"),
                intOption(options, "replay-control-stream", 1003),
                intOption(options, "replay-stream", 1004),
                options.getOrDefault("local-host", "127.0.0.1"))
                .fromSeqNum(longOption(options, "from", FeedSubscriber.FROM_LIVE))
                .accountId(intOption(options, "account", FeedSubscriber.ALL_ACCOUNTS));
            count = longOption(options, "count", Long.MAX_VALUE);
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            err.println("tail-feed: " + ex.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }

        AutoCloseable driver = null;
        Aeron aeron = null;
        FeedSubscriber subscriber = null;
        try
        {
            final Aeron.Context aeronContext = new Aeron.Context();
            if (options.containsKey("embedded-driver"))
            {
                final EmbeddedDriver embedded = new EmbeddedDriver();
                driver = embedded;
                aeronContext.aeronDirectoryName(embedded.directoryName());
            }
            else if (options.containsKey("aeron-dir"))
            {
                aeronContext.aeronDirectoryName(options.get("aeron-dir"));
            }
            aeron = Aeron.connect(aeronContext);
            final Printer printer = new Printer(out, count, stop);
            subscriber = new FeedSubscriber(context.aeron(aeron).listener(printer)
                .errorHandler(ex -> err.println("tail-feed: " + ex)));
            err.println("tail-feed: subscribed to " + context.liveChannel() +
                (subscriber.isLive() ? ", live" : ", replaying from SeqNum " + (subscriber.lastSeqNum() + 1)));

            final IdleStrategy idle = new BackoffIdleStrategy();
            while (!stop.isStopped() && FeedSubscriber.State.UNAVAILABLE != subscriber.state())
            {
                idle.idle(subscriber.doWork());
            }
            out.println("tail-feed: stopped at SeqNum " + subscriber.lastSeqNum() + " (" +
                subscriber.eventsDelivered() + " events, " + subscriber.eventsReplayed() + " replayed, " +
                subscriber.gapsDetected() + " gaps)");
            out.flush();
            return 0;
        }
        finally
        {
            CloseHelper.closeAll(subscriber, aeron, driver);
        }
    }

    private static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            final String name = arg.substring(2);
            if ("embedded-driver".equals(name) || "help".equals(name))
            {
                options.put(name, "");
            }
            else if (USAGE.contains("--" + name + " "))
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                options.put(name, args[++i]);
            }
            else
            {
                throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        return options;
    }

    private static String required(final Map<String, String> options, final String name)
    {
        final String value = options.get(name);
        if (null == value || value.isEmpty())
        {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static int intOption(final Map<String, String> options, final String name, final int defaultValue)
    {
        final long value = longOption(options, name, defaultValue);
        if (value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "--" + name + " must be 1.." + Integer.MAX_VALUE + " (got " + value + ")");
        }
        return (int)value;
    }

    private static long longOption(final Map<String, String> options, final String name, final long defaultValue)
    {
        final String text = options.get(name);
        if (null == text)
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " must be a whole number (got \"" + text + "\")");
        }
        if (value < 1)
        {
            throw new IllegalArgumentException("--" + name + " must be 1 or more (got " + value + ")");
        }
        return value;
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends {@link #run}'s loop from another thread (a shutdown hook, a test).
     */
    public static final class Stop
    {
        private volatile boolean stopped;

        /**
         * Ask the loop to end; it closes the subscriber and returns.
         */
        public void stop()
        {
            stopped = true;
        }

        /**
         * Whether {@link #stop()} was called.
         *
         * @return true when stopped.
         */
        public boolean isStopped()
        {
            return stopped;
        }
    }

    private static final class Printer implements FeedListener
    {
        private final PrintStream out;
        private final long count;
        private final Stop stop;
        private final StringBuilder line = new StringBuilder(1024);
        private long printed;

        Printer(final PrintStream out, final long count, final Stop stop)
        {
            this.out = out;
            this.count = count;
            this.stop = stop;
        }

        @Override
        public void onEvent(
            final long seqNum,
            final OrderStateEventDecoder event,
            final DirectBuffer buffer,
            final int offset,
            final int length)
        {
            line.setLength(0);
            line.append("event ");
            event.appendTo(line);
            out.println(line);
            if (++printed >= count)
            {
                stop.stop();
            }
        }

        @Override
        public boolean onReplayUnavailable(final long fromSeqNum, final long oldestSeqNum)
        {
            // A tail is for looking: say what is gone and go on from what the journal still has.
            out.println("tail-feed: SeqNum " + fromSeqNum + ".." + (oldestSeqNum - 1) + " archived, from " +
                oldestSeqNum);
            return true;
        }
    }

    /**
     * A media driver of the tail's own, in a fresh directory deleted on close. In its own class so that
     * {@code aeron-driver} (optional for the client artifact) is loaded only when asked for.
     */
    private static final class EmbeddedDriver implements AutoCloseable
    {
        private final MediaDriver driver;

        EmbeddedDriver()
        {
            driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
        }

        String directoryName()
        {
            return driver.aeronDirectoryName();
        }

        @Override
        public void close()
        {
            driver.close();
        }
    }
}
