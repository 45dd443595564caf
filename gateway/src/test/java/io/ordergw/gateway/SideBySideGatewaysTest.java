package io.ordergw.gateway;

import io.aeron.CncFileDescriptor;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.feed.EmbeddedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several gateways on one host: with the default settings apart from the port and the data directory they own
 * nothing in common (media driver directory, UDP ports), and what they cannot share is refused in one line naming
 * the setting, leaving the running gateway untouched.
 */
@SystemTest
class SideBySideGatewaysTest
{
    @TempDir
    Path dir;

    /** The default settings apart from the data directory and a free port: nothing else a user would change. */
    private static OrderGwConfig defaults(final Path dataDir, final String extra)
    {
        return OrderGwConfig.parse("ordergw.data-dir = \"" + dataDir + "\"\nordergw.gateway.port = 0\n" + extra);
    }

    private static OrderGateway start(final OrderGwConfig config) throws Exception
    {
        return OrderGateway.launch(config, UserDirectory.demo(GatewayHarness.PASSWORD, config.omsId));
    }

    @Test
    @Timeout(90)
    void twoGatewaysWithDefaultSettingsApartFromPortAndDataDirBothStartAndServe() throws Exception
    {
        try (OrderGateway first = start(defaults(dir.resolve("first"), ""));
            OrderGateway second = start(defaults(dir.resolve("second"), "")))
        {
            assertNotEquals(first.aeronDirectoryName(), second.aeronDirectoryName());
            assertTrue(first.aeronDirectoryName().contains("-ordergw-"), first.aeronDirectoryName());
            assertNotEquals(first.udpChannel(), second.udpChannel());
            assertNotEquals(first.replayControlChannel(), second.replayControlChannel());
            assertFalse(first.udpChannel().contains(":0|") || first.udpChannel().endsWith(":0"), first.udpChannel());

            pingAndOneEvent(first, 1);
            pingAndOneEvent(second, 7);
            // Each journal holds only its own event.
            assertEquals(1, first.engine().agent().counters().journalSeqNum.get());
            assertEquals(1, second.engine().agent().counters().journalSeqNum.get());
        }
    }

    @Test
    @Timeout(90)
    void aSecondGatewayOnALockedDataDirIsRefusedInOneLineAndTheFirstGoesOn() throws Exception
    {
        final Path dataDir = dir.resolve("shared");
        try (OrderGateway first = start(defaults(dataDir, "")))
        {
            final StartupFailure refused = assertThrows(StartupFailure.class, () -> start(defaults(dataDir, "")));
            assertEquals("ordergw.data-dir: " + dataDir.toRealPath() + " is in use by another gateway (pid " +
                ProcessHandle.current().pid() + ")", refused.getMessage());
            assertTrue(Files.exists(Path.of(first.aeronDirectoryName(), CncFileDescriptor.CNC_FILE)));
            pingAndOneEvent(first, 1);
        }
        // Released with the gateway: the same directory starts again.
        try (OrderGateway again = start(defaults(dataDir, "")))
        {
            assertEquals(1, again.engine().recovery().book.lastSeqNum());
        }
    }

    @Test
    @Timeout(90)
    void aJournalDirectorySetOutsideTheDataDirIsLockedToo() throws Exception
    {
        final Path journal = dir.resolve("one-journal");
        final String shared = "ordergw.journal.dir = \"" + journal + "\"\n";
        try (OrderGateway first = start(defaults(dir.resolve("first"), shared)))
        {
            final StartupFailure refused =
                assertThrows(StartupFailure.class, () -> start(defaults(dir.resolve("second"), shared)));
            assertEquals("ordergw.journal.dir: " + journal.toRealPath() + " is in use by another gateway (pid " +
                ProcessHandle.current().pid() + ")", refused.getMessage());
            pingAndOneEvent(first, 1);
        }
    }

    @Test
    @Timeout(90)
    void aTakenUdpControlPortIsRefusedNamingTheSettingBeforeAnythingStarts() throws Exception
    {
        final Path dataDir = dir.resolve("udp");
        final OrderGwConfig config;
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            config = defaults(dataDir, "ordergw.publisher.udp-channel = " +
                "\"aeron:udp?control=127.0.0.1:" + taken.getLocalPort() + "|control-mode=dynamic|fc=max\"\n");
            final StartupFailure refused = assertThrows(StartupFailure.class, () -> start(config));
            assertTrue(refused.getMessage().startsWith(
                "ordergw.publisher.udp-channel: UDP 127.0.0.1:" + taken.getLocalPort() + " (control) cannot be bound"),
                refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
            assertFalse(journalOpened(dataDir), "refused before the journal opened");
        }
        // Nothing was left holding the data directory or the driver directory: with the port free it starts.
        try (OrderGateway started = start(config))
        {
            pingAndOneEvent(started, 1);
        }
    }

