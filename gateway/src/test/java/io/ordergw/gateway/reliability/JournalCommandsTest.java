package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ordergw verify-journal} and {@code ordergw archive} as an operator runs them: one line of outcome, exit 0
 * when all is well, 1 with the reason otherwise.
 */
@SystemTest
class JournalCommandsTest
{
    private static final String SETTINGS = "ordergw.journal.roll-cycle = TEST_SECONDLY\n";

    @TempDir
    Path dir;

    /** What a command printed and returned. */
    private static final class Run
    {
        final int status;
        final String out;
        final String err;

        Run(final int status, final String out, final String err)
        {
            this.status = status;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString()
        {
            return "exit " + status + "\nout: " + out + "\nerr: " + err;
        }
    }

    @Test
    @Timeout(180)
    void verifyPassesOnAGoodJournalAndFailsOnACorruptOrGappedOne() throws Exception
    {
        final Path data = dir.resolve("data");
        writeJournal(data, 3);
        final Path journal = data.resolve("journal");
        final Path config = dir.resolve("ordergw.conf");
        Files.writeString(config, SETTINGS);

        final Run good = run("verify-journal", "--config", config.toString(), "--data-dir", data.toString());
        assertEquals(0, good.status, good.toString());
        assertTrue(good.out.contains("verified: 10 events, SeqNum 1..10"), good.toString());

        // A corrupt event: the 3rd event's SBE header names another message.
        final Path corrupt = copy(journal, dir.resolve("corrupt"));
        corruptEvent(corrupt, 3);
        final Run bad = run("verify-journal", "--config", config.toString(), "--journal", corrupt.toString());
        assertEquals(1, bad.status, bad.toString());
        assertTrue(bad.err.startsWith("ordergw: journal " + corrupt.toAbsolutePath() +
            " FAILED verification: SeqNum 3 "), bad.toString());
        assertEquals(1, bad.err.strip().lines().count(), "one line: " + bad.err);

        // A gap: a cycle in the middle moved out by hand.
        final Path gapped = copy(journal, dir.resolve("gapped"));
        final List<Path> cycles = cycleFiles(gapped);
        assertTrue(cycles.size() >= 3, "cycles: " + cycles);
        Files.move(cycles.get(1), dir.resolve(cycles.get(1).getFileName()));
        final Run gap = run("verify-journal", "--config", config.toString(), "--journal", gapped.toString());
        assertEquals(1, gap.status, gap.toString());
        assertTrue(gap.err.contains("FAILED verification") && gap.err.contains("expected SeqNum"), gap.toString());
    }

    @Test
    @Timeout(180)
    void archiveRefusesWhileAGatewayUsesTheJournalAndMovesOnlyWhatItMayWhenStopped() throws Exception
    {
        final Path data = dir.resolve("data");
        writeJournal(data, 3);
        final Path config = dir.resolve("ordergw.conf");
        Files.writeString(config, SETTINGS + GatewayProcess.isolatedFeed(dir));
        final List<Path> before = cycleFiles(data.resolve("journal"));

        try (GatewayProcess gateway = GatewayProcess.start(config, data, dir.resolve("gateway.log"), Map.of()))
        {
            final Run refused = run("archive", "--config", config.toString(), "--data-dir", data.toString(),
                "--min-age", "0s");
            assertEquals(1, refused.status, refused.toString());
            assertTrue(refused.err.contains("uses the journal") && refused.err.contains("nothing was moved"),
                refused.toString());
        }
        // The stop wrote a snapshot at the last SeqNum; a week's retention keeps everything (cycles seconds old).
        final Run young = run("archive", "--config", config.toString(), "--data-dir", data.toString());
        assertEquals(0, young.status, young.toString());
        assertTrue(young.out.contains("nothing to archive") && young.out.contains("min-age"), young.toString());

        final Run dry = run("archive", "--config", config.toString(), "--data-dir", data.toString(), "--min-age", "0s",
            "--dry-run");
        assertEquals(0, dry.status, dry.toString());
        assertEquals(before, cycleFiles(data.resolve("journal")), "a dry run moves nothing");

        final Run archived = run("archive", "--config", config.toString(), "--data-dir", data.toString(),
            "--min-age", "0s");
        assertEquals(0, archived.status, archived.toString());
        final List<Path> after = cycleFiles(data.resolve("journal"));
        assertTrue(after.size() >= 1 && after.size() < before.size(), archived.toString());
        assertEquals(before.get(before.size() - 1).getFileName(), after.get(after.size() - 1).getFileName(),
            "the newest cycle stays");
        assertEquals(before.size() - after.size(), cycleFiles(data.resolve("journal-archive")).size());

        // What is left still verifies, from the snapshot that covers the archived cycles.
        final Run verified = run("verify-journal", "--config", config.toString(), "--data-dir", data.toString());
        assertEquals(0, verified.status, verified.toString());
        assertTrue(verified.out.contains("verified from snapshot"), verified.toString());
    }

    /** Three or more cycles of a real gateway's events (10 events), then a clean stop (a snapshot at the end). */
    private static void writeJournal(final Path data, final int cycles) throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(data, SETTINGS);
            ApexClient operator = harness.login("operator"))
        {
            int events = 0;
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                final int count = cycle == cycles - 1 ? 10 - events : 3;
                for (int k = 0; k < count; k++)
                {
                    sendAcked(operator, order(100 + events++));
                }
                if (cycle < cycles - 1)
                {
                    Thread.sleep(1_100);
                }
            }
        }
    }

    private static Run run(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try
        {
            final int status = new CommandLine(new Main()).execute(args);
            return new Run(status, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Path copy(final Path journal, final Path to) throws Exception
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private static List<Path> cycleFiles(final Path journal) throws Exception
    {
        try (Stream<Path> files = Files.list(journal))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
    }

    /** Overwrite the template id in the SBE header of the n-th event found in the journal's files. */
    private static void corruptEvent(final Path journal, final int n) throws Exception
    {
        final byte[] header = {
            (byte)OrderStateEventEncoder.BLOCK_LENGTH, (byte)(OrderStateEventEncoder.BLOCK_LENGTH >> 8),
            (byte)OrderStateEventEncoder.TEMPLATE_ID, (byte)(OrderStateEventEncoder.TEMPLATE_ID >> 8),
            (byte)OrderStateEventEncoder.SCHEMA_ID, (byte)(OrderStateEventEncoder.SCHEMA_ID >> 8),
            (byte)OrderStateEventEncoder.SCHEMA_VERSION, (byte)(OrderStateEventEncoder.SCHEMA_VERSION >> 8)};
        int seen = 0;
        for (final Path file : cycleFiles(journal))
        {
            final byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i + header.length <= bytes.length; i++)
            {
                if (Arrays.equals(bytes, i, i + header.length, header, 0, header.length) && ++seen == n)
                {
                    bytes[i + 2] = 0x77;
                    bytes[i + 3] = 0x77;
                    Files.write(file, bytes);
                    return;
                }
            }
        }
        throw new AssertionError("no event " + n + " in " + journal);
    }
}
