package io.ordergw.gateway;

import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.auth.UserDirectory;

import java.nio.file.Path;

/**
 * A gateway on a free loopback port and a temporary data directory, with the demo users.
 */
public final class GatewayHarness implements AutoCloseable
{
    public static final String PASSWORD = "test-password";

    public final OrderGateway gateway;
    public final Path dir;

    /**
     * Start a gateway.
     *
     * @param dir   the data directory.
     * @param hocon extra settings.
     * @throws Exception on failure.
     */
    public GatewayHarness(final Path dir, final String hocon) throws Exception
    {
        this.dir = dir;
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
            "ordergw.gateway.port = 0\n" +
            "ordergw.engine.ingress-ring-bytes = 1MiB\nordergw.engine.egress-ring-bytes = 1MiB\n" +
            "ordergw.journal.min-free-space = 0\n" +
            "ordergw.aeron.term-length = 256KiB\n" +
            // Each gateway its own driver directory, and no UDP ports: tests run side by side.
            "ordergw.aeron.dir = \"" + dir.resolve("aeron") + "\"\n" +
            "ordergw.publisher.udp-channel = \"\"\nordergw.publisher.replay-control-channel = \"\"\n" +
            hocon);
        gateway = OrderGateway.launch(config, UserDirectory.demo(PASSWORD, config.omsId));
    }

    /**
     * Start with defaults.
     *
     * @param dir the data directory.
     * @throws Exception on failure.
     */
    public GatewayHarness(final Path dir) throws Exception
    {
        this(dir, "");
    }

    /**
     * A connected client.
     *
     * @return the client.
     * @throws Exception on failure.
     */
    public ApexClient client() throws Exception
    {
        return ApexClient.connect(gateway.webSocketUrl());
    }

    /**
     * A client logged in.
     *
     * @param user the demo user.
     * @return the client.
     * @throws Exception on failure.
     */
    public ApexClient login(final String user) throws Exception
    {
        final ApexClient client = client();
        final Object authenticated = client.login(user, PASSWORD).get("Authenticated");
        if (!Boolean.TRUE.equals(authenticated))
        {
            throw new AssertionError("login failed for " + user);
        }
        return client;
    }

    @Override
    public void close()
    {
        gateway.close();
    }
}
