package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.auth.LoginResult;
import io.ordergw.gateway.auth.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log of the real {@code ordergw} process, configured as an operator would: {@code ordergw.log.file} in the
 * config file sends the log to a file as well as the console, every line carries its time, and logins and lockouts
 * appear as audit lines on {@code ordergw.audit} with the user and the remote address, never a password or a name
 * that matched no user.
 */
@SystemTest
class AuditLogTest
{
    private static final String PASSWORD = "Audit-Pw-41c9";
    private static final String PASSWORD_AS_NAME = "Audit-Typed-Into-Name-77";
    /** 2026-12-07T15:44:13.828Z or 2026-12-07T16:44:13.828+01:00, then the level. */
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ";

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void loginsAndLockoutsAreAuditedWithTimestampsOnTheConsoleAndInTheLogFile() throws Exception
    {
        final Path logFile = dir.resolve("logs").resolve("ordergw.log");
        final Path config = dir.resolve("ordergw.conf");
        final String hash = PasswordHasher.hash(PASSWORD.toCharArray(), 10_000);
        Files.writeString(config,
            "ordergw.gateway.users { alice { user-id = 11, password-hash = \"" + hash + "\", permissions = [Trading]," +
            " accounts = [1] } }\n" +
            "ordergw.gateway.auth.max-failures = 3\n" +
            "ordergw.log.file = \"" + logFile + "\"\n" +
            GatewayProcess.isolatedFeed(dir), StandardCharsets.UTF_8);

        try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("data"), dir.resolve("console.log"),
            Map.of()))
        {
            try (ApexClient client = ApexClient.connect(gateway.webSocketUrl()))
            {
                assertEquals(Boolean.TRUE, client.login("alice", PASSWORD).get("Authenticated"));
                for (int i = 1; i <= 3; i++)
                {
                    assertEquals(Boolean.FALSE, client.login("alice", "wrong-" + i).get("Authenticated"));
                }
                // Locked now (the user and the address): even the right password is refused, and that is audited.
                assertEquals(LoginResult.TOO_MANY_FAILURES, client.login("alice", PASSWORD).get("errormsg"));
                assertEquals(LoginResult.TOO_MANY_FAILURES, client.login(PASSWORD_AS_NAME, PASSWORD).get("errormsg"));
            }
            GatewayProcess.assertStoppedCleanly(gateway);

            final List<String> console = gateway.output();
            final List<String> file = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            for (final List<String> log : List.of(console, file))
            {
                final String where = log == file ? "log file" : "console";
                assertLine(log, where, "INFO  \\[.*] ordergw\\.audit - login ok user=alice method=password " +
                    "from=127\\.0\\.0\\.1.*");
                assertLine(log, where, "WARN  \\[.*] ordergw\\.audit - login failed user=alice method=password " +
                    "from=127\\.0\\.0\\.1.*");
                assertLine(log, where, "WARN  \\[.*] ordergw\\.audit - lockout user user=alice " +
                    "from=127\\.0\\.0\\.1.* failures=3 for=60s");
                assertLine(log, where, "WARN  \\[.*] ordergw\\.audit - lockout address user=\\(unknown\\) " +
                    "from=127\\.0\\.0\\.1.* failures=3 for=60s");
                assertLine(log, where, "WARN  \\[.*] ordergw\\.audit - login refused user=alice method=password " +
                    "from=127\\.0\\.0\\.1.* reason=locked-out");
                assertLine(log, where, "WARN  \\[.*] ordergw\\.audit - login refused user=\\(unknown\\) " +
                    "method=password from=127\\.0\\.0\\.1.* reason=locked-out");
                for (final String line : log)
                {
                    assertFalse(line.contains(PASSWORD) || line.contains(PASSWORD_AS_NAME),
                        "a password or a name that matched no user reached the " + where + ": " + line);
                }
            }
            // The file holds the log alone (the command's own stdout lines stay on the console), every line timed.
            assertTrue(file.size() > 5, "the file got the log: " + file);
            for (final String line : file)
            {
                assertTrue(Pattern.compile(TIME + "(TRACE|DEBUG|INFO |WARN |ERROR) .*").matcher(line).matches(),
                    "a log line without its time: " + line);
            }
        }
    }

    private static void assertLine(final List<String> log, final String where, final String regex)
    {
        final Pattern pattern = Pattern.compile(TIME + regex);
        assertTrue(log.stream().anyMatch(line -> pattern.matcher(line).matches()),
            "no line in the " + where + " matches " + regex + "\n" + String.join("\n", log));
    }
}
