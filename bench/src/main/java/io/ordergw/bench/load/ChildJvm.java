package io.ordergw.bench.load;

import io.ordergw.bench.JvmFlags;

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
 * A server under test in a JVM of its own, started with this JVM's class path and the project's JVM flags, so that
 * the load generator's garbage and JIT never pause it. The child prints {@link #READY} and its URL when it listens
 * ({@link #announce}) and runs until its standard input closes ({@link #awaitParentGone}); {@link #close} closes
 * that input and waits for a clean stop. The generator's own {@code -Dordergw.*} system properties are passed on, so
 * that a setting tried on the load generator's command line (e.g. {@code -Dordergw.gateway.idle-strategy=...})
 * reaches the server under test.
 */
final class ChildJvm implements AutoCloseable
{
    static final String READY = "ORDERGW_BENCH_READY ";

    private final Process process;
    private final URI url;

    private ChildJvm(final Process process, final URI url)
    {
        this.process = process;
        this.url = url;
    }

    /**
     * Start a child and wait until it listens.
     *
     * @param main the child's main class.
     * @param log  where its standard error goes (appended).
     * @param args its arguments.
     * @return the running child.
     * @throws IOException if it does not announce its URL within a minute.
     */
    static ChildJvm start(final Class<?> main, final File log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.flags());
        System.getProperties().stringPropertyNames().stream()
            .filter(name -> name.startsWith("ordergw."))
            .sorted()
            .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
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
                final Thread drain = new Thread(() -> drain(out), main.getSimpleName() + "-stdout");
                drain.setDaemon(true);
                drain.start();
                return new ChildJvm(process, url);
            }
            if (System.nanoTime() > deadline)
            {
                break;
            }
        }
        process.destroyForcibly();
        throw new IOException("the " + main.getSimpleName() + " process did not start; see " + log);
    }

    /**
     * In the child: tell the parent where it listens.
     *
     * @param url the URL.
     */
    static void announce(final String url)
    {
        System.out.println(READY + url);
        System.out.flush();
    }

    /**
     * In the child: block until the parent closes our standard input (or dies).
     *
     * @throws IOException if reading fails.
     */
    static void awaitParentGone() throws IOException
    {
        while (System.in.read() >= 0)
        {
            // nothing is sent: end of input is the signal
        }
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
     * The URL the child announced.
     *
     * @return the URL.
     */
    URI url()
    {
        return url;
    }

    /**
     * The process id, for profilers.
     *
     * @return the pid.
     */
    long pid()
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
