package io.ordergw.gateway.reliability;

import io.ordergw.gateway.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway ({@link Main}, as {@code ordergw} runs it) in a child JVM with the project's JVM flags, on a port
 * it picks and a data directory the test owns. Standard output and error are captured together, line by line, to
 * a file beside the data (so a test can read every byte the process logged), and {@link #kill()} is SIGKILL.
 */
final class GatewayProcess implements AutoCloseable
{
    private static final String LISTENING = "ordergw listening: ";
    private static final String JOURNAL_AT = " at SeqNum ";

    private final Process process;
    private final Thread pump;
    private final List<String> lines = new ArrayList<>();
    private final Path log;
    private String webSocketUrl;
    private long startSeqNum = -1;

    private GatewayProcess(final Process process, final Path log) throws IOException
    {
        this.process = process;
        this.log = log;
        final Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        this.pump = new Thread(() -> pump(logWriter), "gateway-child-output");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Settings that keep a test's gateway to itself: its own Aeron directory and small terms, and no UDP feed or
     * replay channel (no ports to clash with other tests on the machine).
     *
     * @param dir the test's directory.
     * @return HOCON lines.
     */
    static String isolatedFeed(final Path dir)
    {
        return "ordergw.aeron.dir = \"" + dir.toAbsolutePath().resolve("aeron") + "\"\n" +
            "ordergw.aeron.term-length = 256KiB\n" +
            "ordergw.publisher.udp-channel = \"\"\nordergw.publisher.replay-control-channel = \"\"\n";
    }

    /**
     * Start {@code ordergw --config <file> --data-dir <dir> --port 0 [args]} and wait until it listens.
     *
     * @param config  a HOCON file.
     * @param dataDir the data directory.
     * @param log     where the output goes (appended).
     * @param env     extra environment variables.
     * @param args    extra arguments (e.g. --demo).
     * @return the running gateway.
     * @throws Exception if it does not start within a minute.
     */
    static GatewayProcess start(
        final Path config, final Path dataDir, final Path log, final Map<String, String> env, final String... args)
        throws Exception
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
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("--config");
        command.add(config.toAbsolutePath().toString());
        command.add("--data-dir");
        command.add(dataDir.toAbsolutePath().toString());
        command.add("--port");
        command.add("0");
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        final GatewayProcess gateway = new GatewayProcess(builder.start(), log);
        try
        {
            gateway.awaitListening(60_000);
            return gateway;
        }
        catch (final Exception ex)
        {
            gateway.kill();
            throw ex;
        }
    }

    private void pump(final Writer logWriter)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer out = logWriter)
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (lines)
                {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        }
        catch (final IOException ignore)
        {
            // the child is gone
        }
        finally
        {
            synchronized (lines)
            {
                lines.notifyAll();
            }
        }
    }

    private void awaitListening(final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        int seen = 0;
        synchronized (lines)
        {
            while (webSocketUrl == null || startSeqNum < 0)
            {
                while (seen < lines.size())
                {
                    final String line = lines.get(seen++);
                    if (line.startsWith(LISTENING))
                    {
                        webSocketUrl = line.substring(LISTENING.length()).split("\\s+")[0];
                    }
                    final int at = line.indexOf(JOURNAL_AT);
                    if (line.startsWith("journal ") && at > 0)
                    {
                        startSeqNum = Long.parseLong(line.substring(at + JOURNAL_AT.length()).split("[;\\s]")[0]);
                    }
                }
                final long left = deadline - System.currentTimeMillis();
                if (left <= 0 || (!process.isAlive() && seen == lines.size() && !pump.isAlive()))
                {
                    throw new IllegalStateException("gateway did not start; output:\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(left, 100));
            }
        }
    }

    /**
     * The WebSocket URL it printed.
     *
     * @return ws://127.0.0.1:port/WSGateway.
     */
    String webSocketUrl()
    {
        return webSocketUrl;
    }

    /**
     * The address it listens on.
     *
     * @return host and port.
     */
    java.net.InetSocketAddress address()
    {
        final java.net.URI uri = java.net.URI.create(webSocketUrl);
        return new java.net.InetSocketAddress(uri.getHost(), uri.getPort());
    }

    /**
     * The SeqNum its journal recovered to, as it printed at start.
     *
     * @return SeqNum.
     */
    long startSeqNum()
    {
        return startSeqNum;
    }

    /**
     * Everything it printed so far.
     *
     * @return the lines.
     */
    List<String> output()
    {
        synchronized (lines)
        {
            return new ArrayList<>(lines);
        }
    }

    /**
     * The file its output goes to.
     *
     * @return the path.
     */
    Path log()
    {
        return log;
    }

    /**
     * SIGKILL, and wait until it is gone.
     *
     * @throws InterruptedException if interrupted.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        pump.join(5_000);
    }

    /**
     * SIGTERM (a clean stop: the shutdown hook closes the gateway), and wait.
     *
     * @return the exit code.
     * @throws InterruptedException if interrupted.
     */
    int stop() throws InterruptedException
    {
        // Through the handle: Process.destroy() also closes our end of its output, losing what shutdown prints.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(5_000);
        return process.exitValue();
    }

    /**
     * Stop with SIGTERM and check it went through the clean shutdown (the JVM exits 143 after its hooks ran, or 0).
     *
     * @param gateway the process.
     * @throws InterruptedException if interrupted.
     */
    static void assertStoppedCleanly(final GatewayProcess gateway) throws InterruptedException
    {
        final int exit = gateway.stop();
        if ((exit != 0 && exit != 143) || !gateway.output().contains("ordergw: stopping"))
        {
            throw new AssertionError("not a clean stop (exit " + exit + "); output:\n" +
                String.join("\n", gateway.output()));
        }
    }

    /**
     * Whether it is running.
     *
     * @return true if alive.
     */
    boolean isAlive()
    {
        return process.isAlive();
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                kill();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
