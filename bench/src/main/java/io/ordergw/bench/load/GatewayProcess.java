package io.ordergw.bench.load;

import io.ordergw.bench.BenchConfig;
import io.ordergw.bench.BenchDirs;
import io.ordergw.bench.JvmFlags;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.OrderGateway;
import io.ordergw.gateway.auth.UserDirectory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway under test in a JVM of its own (so that the load generator's garbage and JIT never pause it): the whole
 * gateway ({@link OrderGateway}) on a free loopback port with the demo users, over a private journal and Aeron
 * directory, until its standard input closes. The parent side is {@link #start}.
 */
public final class GatewayProcess implements AutoCloseable
{
    static final String READY = "ORDERGW_BENCH_READY ";

    private final Process process;
    private final URI url;

    private GatewayProcess(final Process process, final URI url)
    {
        this.process = process;
        this.url = url;
    }

    /**
     * The child's main: start the gateway, print its URL, run until stdin closes, then stop cleanly and delete its
     * data.
     *
     * @param args password, engine idle strategy, terminal orders the book keeps.
     * @throws Exception if it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final String password = args[0];
        final String engineIdle = args.length > 1 ? args[1] : "backoff";
        final String retained = args.length > 2 ? "ordergw.book.max-retained-terminal-orders = " + args[2] + "\n" : "";
        final Path dataDir = BenchDirs.newDataDir("gateway");
        final OrderGwConfig config = BenchConfig.of(dataDir, BenchDirs.newAeronDir("gateway"), engineIdle, retained);
        final OrderGateway gateway = OrderGateway.launch(config, UserDirectory.demo(password, config.omsId));
        try
        {
            System.out.println(READY + gateway.webSocketUrl());
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // until the parent closes our stdin (or dies)
            }
        }
        finally
        {
            gateway.close();
            BenchDirs.deleteRecursively(dataDir);
        }
    }

    /**
     * Start a gateway process with the same class path and JVM flags as this one.
     *
     * @param password   the demo users' password.
     * @param engineIdle the engine's idle strategy.
     * @param retained   terminal orders the book keeps ({@code ordergw.book.max-retained-terminal-orders}).
     * @param log        where its output goes.
     * @return the running gateway.
     * @throws IOException if it does not come up within a minute.
     */
    public static GatewayProcess start(
        final String password, final String engineIdle, final int retained, final File log)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.flags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GatewayProcess.class.getName());
        command.add(password);
        command.add(engineIdle);
        command.add(Integer.toString(retained));
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log))
            .start();
        final BufferedReader out =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        String line;
        while ((line = out.readLine()) != null)
        {
            if (line.startsWith(READY))
            {
                final URI url = URI.create(line.substring(READY.length()).trim());
                final Thread drain = new Thread(() -> drain(out), "gateway-stdout");
                drain.setDaemon(true);
                drain.start();
                return new GatewayProcess(process, url);
            }
            if (System.nanoTime() > deadline)
            {
                break;
            }
        }
        process.destroyForcibly();
        throw new IOException("the gateway process did not start; see " + log);
    }

    private static void drain(final BufferedReader out)
    {
        try
        {
            while (out.readLine() != null)
            {
                // discard
            }
        }
        catch (final IOException ignore)
        {
            // the process ended
        }
    }

    /**
     * The gateway's WebSocket URL.
     *
     * @return ws://127.0.0.1:port/WSGateway.
     */
    public URI url()
    {
        return url;
    }

    /**
     * The process id, for profilers.
     *
     * @return the pid.
     */
    public long pid()
    {
        return process.pid();
    }

    /** Stop it: close its stdin, wait for a clean stop, force it after 30 s. */
    @Override
    public void close()
    {
        try
        {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            process.destroyForcibly();
        }
    }
}
