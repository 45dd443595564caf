package io.ordergw.gateway;

import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.auth.PasswordHasher;
import io.ordergw.gateway.auth.UserDirectory;
import io.ordergw.gateway.demo.DemoFeed;
import io.ordergw.gateway.feed.TailFeedCommand;
import io.ordergw.gateway.stat.StatCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ordergw} command: starts the gateway (engine, router, server) on the embedded defaults or a config file.
 */
@Command(name = "ordergw", mixinStandardHelpOptions = true, version = "ordergw 0.1.0",
    description = "Low-latency exchange order gateway (AlphaPoint APEX protocol).",
    subcommands = {Main.HashPassword.class, JournalCommands.Archive.class, JournalCommands.Verify.class,
        TailFeedCommand.class, StatCommand.class})
public final class Main implements Callable<Integer>
{
    @Option(names = {"-c", "--config"},
        description = "HOCON settings file (overrides reference.conf); a relative path is from the current directory.")
    private Path configFile;

    @Option(names = "--host", description = "Bind address (ordergw.gateway.host).")
    private String host;

    @Option(names = "--port", description = "Port (ordergw.gateway.port); 0 picks a free one.")
    private Integer port;

    @Option(names = "--data-dir", description = "Journal and snapshot root (ordergw.data-dir).")
    private Path dataDir;

    @Option(names = "--demo", description = "Add the users operator (Operator) and trader (Trading, account 1); "
        + "the password comes from ORDERGW_DEMO_PASSWORD or is generated and printed.")
    private boolean demo;

    @Option(names = "--demo-feed", arity = "0..1", fallbackValue = "5", paramLabel = "EVENTS_PER_SECOND",
        description = "With --demo: play a stream of order lifecycles as the operator (default ${FALLBACK-VALUE}/s).")
    private Integer demoFeedRate;

    /** Exit code of a bad setting (or a bad combination of options). */
    static final int EXIT_BAD_SETTING = 2;
    /** Exit code of a gateway that cannot start on this host (a port or directory in use, an unreadable journal). */
    static final int EXIT_CANNOT_START = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /**
     * Run the command line.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        OrderGwConfig config;
        try
        {
            // Resolved here, against this process's working directory, whatever a launcher or a library resolves
            // relative paths against later.
            final Path file = configFile == null ? null : configFile.toAbsolutePath();
            config = OrderGwConfig.load(file, overrides());
            if (demo && config.instruments.isEmpty())
            {
                config = OrderGwConfig.load(file, overrides().withFallback(DemoFeed.instruments()));
            }
            LogSettings.apply(config);
        }
        catch (final ConfigError ex)
        {
            return refuse(ex, EXIT_BAD_SETTING);
        }
        if (demoFeedRate != null && !demo)
        {
            System.err.println("ordergw: --demo-feed needs --demo (the feed logs in as the demo operator)");
            return EXIT_BAD_SETTING;
        }

        String demoPassword = null;
        UserDirectory demoUsers = null;
        if (demo)
        {
            demoPassword = System.getenv("ORDERGW_DEMO_PASSWORD");
            final boolean generated = demoPassword == null || demoPassword.isEmpty();
            if (generated)
            {
                demoPassword = generatePassword();
            }
            demoUsers = UserDirectory.demo(demoPassword, config.omsId);
            System.out.println("demo users: operator (Operator), trader (Trading, account 1); password " +
                (generated ? demoPassword + " (generated; set ORDERGW_DEMO_PASSWORD to choose one)" :
                "from ORDERGW_DEMO_PASSWORD"));
        }

        final OrderGateway gateway;
        try
        {
            gateway = OrderGateway.launch(config, demoUsers);
        }
        catch (final ConfigError ex)
        {
            return refuse(ex, EXIT_BAD_SETTING);
        }
        catch (final StartupFailure ex)
        {
            return refuse(ex, EXIT_CANNOT_START);
        }
        catch (final RuntimeException ex)
        {
            // Not foreseen: still one line, with the exception's type so that the log's stack trace can be found.
            LOG.debug("ordergw: start-up failed", ex);
            System.err.println("ordergw: cannot start: " + StartupFailure.oneLine(ex.toString()));
            return EXIT_CANNOT_START;
        }
        final DemoFeed feed = demoFeedRate == null ? null :
            DemoFeed.start(gateway.webSocketUrl(), "operator", demoPassword, config.omsId, demoFeedRate);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            System.out.println("ordergw: stopping");
            if (feed != null)
            {
                feed.close();
            }
            gateway.close();
            stopped.countDown();
        }, "ordergw-shutdown"));

        System.out.println("ordergw listening: " + gateway.webSocketUrl() + "  " + gateway.httpUrl() +
            "/AP/{Function}  " +
            "status " + gateway.httpUrl() + "/  metrics " + gateway.httpUrl() + "/metrics");
        System.out.println("feed: media driver " + gateway.aeronDirectoryName() +
            (gateway.udpChannel().isEmpty() ? "; no UDP feed" :
            "; UDP " + gateway.udpChannel() + " stream " + config.publisher.udpStreamId) +
            (gateway.replayControlChannel().isEmpty() ? "" :
            "; replay requests " + gateway.replayControlChannel() + " stream " +
            config.publisher.replayControlStreamId));
        System.out.println("journal " + config.journal.dir.toAbsolutePath() + " at SeqNum " +
            gateway.engine().recovery().book.lastSeqNum() + "; Ctrl-C stops cleanly");
        stopped.await();
        return 0;
    }

    /**
     * A start-up failure is one line on stderr naming the setting or resource; the stack trace goes to the log at
     * debug level only, where it is found when it is needed and does not bury the line on a console.
     */
    private static int refuse(final RuntimeException ex, final int exitCode)
    {
        LOG.debug("ordergw: start-up refused", ex);
        System.err.println("ordergw: " + (ex instanceof ConfigError ? "bad setting: " : "cannot start: ") +
            StartupFailure.oneLine(ex.getMessage()));
        return exitCode;
    }

    private Config overrides()
    {
        final Map<String, Object> values = new HashMap<>();
        if (host != null)
        {
            values.put("ordergw.gateway.host", host);
        }
        if (port != null)
        {
            values.put("ordergw.gateway.port", port);
        }
        if (dataDir != null)
        {
            values.put("ordergw.data-dir", dataDir.toString());
        }
        return ConfigFactory.parseMap(values);
    }

    private static String generatePassword()
    {
        final String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
        final SecureRandom random = new SecureRandom();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++)
        {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** {@code ordergw hash-password}: print a password hash for the users section of the config. */
    @Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Read a password (from the console, or stdin) and print its hash for ordergw.gateway.users.")
    static final class HashPassword implements Callable<Integer>
    {
        @Option(names = "--iterations", defaultValue = "210000",
            description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
        private int iterations;

        @Override
        public Integer call() throws Exception
        {
            final Console console = System.console();
            final char[] password;
            if (console != null)
            {
                password = console.readPassword("password: ");
            }
            else
            {
                final String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
                password = line == null ? new char[0] : line.toCharArray();
            }
            if (password == null || password.length == 0)
            {
                System.err.println("ordergw: empty password");
                return 2;
            }
            System.out.println(PasswordHasher.hash(password, iterations));
            Arrays.fill(password, '\0');
            return 0;
        }
    }
}
