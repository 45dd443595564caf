package io.ordergw.gateway.feed;

import io.ordergw.gateway.SystemTest;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.feed.client.TailFeed;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.OrderGateway;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tail-feed} against a running gateway's UDP feed, in a child JVM whose class path holds only the feed client
 * and what its artifact pulls (codec, Agrona, the Aeron client; the Aeron driver for its embedded driver): it replays
 * from a SeqNum, goes live, prints each event once as a line, and stops cleanly on@SystemTest
 SIGTERM (the path Ctrl-C takes).
 */
class TailFeedTest
{
    private static final Pattern SEQ_NUM = Pattern.compile("[:|]seqNum=(\\d+)\\|");

    @TempDir
    Path dir;

    private GatewayHarness harness;
    private Process tail;

    @AfterEach
    void stop()
    {
        if (tail != null)
        {
            tail.destroyForcibly();
        }
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    @Timeout(120)
    void printsTheReplayedAndTheLiveEventsOnceEachAndStopsCleanly() throws Exception
    {
        harness = new GatewayHarness(dir, udpFeed());
        final OrderGateway gateway = harness.gateway;
        final List<Long> sent = new ArrayList<>();
        try (ApexClient operator = harness.login("operator"))
        {
            for (int i = 0; i < 3; i++)
            {
                sent.add(sendAcked(operator, order(50_000 + i)));
            }

            final ProcessBuilder builder = new ProcessBuilder(childCommand(
                "--embedded-driver",
                "--channel", gateway.udpChannel(),
                "--stream", Integer.toString(gateway.config().publisher.udpStreamId),
                "--replay-control-channel", gateway.replayControlChannel(),
                "--replay-control-stream", Integer.toString(gateway.config().publisher.replayControlStreamId),
                "--replay-stream", Integer.toString(gateway.config().publisher.replayStreamId),
                "--from", Long.toString(sent.get(0))));
            // To a file, not a pipe: the last lines a process writes as it exits can be lost from a pipe being read.
            final Path log = dir.resolve("tail-feed.log");
            builder.redirectErrorStream(true);
            builder.redirectOutput(log.toFile());
            tail = builder.start();
            final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            final Process process = tail;
            final Thread reader = new Thread(() -> readLines(log, lines, process), "tail-feed-output");
            reader.setDaemon(true);
            reader.start();

            final List<Long> printed = new ArrayList<>();
            awaitEvents(lines, printed, 3);
            for (int i = 3; i < 6; i++)
            {
                sent.add(sendAcked(operator, order(50_000 + i)));
            }
            awaitEvents(lines, printed, 6);
            assertEquals(sent, printed, "the replayed then the live events, each once, in SeqNum order");

            tail.destroy();
            assertTrue(tail.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
            final String last = awaitLine(lines, "tail-feed: stopped at SeqNum ");
            assertTrue(last.startsWith("tail-feed: stopped at SeqNum " + sent.get(5) + " (6 events"), last);
        }
    }

    @Test
    @Timeout(30)
    void refusesAMissingChannelWithUsage()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = TailFeed.run(new String[]{"--stream", "1002"}, System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8), new TailFeed.Stop());
        assertEquals(TailFeed.EXIT_USAGE, exitCode);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tail-feed: --channel is required"), err.toString());
    }

    private static String udpFeed()
    {
        return "ordergw.publisher.udp-channel = \"aeron:udp?control=127.0.0.1:0|control-mode=dynamic|fc=max\"\n" +
            "ordergw.publisher.replay-control-channel = \"aeron:udp?endpoint=127.0.0.1:0\"\n";
    }

    private static List<String> childCommand(final String... args) throws URISyntaxException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : System.getProperty("child.jvm.flags", "").trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        // Only the client and its artifact's dependencies: a gateway or engine class would fail to load.
        command.add("-cp");
        command.add(String.join(File.pathSeparator, locationOf(TailFeed.class), locationOf(
            OrderStateEventDecoder.class), locationOf(DirectBuffer.class), locationOf(Aeron.class),
            locationOf(MediaDriver.class)));
        command.add(TailFeed.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static String locationOf(final Class<?> type) throws URISyntaxException
    {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void readLines(final Path file, final BlockingQueue<String> lines, final Process process)
    {
        try
        {
            int done = 0;
            final StringBuilder pending = new StringBuilder();
            boolean alive = true;
            while (alive)
            {
                alive = process.isAlive();
                final byte[] bytes = Files.readAllBytes(file);
                pending.append(new String(bytes, done, bytes.length - done, StandardCharsets.UTF_8));
                done = bytes.length;
                int end;
                while ((end = pending.indexOf("\n")) >= 0)
                {
                    lines.add(pending.substring(0, end));
                    pending.delete(0, end + 1);
                }
                Thread.sleep(20);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // The test is over (or the file is gone): it sees the lines read so far.
        }
    }

    private static void awaitEvents(final BlockingQueue<String> lines, final List<Long> printed, final int total)
        throws InterruptedException
    {
        while (printed.size() < total)
        {
            final String line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "an event line within 30 s; got " + printed);
            if (line.startsWith("event "))
            {
                final Matcher matcher = SEQ_NUM.matcher(line);
                assertTrue(matcher.find(), line);
                printed.add(Long.parseLong(matcher.group(1)));
            }
        }
    }

    private static String awaitLine(final BlockingQueue<String> lines, final String prefix)
        throws InterruptedException
    {
        final List<String> seen = new ArrayList<>();
        while (true)
        {
            final String line = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(line, "a line starting \"" + prefix + "\" within 30 s; got " + seen);
            seen.add(line);
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }
}
