package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ordergw stat} reads the counters of a gateway in another process, while it runs and after it was killed
 * (the file keeps the values it@SystemTest
 had when it died).
 */
@Timeout(120)
class StatOfAGatewayProcessTest
{
    private static final String PASSWORD = "stat-test-password";
    private static final Pattern EVENTS_APPLIED =
        Pattern.compile("(?m)^\\s*\\d+\\s+1002\\s+([\\d,]+)\\s+engine: events applied$");
    private static final Pattern ROUTED =
        Pattern.compile("(?m)^\\s*\\d+\\s+1061\\s+([\\d,]+)\\s+gateway: routed seqnum$");

    @TempDir
    Path dir;

    @Test
    void readsARunningGatewayAndWhatAKilledOneLeft() throws Exception
    {
        final Path config = dir.resolve("gateway.conf");
        Files.writeString(config, GatewayProcess.isolatedFeed(dir) + "ordergw.journal.min-free-space = 0\n");
        final Path data = dir.resolve("data");
        try (GatewayProcess gateway = GatewayProcess.start(
            config, data, dir.resolve("gateway.log"), Map.of("ORDERGW_DEMO_PASSWORD", PASSWORD), "--demo"))
        {
            try (ApexClient operator = ApexClient.connect(gateway.webSocketUrl()))
            {
                operator.login("operator", PASSWORD);
                for (int i = 1; i <= 4; i++)
                {
                    sendAcked(operator, order(9_000 + i));
                }
            }
            String running = stat(data);
            final long deadline = System.currentTimeMillis() + 10_000;
            while (value(ROUTED, running) < 4 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(20);
                running = stat(data);
            }
            assertTrue(running.contains("(running)"), running);
            assertFalse(running.contains("pid " + ProcessHandle.current().pid() + " "), "the child's pid: " + running);
            assertEquals(4, value(EVENTS_APPLIED, running), running);
            assertEquals(4, value(ROUTED, running), running);

            gateway.kill();
            final String killed = stat(data);
            assertTrue(killed.contains("(not running)"), killed);
            assertEquals(4, value(EVENTS_APPLIED, killed), "what the killed gateway left: " + killed);
        }
    }

    private static String stat(final Path data)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute("stat", "--data-dir", data.toString());
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    private static long value(final Pattern pattern, final String output)
    {
        final Matcher m = pattern.matcher(output);
        assertTrue(m.find(), output);
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
