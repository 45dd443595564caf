package io.ordergw.gateway.dist;

import io.ordergw.gateway.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged distribution as an operator gets it, built by nothing here: {@code mvn package} made
 * {@code target/ordergw-<version>.tar.gz}; this unpacks it into a temp dir and starts {@code bin/ordergw} through a
 * symlink, with the shipped example config, a PATH that holds the java binary's directory and a few standard tools
 * and no Maven, a temp data dir and a free port. It must answer Ping over HTTP, log with timestamps (an audit line
 * for a failed login among them), and stop cleanly on SIGTERM, exiting 143 (or 0).
 */
@SystemTest
class DistributionIT
{
    private static final Pattern LISTENING = Pattern.compile("^ordergw listening: ws://([^:/]+):(\\d+)/WSGateway.*");
    private static final Pattern TIMED = Pattern.compile(
        "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR) .*");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theUnpackedTarballStartsWithoutMavenAnswersPingAndStopsCleanlyOnSigterm() throws Exception
    {
        final String version = System.getProperty("dist.version");
        final Path tarball = Paths.get(System.getProperty("dist.tarball", "target/missing.tar.gz"));
        assertTrue(Files.isRegularFile(tarball), "mvn package makes " + tarball);

        final Path unpacked = Files.createDirectories(dir.resolve("opt"));
        run(dir, "tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString());
        final Path home = unpacked.resolve("ordergw-" + version);
        try (Stream<Path> top = Files.list(unpacked))
        {
            assertEquals(List.of(home), top.toList(), "one top folder");
        }
        checkLayout(home);

        // Started through a symlink, from a working directory of its own: it must find its lib/ all the same.
        final Path links = Files.createDirectories(dir.resolve("links"));
        final Path launcher = Files.createSymbolicLink(links.resolve("ordergw"), home.resolve("bin/ordergw"));
        final Path work = Files.createDirectories(dir.resolve("work"));
        final Path tools = toolsWithoutMaven();
        final String javaBin = Paths.get(System.getProperty("java.home"), "bin").toString();
        final String path = javaBin + ":" + tools;
        for (final String entry : path.split(":"))
        {
            assertFalse(Files.exists(Paths.get(entry, "mvn")), "no mvn on the PATH: " + entry);
        }

        final ProcessBuilder builder = new ProcessBuilder(launcher.toString(),
            "--config", home.resolve("conf/ordergw.conf").toString(),
            "--data-dir", dir.resolve("data").toString(), "--port", "0")
            .directory(work.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", path);
        builder.environment().put("HOME", dir.toString());
        // A small heap for CI, its own Aeron directory and no UDP feed or replay channel (no fixed ports).
        builder.environment().put("ORDERGW_JAVA_OPTS", "-Xms64m -Xmx256m -XX:+UseSerialGC" +
            " -Dordergw.aeron.dir=" + dir.resolve("aeron") + " -Dordergw.aeron.term-length=256KiB" +
            " -Dordergw.publisher.udp-channel= -Dordergw.publisher.replay-control-channel=");

        final Process process = builder.start();
        final Lines stdout = new Lines(process.getInputStream(), "dist-stdout");
        final Lines stderr = new Lines(process.getErrorStream(), "dist-stderr");
        try
        {
            final Matcher listening = stdout.await(LISTENING, 90_000, process);
            final String base = "http://" + listening.group(1) + ":" + listening.group(2);
            // exec: the process started is the JVM itself, so SIGTERM goes straight to it.
            final String command = process.info().command().orElse("");
            assertTrue(command.endsWith("/java"), "bin/ordergw execs java, got " + command);

            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
            final HttpResponse<String> pong = http.send(HttpRequest.newBuilder(URI.create(base + "/AP/Ping"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, pong.statusCode(), pong.body());
            assertTrue(pong.body().contains("PONG"), pong.body());
            // The example config has no users: every login fails, and the audit log says so.
            http.send(HttpRequest.newBuilder(URI.create(base + "/AP/AuthenticateUser"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "nobody:not-a-password".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            stderr.await(Pattern.compile(".* ordergw\\.audit - login failed user=\\(unknown\\) method=password .*"),
                30_000, process);

            process.toHandle().destroy(); // SIGTERM
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped within 60 s of SIGTERM");
            stdout.join();
            stderr.join();
            final int exit = process.exitValue();
            assertTrue(exit == 143 || exit == 0, "exit code " + exit + "\n" + stderr.text());
            assertTrue(stdout.lines().contains("ordergw: stopping"), "the clean shutdown ran:\n" + stdout.text());
            for (final String line : stderr.lines())
            {
                assertTrue(TIMED.matcher(line).matches(), "a log line without its time: " + line);
                assertFalse(line.contains(" ERROR "), "an error was logged: " + line);
            }
            assertTrue(Files.isDirectory(dir.resolve("data/journal")), "the journal went to the data dir");
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void checkLayout(final Path home) throws IOException
    {
        final Path script = home.resolve("bin/ordergw");
        assertTrue(Files.getPosixFilePermissions(script).contains(PosixFilePermission.OWNER_EXECUTE), "bin/ordergw");
        assertFalse(Files.readString(script).contains("mvn"), "bin/ordergw never builds");
        try (Stream<Path> jars = Files.list(home.resolve("lib")))
        {
            final List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("ordergw-gateway-")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("logback-classic-")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("junit")), "no test jars: " + names);
        }
        final String options = Files.readString(home.resolve("conf/jvm.options"));
        assertFalse(options.contains("${"), "jvm.options is filled in:\n" + options);
        assertTrue(options.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), options);
        assertTrue(options.contains("-Dchronicle.analytics.disable=true"), options);
        assertTrue(options.lines().anyMatch("-Xmx1g"::equals), "a documented heap:\n" + options);
        final String jdk24 = Files.readString(home.resolve("conf/jvm-jdk24.options"));
        assertTrue(jdk24.contains("--sun-misc-unsafe-memory-access=allow"), jdk24);
        assertTrue(Files.isRegularFile(home.resolve("conf/logback.xml")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        final String unit = Files.readString(home.resolve("systemd/ordergw.service"));
        for (final String line : List.of("SuccessExitStatus=143", "User=ordergw", "WorkingDirectory=/var/lib/ordergw",
            "Restart=on-failure", "ExecStart=/opt/ordergw/bin/ordergw --config /etc/ordergw/ordergw.conf"))
        {
            assertTrue(unit.lines().anyMatch(line::equals), "ordergw.service has " + line);
        }
        assertTrue(unit.lines().anyMatch(l -> l.startsWith("LimitNOFILE=")), "ordergw.service has LimitNOFILE");
    }

    /** readlink, dirname, sed and head (what bin/ordergw calls) in a folder of their own: no mvn beside them. */
    private Path toolsWithoutMaven() throws IOException
    {
        final Path tools = Files.createDirectories(dir.resolve("tools"));
        for (final String tool : List.of("readlink", "dirname", "sed", "head"))
        {
            Path found = null;
            for (final String where : List.of("/usr/bin", "/bin"))
            {
                if (found == null && Files.isExecutable(Paths.get(where, tool)))
                {
                    found = Paths.get(where, tool);
                }
            }
            assertNotNull(found, tool + " in /usr/bin or /bin");
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        return tools;
    }

    private static void run(final Path cwd, final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            fail(String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** A child's stream, read line by line on a thread of its own. */
    private static final class Lines
    {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Lines(final InputStream in, final String name)
        {
            reader = new Thread(() ->
            {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
                {
                    String line;
                    while ((line = r.readLine()) != null)
                    {
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
            }, name);
            reader.setDaemon(true);
            reader.start();
        }

        Matcher await(final Pattern pattern, final long timeoutMs, final Process process) throws InterruptedException
        {
            final long deadline = System.currentTimeMillis() + timeoutMs;
            int seen = 0;
            synchronized (lines)
            {
                while (true)
                {
                    while (seen < lines.size())
                    {
                        final Matcher m = pattern.matcher(lines.get(seen++));
                        if (m.matches())
                        {
                            return m;
                        }
                    }
                    final long left = deadline - System.currentTimeMillis();
                    if (left <= 0 || (!process.isAlive() && !reader.isAlive()))
                    {
                        throw new AssertionError("no line matching " + pattern + "; got:\n" + text());
                    }
                    lines.wait(Math.min(left, 100));
                }
            }
        }

        List<String> lines()
        {
            synchronized (lines)
            {
                return new ArrayList<>(lines);
            }
        }

        String text()
        {
            return String.join("\n", lines());
        }

        void join() throws InterruptedException
        {
            reader.join(10_000);
        }
    }
}
