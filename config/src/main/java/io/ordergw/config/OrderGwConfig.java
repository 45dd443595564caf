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
    /** Root of the journal, snapshots and nonce file; the gateway locks it and derives its Aeron directory from it. */
    public final Path dataDir;
    /** The engine's rings and thread. */
    public final Engine engine;
    /** Bounds and retention of the book. */
    public final Book book;
    /** The journal. */
    public final Journal journal;
    /** Snapshots. */
    public final Snapshot snapshot;
    /** The Aeron media driver. */
    public final Aeron aeron;
    /** The event feed over Aeron. */
    public final Publisher publisher;
    /** The WebSocket/HTTP edge. */
    public final Gateway gateway;
    /** The instrument table ({@code ordergw.instruments}); empty by default. */
    public final InstrumentTable instruments;
    /** Which agents share a thread ({@code ordergw.threading-mode}). */
    public final ThreadingMode threadingMode;

    private OrderGwConfig(final Config raw)
    {
        this.raw = raw;
        final Settings root = new Settings(raw, "ordergw");
        omsId = root.intIn("oms-id", 1, Integer.MAX_VALUE);
        exchanges = root.intList("exchanges", 0, Integer.MAX_VALUE);
        decimalScale = root.intIn("decimal-scale", 0, 18);
        dataDir = root.pathOf("data-dir");
        engine = new Engine(root.section("engine"));
        book = new Book(root.section("book"));
        journal = new Journal(root.section("journal"));
        snapshot = new Snapshot(root.section("snapshot"));
        aeron = new Aeron(root.section("aeron"));
        publisher = new Publisher(root.section("publisher"));
        gateway = new Gateway(root.section("gateway"));
        instruments = InstrumentTable.parse(raw, decimalScale);
        threadingMode = ThreadingMode.parse(root.path("threading-mode"), root.string("threading-mode"));
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
     * Load and validate, with settings that win over the file (command-line options).
     *
     * @param file      an optional HOCON file; null for none.
     * @param overrides settings above the file.
     * @return the configuration.
     * @throws ConfigError naming the first bad setting.
     */
    public static OrderGwConfig load(final Path file, final Config overrides)
    {
        return from(overrides.withFallback(file == null ? ConfigFactory.empty() : parseFile(file)));
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
            OrderGwConfig.class.getClassLoader(),
            "reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
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
        checkReplaced(merged);
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

    /**
     * A setting that was replaced is refused with the name of its successor rather than reinterpreted: the feed on
     * the engine's thread, which share-engine-thread asked for, is no composition that threading-mode offers.
     */
    private static void checkReplaced(final Config merged)
    {
        final String shareEngineThread = "ordergw.publisher.share-engine-thread";
        if (merged.hasPathOrNull(shareEngineThread))
        {
            throw new ConfigError(shareEngineThread,
                "was replaced by ordergw.threading-mode (DEDICATED, SHARED or INVOKER): remove it");
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
                (unknown.size() > 1 ?
                    " (also unknown: " + String.join(", ", unknown.subList(1, unknown.size())) + ")" : ""));
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
        /** Orders the book's index is sized for at start; zero to grow it on demand. */
        public final int initialCapacity;

        Book(final Settings s)
        {
            maxOpenOrders = s.intIn("max-open-orders", 1, 1 << 28);
            maxOpenOrdersPerAccount = s.intIn("max-open-orders-per-account", 1, 1 << 28);
            maxRetainedTerminalOrders = s.intIn("max-retained-terminal-orders", 0, 1 << 28);
            terminalRetention = s.durationIn("terminal-retention", Duration.ZERO, Duration.ofDays(3650));
            initialCapacity = s.intIn("initial-capacity", 0, 1 << 29);
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
        /** msync every append before acknowledging. */
        public final boolean syncEachAppend;
        /** Bytes of the journal's file kept read ahead of the write position, by a thread of its own; zero for none. */
        public final long readAhead;
        /** Where {@code ordergw archive} moves the cycle files nothing needs any more. */
        public final Path archiveDir;
        /** How long after its end a cycle stays in the journal (for replays and history) before it may be archived. */
        public final Duration archiveMinAge;

        Journal(final Settings s)
        {
            dir = s.pathOf("dir");
            rollCycle = s.oneOf("roll-cycle", ROLL_CYCLES);
            minFreeSpace = s.bytesIn("min-free-space", 0, Long.MAX_VALUE);
            diskCheckInterval = s.durationIn("disk-check-interval", Duration.ofMillis(1), Duration.ofMinutes(1));
            syncEachAppend = s.bool("sync-each-append");
            readAhead = s.bytesIn("read-ahead", 0, 1L << 30);
            final Settings archive = s.section("archive");
            archiveDir = archive.pathOf("dir");
            archiveMinAge = archive.durationIn("min-age", Duration.ZERO, Duration.ofDays(36500));
        }
    }

    /** Snapshots. */
    public static final class Snapshot
    {
        /** {@link #writer}: a thread following the journal into its own copy of the book. */
        public static final String FOLLOWER = "follower";
        /** {@link #writer}: the engine thread, from the live book. */
        public static final String ENGINE = "engine";
        static final String[] WRITERS = {FOLLOWER, ENGINE};

        /** Directory of snapshot files. */
        public final Path dir;
        /** Interval between periodic snapshots; zero for none. */
        public final Duration interval;
        /** Snapshots kept. */
        public final int keep;
        /** Who writes snapshots: {@link #FOLLOWER} or {@link #ENGINE}. */
        public final String writer;

        Snapshot(final Settings s)
        {
            dir = s.pathOf("dir");
            interval = s.durationIn("interval", Duration.ZERO, Duration.ofDays(7));
            keep = s.intIn("keep", 1, 1000);
            writer = s.oneOf("writer", WRITERS);
        }
    }

    /** The Aeron media driver. */
    public static final class Aeron
    {
        /** Run a media driver in the process. */
        public final boolean embeddedDriver;
        /** Driver directory; empty for the default. */
        public final String dir;
        /** Delete the directory on start and stop. */
        public final boolean dirDeleteOnStart;
        /** Publication term length. */
        public final int termLength;
        /** The embedded driver's idle strategy. */
        public final IdleStrategySpec idleStrategy;

        Aeron(final Settings s)
        {
            embeddedDriver = s.bool("embedded-driver");
            dir = s.optionalString("dir");
            dirDeleteOnStart = s.bool("dir-delete-on-start");
            final long term = s.bytesIn("term-length", 64 * 1024, 1L << 30);
            if (Long.bitCount(term) != 1)
            {
                throw new ConfigError(s.path("term-length"), "must be a power of two (got " + term + ")");
            }
            termLength = (int)term;
            idleStrategy = IdleStrategySpec.parse(s, "idle-strategy");
        }
    }

    /** The event feed over Aeron. */
    public static final class Publisher
    {
        /** Channel of the in-process feed. */
        public final String ipcChannel;
        /** Stream id of the in-process feed. */
        public final int ipcStreamId;
        /** Channel of the external feed; empty for none. */
        public final String udpChannel;
        /** Stream id of the external feed. */
        public final int udpStreamId;
        /** Channel of replay requests; empty for none. */
        public final String replayControlChannel;
        /** Stream id of replay requests (on the UDP control channel and on IPC). */
        public final int replayControlStreamId;
        /** Stream id consumers receive replays on by default. */
        public final int replayStreamId;
        /** Replays served at once. */
        public final int maxConcurrentReplays;
        /** Events per duty cycle per publication. */
        public final int batchLimit;
        /** The publisher thread's idle strategy. */
        public final IdleStrategySpec idleStrategy;

        Publisher(final Settings s)
        {
            ipcChannel = s.string("ipc-channel");
            ipcStreamId = s.intIn("ipc-stream-id", Integer.MIN_VALUE, Integer.MAX_VALUE);
            udpChannel = s.optionalString("udp-channel");
            udpStreamId = s.intIn("udp-stream-id", Integer.MIN_VALUE, Integer.MAX_VALUE);
            replayControlChannel = s.optionalString("replay-control-channel");
            replayControlStreamId = s.intIn("replay-control-stream-id", Integer.MIN_VALUE, Integer.MAX_VALUE);
            replayStreamId = s.intIn("replay-stream-id", Integer.MIN_VALUE, Integer.MAX_VALUE);
            maxConcurrentReplays = s.intIn("max-concurrent-replays", 1, 1024);
            batchLimit = s.intIn("batch-limit", 1, 1 << 20);
            idleStrategy = IdleStrategySpec.parse(s, "idle-strategy");
            checkChannel(s, "ipc-channel", ipcChannel);
            checkChannel(s, "udp-channel", udpChannel);
            checkChannel(s, "replay-control-channel", replayControlChannel);
            if (!ipcChannel.startsWith("aeron:ipc"))
            {
                throw new ConfigError(s.path("ipc-channel"),
                    "must be an IPC channel, aeron:ipc[?...] (got \"" + ipcChannel + "\")");
            }
            // The three share the IPC media: the same id would mix live events, replay requests and replays.
            if (replayControlStreamId == ipcStreamId || replayStreamId == ipcStreamId)
            {
                final String key =
                    replayControlStreamId == ipcStreamId ? "replay-control-stream-id" : "replay-stream-id";
                throw new ConfigError(s.path(key), "must differ from ipc-stream-id (" + ipcStreamId + ")");
            }
            if (replayStreamId == replayControlStreamId)
            {
                throw new ConfigError(s.path("replay-stream-id"),
                    "must differ from replay-control-stream-id (" + replayControlStreamId + ")");
            }
        }

        private static void checkChannel(final Settings s, final String key, final String channel)
        {
            if (!channel.isEmpty() && !channel.startsWith("aeron:"))
            {
                throw new ConfigError(
                    s.path(key), "must be an Aeron channel URI such as aeron:ipc (got \"" + channel + "\")");
            }
        }
    }

    /** The WebSocket/HTTP edge. */
    public static final class Gateway
    {
        /** Bind address. */
        public final String host;
        /** Port; 0 picks a free one. */
        public final int port;
        /** Netty I/O threads; 0 for one per core. */
        public final int ioThreads;
        /** Largest frame or body. */
        public final int maxFrameBytes;
        /** Idle time-out; zero disables. */
        public final Duration idleTimeout;
        /** Connections at most. */
        public final int maxConnections;
        /** Unsent bytes per session before it is closed. */
        public final int sessionOutboundLimit;
        /** Requests in flight per session. */
        public final int maxInFlightPerSession;
        /** Concurrent journal replays. */
        public final int maxConcurrentReplays;
        /** How long a replay may find its session's outbound buffer full before the session is closed. */
        public final Duration replayStallTimeout;
        /** Router thread's idle strategy. */
        public final IdleStrategySpec idleStrategy;
        /** PKCS#12 key store for TLS; empty for none. */
        public final String tlsKeyStore;
        /** Its password. */
        public final String tlsKeyStorePassword;
        /** Session token lifetime. */
        public final Duration sessionTtl;
        /** Where the last nonce accepted per API key is kept. */
        public final Path nonceFile;
        /** Failed logins per window before refusing. */
        public final int maxLoginFailures;
        /** The failure window. */
        public final Duration loginFailureWindow;
        /** PBKDF2 iterations for new hashes. */
        public final int pbkdf2Iterations;
        /** The users section, free-form. */
        public final Config users;
        /** The api-keys section, free-form. */
        public final Config apiKeys;

        Gateway(final Settings s)
        {
            host = s.string("host");
            port = s.intIn("port", 0, 65535);
            ioThreads = s.intIn("io-threads", 0, 256);
            maxFrameBytes = (int)s.bytesIn("max-frame-bytes", 1024, 16L << 20);
            idleTimeout = s.durationIn("idle-timeout", Duration.ZERO, Duration.ofDays(1));
            maxConnections = s.intIn("max-connections", 1, 1 << 20);
            sessionOutboundLimit = (int)s.bytesIn("session-outbound-limit", 64 * 1024, 1L << 30);
            maxInFlightPerSession = s.intIn("max-in-flight-per-session", 1, 1 << 20);
            maxConcurrentReplays = s.intIn("max-concurrent-replays", 1, 1 << 16);
            replayStallTimeout = s.durationIn("replay-stall-timeout", Duration.ofMillis(100), Duration.ofDays(1));
            idleStrategy = IdleStrategySpec.parse(s, "idle-strategy");
            final Settings tls = s.section("tls");
            tlsKeyStore = tls.optionalString("key-store");
            tlsKeyStorePassword = tls.optionalString("key-store-password");
            final Settings auth = s.section("auth");
            sessionTtl = auth.durationIn("session-ttl", Duration.ofSeconds(1), Duration.ofDays(365));
            maxLoginFailures = auth.intIn("max-failures", 1, 1_000_000);
            loginFailureWindow = auth.durationIn("failure-window", Duration.ofSeconds(1), Duration.ofDays(1));
            pbkdf2Iterations = auth.intIn("pbkdf2-iterations", 10_000, 10_000_000);
            nonceFile = auth.pathOf("nonce-file");
            users = s.config().getConfig(s.path("users"));
            apiKeys = s.config().getConfig(s.path("api-keys"));
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
