package io.ordergw.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderGwConfigTest
{
    @TempDir
    Path dir;

    @Test
    void defaultsRunOneNodeOnLoopback()
    {
        final OrderGwConfig config = OrderGwConfig.defaults();
        assertEquals(1, config.omsId);
        assertEquals(8, config.decimalScale);
        assertEquals("127.0.0.1", config.gateway.host);
        assertEquals(8086, config.gateway.port);
        assertEquals(0, config.exchanges.length);
        assertEquals(IdleStrategySpec.Kind.BACKOFF, config.engine.idleStrategy.kind, "a 2-core machine stays usable");
        assertEquals(Path.of("ordergw-data/journal"), config.journal.dir);
        assertEquals(16L << 20, config.journal.readAhead, "appends do not stall on new pages of the journal");
        assertEquals(config.book.maxOpenOrders + config.book.maxRetainedTerminalOrders, config.book.initialCapacity,
            "the book's index never rehashes within its bounds");
        assertEquals(OrderGwConfig.Snapshot.FOLLOWER, config.snapshot.writer, "the engine never waits for a snapshot");
    }

    @Test
    void aFileOverridesDefaultsAndDerivedPathsFollowTheDataDir() throws Exception
    {
        final Path file = dir.resolve("my.conf");
        Files.writeString(file, "ordergw { oms-id = 3, data-dir = \"/srv/ogw\", exchanges = [1, 2]\n" +
            "engine.idle-strategy = \"sleeping:2ms\" }");
        final OrderGwConfig config = OrderGwConfig.load(file);
        assertEquals(3, config.omsId);
        assertEquals(Path.of("/srv/ogw/journal"), config.journal.dir);
        assertEquals(Path.of("/srv/ogw/snapshots"), config.snapshot.dir);
        assertEquals(2, config.exchanges.length);
        assertEquals(Duration.ofMillis(2), config.engine.idleStrategy.sleep);
    }

    @Test
    void aBackoffStrategyTakesItsLongestPark()
    {
        assertEquals(Duration.ofMillis(1), OrderGwConfig.defaults().engine.idleStrategy.sleep, "backoff parks up to 1 ms");
        final IdleStrategySpec quick = OrderGwConfig.parse("ordergw.engine.idle-strategy = \"backoff:100us\"")
            .engine.idleStrategy;
        assertEquals(IdleStrategySpec.Kind.BACKOFF, quick.kind);
        assertEquals(Duration.ofNanos(100_000), quick.sleep);
        assertMessage("ordergw.engine.idle-strategy: the duration must be between 1us and 1s",
            "ordergw.engine.idle-strategy = \"backoff:0s\"");
    }

    @Test
    void overridesWinOverTheFile() throws Exception
    {
        final Path file = dir.resolve("my.conf");
        Files.writeString(file, "ordergw.gateway.port = 9000");
        final OrderGwConfig config = OrderGwConfig.load(
            file, com.typesafe.config.ConfigFactory.parseString("ordergw.gateway.port = 9100"));
        assertEquals(9100, config.gateway.port);
    }

    @Test
    void badSettingsFailNamingTheSetting()
    {
        assertMessage("ordergw.book.max-open-orders: must be between 1 and 268435456 (got 0)", "ordergw.book.max-open-orders = 0");
        assertMessage("ordergw.engine.ingress-ring-bytes: must be a power of two (got 5000)",
            "ordergw.engine.ingress-ring-bytes = 5000");
        assertMessage("ordergw.journal.roll-cycle: must be one of", "ordergw.journal.roll-cycle = YEARLY");
        assertMessage("ordergw.book.initial-capacity: must be between 0 and 536870912 (got -1)",
            "ordergw.book.initial-capacity = -1");
        assertMessage("ordergw.snapshot.writer: must be one of follower, engine (got \"disk\")",
            "ordergw.snapshot.writer = disk");
        assertMessage("ordergw.journal.read-ahead: must be between 0 and 1073741824", "ordergw.journal.read-ahead = 2 GiB");
        assertMessage("ordergw.engine.idle-strategy: must be busy-spin, yielding, backoff",
            "ordergw.engine.idle-strategy = lazy");
        assertMessage("ordergw.gateway.port: must be between 0 and 65535 (got 70000)", "ordergw.gateway.port = 70000");
        assertMessage("ordergw.oms-id: has a bad value", "ordergw.oms-id = one");
        assertMessage("ordergw.decimal-scale: must be between 0 and 18 (got 19)", "ordergw.decimal-scale = 19");
        assertMessage("ordergw.publisher.ipc-channel: must be an Aeron channel URI",
            "ordergw.publisher.ipc-channel = \"tcp://x\"");
    }

    @Test
    void aMisspeltSettingIsRefusedNotIgnored()
    {
        assertMessage("ordergw.jounral.dir: unknown setting", "ordergw.jounral.dir = x");
        assertMessage("ordergw.book.max-open-order: unknown setting", "ordergw.book.max-open-order = 5");
    }

    @Test
    void aMissingConfigFileIsAnError()
    {
        final ConfigError error = assertThrows(ConfigError.class, () -> OrderGwConfig.load(dir.resolve("nope.conf")));
        assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
    }

    private static void assertMessage(final String expectedStart, final String hocon)
    {
        final ConfigError error = assertThrows(ConfigError.class, () -> OrderGwConfig.parse(hocon), hocon);
        assertTrue(error.getMessage().startsWith(expectedStart), error.getMessage());
    }
}
