package io.ordergw.gateway.metrics;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus's own linter on what the gateway serves and ships: {@code promtool check metrics} on a real scrape of a
 * running gateway (with traffic, so the histograms have samples) must find nothing, {@code promtool check rules}
 * must accept the shipped alert rules, and {@code promtool test rules} must see them fire on the series in
 * src/test/resources/monitoring/ordergw-alerts-test.yml (and stay quiet where it expects none). Skipped when promtool
 * is not installed (Debian's {@code prometheus} package has it; .ci/run installs it when it can).
 */
@Timeout(120)
@SystemTest
class PromtoolCheckTest
{
    /** The shipped monitoring files, relative to the gateway module. */
    static final Path MONITORING = Paths.get("src", "dist", "monitoring");

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNothingInAScrapeOfARunningGateway() throws Exception
    {
        final String promtool = promtool();
        final Path scrapeFile = dir.resolve("scrape.prom");
        try (GatewayHarness harness = new GatewayHarness(dir.resolve("gw"));
            ApexClient operator = harness.login("operator"))
        {
            for (int i = 1; i <= 10; i++)
            {
                sendAcked(operator, order(i));
            }
            Files.writeString(scrapeFile, Scrape.of(harness.gateway.httpUrl()).text);
        }
        final Path saved = Paths.get("target", "promtool-check-metrics.prom");
        Files.copy(scrapeFile, saved, StandardCopyOption.REPLACE_EXISTING); // for the reader of a failure
        final Result result = run(scrapeFile.toFile(), promtool, "check", "metrics");
        assertEquals(0, result.exitCode, result.output);
        assertEquals("", result.output.trim(), "promtool check metrics findings");
    }

    @Test
    void promtoolAcceptsTheShippedAlertRules() throws Exception
    {
        final String promtool = promtool();
        final Result result =
            run(null, promtool, "check", "rules", MONITORING.resolve("ordergw-alerts.yml").toString());
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.contains("SUCCESS"), result.output);
    }

    @Test
    void theShippedAlertsFireOnTheSeriesThatShouldFireThemAndNotOtherwise() throws Exception
    {
        final String promtool = promtool();
        // promtool reads the rule file beside its test file.
        Files.copy(MONITORING.resolve("ordergw-alerts.yml"), dir.resolve("ordergw-alerts.yml"));
        Files.copy(Paths.get("src", "test", "resources", "monitoring", "ordergw-alerts-test.yml"),
            dir.resolve("ordergw-alerts-test.yml"));
        final Result result = run(null, promtool, "test", "rules", dir.resolve("ordergw-alerts-test.yml").toString());
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.contains("SUCCESS"), result.output);
    }

    private static String promtool()
    {
        for (final String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final Path candidate = Paths.get(path, "promtool");
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        assumeTrue(false, "promtool is not installed (apt-get install prometheus): the check is skipped");
        return null;
    }

    private static final class Result
    {
        final int exitCode;
        final String output;

        Result(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    private static Result run(final File stdin, final String... command) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        if (stdin != null)
        {
            builder.redirectInput(stdin);
        }
        final Process process = builder.start();
        final byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