    @Test
    @Timeout(90)
    void theDriverDirectoryOfALiveGatewayIsNeverDeletedByASecondStart() throws Exception
    {
        try (OrderGateway first = start(defaults(dir.resolve("first"), "")))
        {
            final Path cnc = Path.of(first.aeronDirectoryName(), CncFileDescriptor.CNC_FILE);
            final long created = Files.getLastModifiedTime(cnc).toMillis();
            // Another data directory pointed at the first one's driver directory, with dir-delete-on-start = true.
            final OrderGwConfig intruder = defaults(dir.resolve("second"),
                "ordergw.aeron.dir = \"" + first.aeronDirectoryName() + "\"\n" +
                "ordergw.aeron.dir-delete-on-start = true\n");
            final StartupFailure refused = assertThrows(StartupFailure.class, () -> start(intruder));
            assertTrue(refused.getMessage().startsWith("ordergw.aeron.dir: " + first.aeronDirectoryName() +
                " is in use by a running media driver (pid " + ProcessHandle.current().pid() + ")"),
                refused.getMessage());
            assertTrue(Files.exists(cnc));
            assertEquals(created, Files.getLastModifiedTime(cnc).toMillis(), "the same CnC file, not a new one");
            assertFalse(journalOpened(dir.resolve("second")), "refused before the journal opened");
            pingAndOneEvent(first, 1); // its feed still runs through its driver
        }
    }

    @Test
    @Timeout(60)
    void badUsersAreRefusedBeforeTheJournalAndTheMediaDriverStart() throws Exception
    {
        final Path dataDir = dir.resolve("users");
        final OrderGwConfig config = defaults(dataDir,
            "ordergw.gateway.users.alice { user-id = 5, password-hash = \"plain\", permissions = [Trading], " +
            "accounts = [1] }\n");
        final String aeronDir = EmbeddedDriver.directoryName(config);
        final ConfigError refused = assertThrows(ConfigError.class, () -> start(config));
        assertTrue(refused.getMessage().startsWith("ordergw.gateway.users.alice.password-hash: "),
            refused.getMessage());
        assertFalse(journalOpened(dataDir), "refused before the journal opened");
        assertFalse(Files.exists(Path.of(aeronDir)), aeronDir);
    }

    @Test
    @Timeout(90)
    void aJournalThatCannotBeOpenedIsRefusedNamingItAndStopsTheDriverItStarted() throws Exception
    {
        final Path dataDir = dir.resolve("journal-fault");
        Files.createDirectories(dataDir.resolve("journal"));
        // Chronicle's metadata file overwritten with junk: the queue cannot be opened (it gives up after ~10 s).
        Files.writeString(dataDir.resolve("journal").resolve("metadata.cq4t"), "not a Chronicle table store");
        final OrderGwConfig config = defaults(dataDir, "");
        final StartupFailure refused = assertThrows(StartupFailure.class, () -> start(config));
        assertTrue(refused.getMessage().startsWith("ordergw.journal.dir: the journal cannot be opened or recovered: "),
            refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        // The media driver had started (it comes before the journal) and was stopped, its directory deleted.
        assertFalse(Files.exists(Path.of(EmbeddedDriver.directoryName(config))));
        // And the data directory is free again.
        DataDirLock.acquire(dataDir, "ordergw.data-dir").close();
    }

    /** Whether Chronicle wrote anything in the journal's directory (the start-up checks may only create it). */
    static boolean journalOpened(final Path dataDir) throws Exception
    {
        final Path journal = dataDir.resolve("journal");
        if (!Files.isDirectory(journal))
        {
            return false;
        }
        try (Stream<Path> files = Files.list(journal))
        {
            return files.findAny().isPresent();
        }
    }

    /** Ping, then one event sent by the operator reaches a subscriber of its account through this gateway's feed. */
    private static void pingAndOneEvent(final OrderGateway gateway, final long orderId) throws Exception
    {
        try (ApexClient operator = ApexClient.connect(gateway.webSocketUrl());
            ApexClient trader = ApexClient.connect(gateway.webSocketUrl()))
        {
            assertEquals("PONG", operator.call("Ping", "{}").payload().get("msg"));
            assertEquals(true, operator.login("operator", GatewayHarness.PASSWORD).get("Authenticated"));
            assertEquals(true, trader.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
            final long sub = subscribe(trader, 1, 0);
            final long seqNum = sendAcked(operator, order(orderId));
            final ApexClient.Frame event = nextEvent(trader, sub);
            assertEquals(seqNum, ((Number)event.payload().get("SeqNum")).longValue(), event.raw);
            assertEquals(orderId, ((Number)event.payload().get("OrderId")).longValue(), event.raw);
        }
    }
}
