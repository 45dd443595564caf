package io.ordergw.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of the process, typed and validated once at start. A bad setting fails here with a message that
 * names it, never later on the hot path.
 * <p>
 * Sources, highest precedence first: Java system properties, {@code CONFIG_FORCE_*} environment variables (Typesafe
 * Config's convention: {@code CONFIG_FORCE_ordergw_book_max__open__orders=10}), an optional HOCON file, then
 * {@code reference.conf}.
 */
public final class OrderGwConfig
{
    /** Sections whose keys are free-form (user names, account ids), so unknown keys are allowed under them. */
    private static final Set<String> FREE_FORM = Set.of("ordergw.gateway.users", "ordergw.gateway.api-keys");

    /** The merged, resolved configuration. */
    public final Config raw;
    /** This gateway's OMS id. */
    public final int omsId;
    /** Configured exchange ids; empty accepts any. */
    public final int[] exchanges;
    /** Decimal places of fixed-point values. */
    public final int decimalScale;
    /** The engine's rings and thread. */
    public final Engine engine;
    /** Bounds and retention of the book. */
    public final Book book;
    /** The journal. */
    public final Journal journal;
    /** Snapshots. */
    public final Snapshot snapshot;

    private OrderGwConfig(final Config raw)
    {
        this.raw = raw;
        final Settings root = new Settings(raw, "ordergw");
        omsId = root.intIn("oms-id", 1, Integer.MAX_VALUE);
        exchanges = root.intList("exchanges", 0, Integer.MAX_VALUE);
        decimalScale = root.intIn("decimal-scale", 0, 18);
        engine = new Engine(root.section("engine"));
        book = new Book(root.section("book"));
        journal = new Journal(root.section("journal"));
        snapshot = new Snapshot(root.section("snapshot"));
    }

    /**
     * The defaults alone (reference.conf with system-property and environment overrides).
     *
     * @return the configuration.
     */
    public static OrderGwConfig defaults()
    {
        return load(null);
    }

    /**
     * Load and validate.
     *
     * @param file an optional HOCON file; null for none.
     * @return the configuration.
     * @throws ConfigError naming the first bad setting.
     */
    public static OrderGwConfig load(final Path file)
    {
        return from(file == null ? ConfigFactory.empty() : parseFile(file));
    }

    /**
     * Validate a configuration given as HOCON text over the defaults (for tests and embedding).
     *
     * @param hocon settings text.
     * @return the configuration.
     */
    public static OrderGwConfig parse(final String hocon)
    {
        return from(ConfigFactory.parseString(hocon));
    }

    /**
     * Validate settings layered over the defaults, with system-property and environment overrides on top.
     *
     * @param user the user's settings.
     * @return the configuration.
     */
    public static OrderGwConfig from(final Config user)
    {
        final Config reference = ConfigFactory.parseResources(
            OrderGwConfig.class.getClassLoader(), "reference.conf", ConfigParseOptions.defaults().setAllowMissing(false));
        final Config merged;
        try
        {
            merged = ConfigFactory.systemProperties()
                .withFallback(ConfigFactory.systemEnvironmentOverrides())
                .withFallback(user)
                .withFallback(reference)
                .resolve();
        }
        catch (final ConfigException ex)
        {
            throw new ConfigError("configuration cannot be read: " + ex.getMessage(), ex);
        }
        checkKnownKeys(merged, reference.resolve());
        return new OrderGwConfig(merged);
    }

    private static Config parseFile(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new ConfigError("config file " + file, "does not exist");
        }
        try
        {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (final ConfigException ex)
        {
            throw new ConfigError("config file " + file + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    /** A misspelt key would otherwise be silently ignored and its default used. */
    private static void checkKnownKeys(final Config merged, final Config reference)
    {
        if (!merged.hasPath("ordergw"))
        {
            return;
        }
        final List<String> unknown = new ArrayList<>();
        for (final Map.Entry<String, ConfigValue> entry : merged.getConfig("ordergw").entrySet())
        {
            final String path = "ordergw." + entry.getKey();
            if (!reference.hasPathOrNull(path) && !underFreeForm(path))
            {
                unknown.add(path);
            }
        }
        if (!unknown.isEmpty())
        {
            unknown.sort(null);
            throw new ConfigError(unknown.get(0), "unknown setting" +
                (unknown.size() > 1 ? " (also unknown: " + String.join(", ", unknown.subList(1, unknown.size())) + ")" : ""));
        }
    }

    private static boolean underFreeForm(final String path)
    {
        for (final String section : FREE_FORM)
        {
            if (path.startsWith(section + "."))
            {
                return true;
            }
        }
        return false;
    }

    /** The engine's rings and thread. */
    public static final class Engine
    {
        /** Ingress ring capacity in bytes (power of two). */
        public final int ingressRingBytes;
        /** Egress ring capacity in bytes (power of two). */
        public final int egressRingBytes;
        /** Most commands per duty cycle. */
        public final int batchLimit;
        /** Idle strategy spec. */
        public final IdleStrategySpec idleStrategy;

        Engine(final Settings s)
        {
            ingressRingBytes = powerOfTwo(s, "ingress-ring-bytes");
            egressRingBytes = powerOfTwo(s, "egress-ring-bytes");
            batchLimit = s.intIn("batch-limit", 1, 1 << 20);
            idleStrategy = IdleStrategySpec.parse(s, "idle-strategy");
        }
    }

    /** Bounds and retention of the book. */
    public static final class Book
    {
        /** Open orders held at most. */
        public final int maxOpenOrders;
        /** Open orders per account at most. */
        public final int maxOpenOrdersPerAccount;
        /** Terminal orders retained for queries at most. */
        public final int maxRetainedTerminalOrders;
        /** How long a terminal order is retained after its last event. */
        public final Duration terminalRetention;

        Book(final Settings s)
        {
            maxOpenOrders = s.intIn("max-open-orders", 1, 1 << 28);
            maxOpenOrdersPerAccount = s.intIn("max-open-orders-per-account", 1, 1 << 28);
            maxRetainedTerminalOrders = s.intIn("max-retained-terminal-orders", 0, 1 << 28);
            terminalRetention = s.durationIn("terminal-retention", Duration.ZERO, Duration.ofDays(3650));
        }
    }

    /** The journal. */
    public static final class Journal
    {
        /** Chronicle Queue roll cycles that may be named (TEST_SECONDLY is for tests of rolling). */
        public static final String[] ROLL_CYCLES = {
            "FAST_DAILY", "FAST_HOURLY", "FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY", "HALF_HOURLY",
            "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY", "WEEKLY", "LARGE_HOURLY", "LARGE_DAILY", "XLARGE_DAILY",
            "HUGE_DAILY", "TEST_SECONDLY"};

        /** Directory of the Chronicle Queue. */
        public final Path dir;
        /** Roll cycle name. */
        public final String rollCycle;
        /** Free bytes below which new events are refused. */
        public final long minFreeSpace;
        /** How often free space is measured. */
        public final Duration diskCheckInterval;

        Journal(final Settings s)
        {
            dir = s.pathOf("dir");
            rollCycle = s.oneOf("roll-cycle", ROLL_CYCLES);
            minFreeSpace = s.bytesIn("min-free-space", 0, Long.MAX_VALUE);
            diskCheckInterval = s.durationIn("disk-check-interval", Duration.ofMillis(1), Duration.ofMinutes(1));
        }
    }

    /** Snapshots. */
    public static final class Snapshot
    {
        /** Directory of snapshot files. */
        public final Path dir;
        /** Interval between periodic snapshots; zero for none. */
        public final Duration interval;
        /** Snapshots kept. */
        public final int keep;

        Snapshot(final Settings s)
        {
            dir = s.pathOf("dir");
            interval = s.durationIn("interval", Duration.ZERO, Duration.ofDays(7));
            keep = s.intIn("keep", 1, 1000);
        }
    }

    private static int powerOfTwo(final Settings s, final String key)
    {
        final long bytes = s.bytesIn(key, 4096, 1L << 30);
        if (Long.bitCount(bytes) != 1)
        {
            throw new ConfigError(s.path(key), "must be a power of two (got " + bytes + ")");
        }
        return (int)bytes;
    }
}
