package io.ordergw.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class from the test class path with the project's JVM flags, whose standard output is
 * read line by line. For crash tests: {@link #kill()} sends SIGKILL.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(final Process process)
    {
        this.process = process;
        this.reader = new Thread(this::pump, "child-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Start a main class.
     *
     * @param mainClass the class.
     * @param args      its arguments.
     * @return the child.
     * @throws IOException if it cannot start.
     */
    public static ChildJvm start(final Class<?> mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("child.jvm.flags", "");
        for (final String flag : flags.trim().split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(builder.start());
    }

    private void pump()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // the child died
        }
        lines.add("<eof>");
    }

    /**
     * The next line the child printed.
     *
     * @param timeoutMs how long to wait.
     * @return the line, "<eof>" once the child's output ended, or null on time-out.
     * @throws InterruptedException if interrupted.
     */
    public String nextLine(final long timeoutMs) throws InterruptedException
    {
        return lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Wait for a line starting with a prefix, skipping others.
     *
     * @param prefix    the prefix.
     * @param timeoutMs how long to wait in all.
     * @return the line.
     * @throws InterruptedException if interrupted.
     */
    public String await(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final String line = nextLine(Math.max(1, deadline - System.currentTimeMillis()));
            if (line == null || line.equals("<eof>"))
            {
                break;
            }
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        throw new IllegalStateException("child did not print \"" + prefix + "\" within " + timeoutMs + " ms");
    }

    /**
     * SIGKILL the child and wait for it to be gone.
     *
     * @throws InterruptedException if interrupted.
     */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Wait for the child to exit.
     *
     * @param timeoutMs how long.
     * @return its exit code.
     * @throws InterruptedException if interrupted.
     */
    public int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("child did not exit within " + timeoutMs + " ms");
        }
        return process.exitValue();
    }

    /**
     * The child's process.
     *
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * A temporary directory path helper.
     *
     * @param dir the directory.
     * @return its absolute path text.
     */
    public static String arg(final Path dir)
    {
        return dir.toAbsolutePath().toString();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
        reader.join(5_000);
    }
}
