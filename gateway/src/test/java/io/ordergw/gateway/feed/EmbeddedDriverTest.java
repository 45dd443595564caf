package io.ordergw.gateway.feed;

import io.ordergw.gateway.SystemTest;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.StartupFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded driver's directory: one per data directory, and never taken from a live driver, while the directory a
 * killed one left behind (its heartbeat still young) is reused.
 */
@SystemTest
class EmbeddedDriverTest
{
    @TempDir
    Path dir;

    private MediaDriver.Context context(final Path aeronDir)
    {
        return EmbeddedDriver.context(OrderGwConfig.parse("ordergw.aeron.dir = \"" + aeronDir + "\"\n" +
            "ordergw.aeron.term-length = 64KiB\n").aeron);
    }

    @Test
    void theDirectoryIsNamedFromTheDataDirectoryUnlessSet() throws Exception
    {
        final OrderGwConfig a = OrderGwConfig.parse("ordergw.data-dir = \"" + dir.resolve("a") + "\"\n");
        final OrderGwConfig b = OrderGwConfig.parse("ordergw.data-dir = \"" + dir.resolve("b") + "\"\n");
        final OrderGwConfig aAgain = OrderGwConfig.parse("ordergw.data-dir = \"" + dir.resolve("x/../a") + "\"\n");
        assertTrue(EmbeddedDriver.directoryName(a).startsWith(CommonContext.getAeronDirectoryName() + "-ordergw-"));
        assertEquals(CommonContext.getAeronDirectoryName().length() + "-ordergw-".length() + 12,
            EmbeddedDriver.directoryName(a).length());
        assertNotEquals(EmbeddedDriver.directoryName(a), EmbeddedDriver.directoryName(b));
        assertEquals(EmbeddedDriver.directoryName(a), EmbeddedDriver.directoryName(aAgain));
        // A symbolic link to a data directory is the same data directory, so the same driver directory.
        Files.createDirectories(dir.resolve("b"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("b"));
        assertEquals(EmbeddedDriver.directoryName(b), EmbeddedDriver.directoryName(
            OrderGwConfig.parse("ordergw.data-dir = \"" + dir.resolve("link") + "\"\n")));
        assertEquals("/somewhere/else", EmbeddedDriver.directoryName(
            OrderGwConfig.parse("ordergw.aeron.dir = \"/somewhere/else\"\n")));
    }

    @Test
    @Timeout(60)
    void aLiveDriversDirectoryIsRefusedAndALeftOverOneIsReused() throws Exception
    {
        final Path live = dir.resolve("live");
        try (EmbeddedDriver driver = EmbeddedDriver.launch(context(live)))
        {
            final StartupFailure refused = assertThrows(StartupFailure.class,
                () -> EmbeddedDriver.launch(context(live)));
            assertEquals("ordergw.aeron.dir: " + live + " is in use by a running media driver (pid " +
                ProcessHandle.current().pid() + "): give each gateway its own data-dir (the directory is named from " +
                "it) or its own aeron.dir", refused.getMessage());
            assertTrue(Files.exists(live.resolve(CncFileDescriptor.CNC_FILE)), "still there");
            assertTrue(driver.mediaDriver().context().cncFile().exists());

            // What a SIGKILLed driver leaves: a CnC file whose heartbeat is young but no longer moves.
            final Path killed = dir.resolve("killed");
            Files.createDirectories(killed);
            Files.copy(live.resolve(CncFileDescriptor.CNC_FILE), killed.resolve(CncFileDescriptor.CNC_FILE));
            assertTrue(CommonContext.isDriverActive(killed.toFile(), 10_000, message -> { }), "a young heartbeat");
            try (EmbeddedDriver restarted = EmbeddedDriver.launch(context(killed)))
            {
                assertTrue(CommonContext.isDriverActive(killed.toFile(), 10_000, message -> { }));
            }
        }
    }
}
