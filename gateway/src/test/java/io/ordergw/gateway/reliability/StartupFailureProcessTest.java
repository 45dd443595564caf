package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.Main;
import io.ordergw.gateway.OrderGateway;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.feed.EmbeddedDriver;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code ordergw} command in a child JVM, as an operator runs it: a start that cannot succeed prints exactly
 * one line on stderr naming the setting or resource, and exits non-zero; one that can, from a relative
 * {@code --config} in the child's own working directory, starts.
 */
@SystemTest
class StartupFailureProcessTest
{
    private static final long TIMEOUT_S = 60;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aLockedDataDirIsOneLineOnStderrAndExitOne() throws Exception
    {
        final Path dataDir = dir.resolve("data");
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dataDir + "\"\n" +
            "ordergw.gateway.port = 0\n");
        try (OrderGateway holder = OrderGateway.launch(config, UserDirectory.demo(GatewayHarness.PASSWORD, 1)))
        {
            final Run run = Run.of(dir, "--port", "0", "--data-dir", dataDir.toString());
            assertEquals(1, run.exitCode, run.toString());
            assertEquals(List.of("ordergw: cannot start: ordergw.data-dir: " + dataDir.toRealPath() +
                " is in use by another gateway (pid " + ProcessHandle.current().pid() + ")"), run.stderr,
                run.toString());
            assertTrue(holder.engine().agent().counters().journalSeqNum.get() >= 0);
        }
    }

    @Test
    @Timeout(120)
    void aTakenUdpControlPortIsOneLineNamingTheSetting() throws Exception
    {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            Files.writeString(dir.resolve("udp.conf"), "ordergw.publisher.udp-channel = " +
                "\"aeron:udp?control=127.0.0.1:" + taken.getLocalPort() + "|control-mode=dynamic|fc=max\"\n");
            final Run run = Run.of(dir, "--config", "udp.conf", "--port", "0", "--data-dir", "data");
            assertEquals(1, run.exitCode, run.toString());
            assertEquals(1, run.stderr.size(), run.toString());
            assertTrue(run.stderr.get(0).startsWith("ordergw: cannot start: ordergw.publisher.udp-channel: " +
                "UDP 127.0.0.1:" + taken.getLocalPort() + " (control) cannot be bound"), run.toString());
        }
    }

    @Test
    @Timeout(120)
    void badUsersAreOneLineAndExitTwoBeforeTheJournalOpens() throws Exception
    {
        Files.writeString(dir.resolve("users.conf"), "ordergw.gateway.users.alice { user-id = 5, " +
            "password-hash = \"plain\", permissions = [Admin], accounts = [1] }\n");
        final Run run = Run.of(dir, "--config", "users.conf", "--port", "0", "--data-dir", "data");
        assertEquals(2, run.exitCode, run.toString());
        assertEquals(1, run.stderr.size(), run.toString());
        assertTrue(run.stderr.get(0).startsWith("ordergw: bad setting: ordergw.gateway.users.alice."), run.toString());
        assertFalse(Files.exists(dir.resolve("data").resolve("journal").resolve("metadata.cq4t")), "journal opened");
    }

    @Test
    @Timeout(120)
    void aPortInUseIsOneLineNamingTheSetting() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final Run run = Run.of(dir, "--port", String.valueOf(taken.getLocalPort()), "--data-dir", "data");
            assertEquals(1, run.exitCode, run.toString());
            assertEquals(1, run.stderr.size(), run.toString());
            assertTrue(run.stderr.get(0).startsWith("ordergw: cannot start: ordergw.gateway.port: 127.0.0.1:" +
                taken.getLocalPort() + " cannot be bound"), run.toString());
        }
    }

    @Test
    @Timeout(180)
    void aRelativeConfigIsReadFromTheWorkingDirectoryAndAKilledGatewayRestartsOnItsDefaults() throws Exception
    {
        // Default settings apart from the data dir (relative, in the file) and the port: the feed's UDP ports, the
        // driver directory (named from the data dir) and the lock all come from the defaults.
        Files.writeString(dir.resolve("gateway.conf"), "ordergw.data-dir = \"relative-data\"\n");
        final Path log = dir.resolve("child.log");
        final Process first = Run.start(dir, log, "--config", "gateway.conf", "--port", "0");
        try
        {
            Run.awaitLine(first, log, "journal " + dir.resolve("relative-data").resolve("journal").toAbsolutePath());
            assertTrue(Files.exists(dir.resolve("relative-data").resolve("ordergw.lock")));
            first.destroyForcibly(); // SIGKILL: the lock dies with it, the driver directory stays behind
            assertTrue(first.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
        }
        finally
        {
            first.destroyForcibly();
        }
        final Path again = dir.resolve("again.log");
        final Process second = Run.start(dir, again, "--config", "gateway.conf", "--port", "0");
        try
        {
            // The killed driver's heartbeat is still young: it is told from a live one and the directory reused.
            Run.awaitLine(second, again, "ordergw listening: ");
            second.toHandle().destroy();
            assertTrue(second.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
            assertEquals(143, second.exitValue(), Files.readString(again));
        }
        finally
        {
            second.destroyForcibly();
            second.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
            // Had the test failed between the kill and the clean stop, the killed driver's directory would stay.
            IoUtil.delete(new File(EmbeddedDriver.directoryName(OrderGwConfig.parse(
                "ordergw.data-dir = \"" + dir.resolve("relative-data") + "\"\n"))), true);
        }
    }

    /** One run of {@code ordergw} to its end, with stdout and stderr apart. */
    private static final class Run
    {
        final int exitCode;
        final List<String> stdout;
        final List<String> stderr;

        private Run(final int exitCode, final List<String> stdout, final List<String> stderr)
        {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Run of(final Path workingDir, final String... args) throws Exception
        {
            final Path out = Files.createTempFile(workingDir, "stdout", ".txt");
            final Path err = Files.createTempFile(workingDir, "stderr", ".txt");
            final Process process = builder(workingDir, args)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("ordergw did not exit within " + TIMEOUT_S + " s; stderr:\n" +
                    Files.readString(err));
            }
            return new Run(process.exitValue(), lines(out), lines(err));
        }

        static Process start(final Path workingDir, final Path log, final String... args) throws Exception
        {
            return builder(workingDir, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        static void awaitLine(final Process process, final Path log, final String prefix) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (System.nanoTime() < deadline)
            {
                for (final String line : lines(log))
                {
                    if (line.startsWith(prefix))
                    {
                        return;
                    }
                }
                if (!process.isAlive())
                {
                    break;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no line starting with " + prefix + "; output:\n" + Files.readString(log));
        }

        private static ProcessBuilder builder(final Path workingDir, final String... args)
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
            // Absolute entries: the child runs in another working directory.
            final List<String> classPath = new ArrayList<>();
            for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            {
                classPath.add(Paths.get(entry).toAbsolutePath().toString());
            }
            command.add(String.join(File.pathSeparator, classPath));
            command.add(Main.class.getName());
            command.addAll(List.of(args));
            return new ProcessBuilder(command).directory(workingDir.toFile());
        }

        private static List<String> lines(final Path file) throws Exception
        {
            final List<String> lines = new ArrayList<>();
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
            {
                if (!line.isEmpty())
                {
                    lines.add(line);
                }
            }
            return lines;
        }

        @Override
        public String toString()
        {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" +
                String.join("\n", stderr);
        }
    }
}
