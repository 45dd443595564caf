package io.ordergw.gateway.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.gateway.StartupFailure;
import io.ordergw.gateway.auth.Authenticator;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import io.ordergw.config.ConfigError;

/**
 * The Netty server: HTTP and WebSocket on one port, TLS when a key store is configured. Epoll where the platform has
 * it, NIO elsewhere.
 */
public final class GatewayServer implements AutoCloseable
{
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;
    private final boolean tls;

    /**
     * Bind and start serving.
     *
     * @param settings      the gateway settings.
     * @param channels      what handlers share.
     * @param authenticator logins.
     * @param pages         the plain HTTP pages.
     * @throws InterruptedException if interrupted while binding.
     */
    public GatewayServer(
        final OrderGwConfig.Gateway settings,
        final GatewayChannels channels,
        final Authenticator authenticator,
        final HttpPages pages) throws InterruptedException
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerSocketChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, ioHandler);
        ioGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads, ioHandler);
        final SslContext sslContext = sslContext(settings);
        tls = sslContext != null;
        final int maxFrame = settings.maxFrameBytes;
        // In milliseconds: a sub-second setting (idle-timeout = 500ms) must not round down to 0, which turns it off.
        final long idleMillis = settings.idleTimeout.toMillis();
        final WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/WSGateway")
            .checkStartsWith(true)
            .handleCloseFrames(true)
            .handshakeTimeoutMillis(10_000)
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame)
                // Jackson rejects malformed UTF-8 as it parses the frame; validating it twice cost 15% of the I/O
                // thread.
                .withUTF8Validator(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build())
            .build();

        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, ioGroup)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(settings.sessionOutboundLimit / 2, settings.sessionOutboundLimit))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ChannelPipeline p = ch.pipeline();
                    if (sslContext != null)
                    {
                        p.addLast(sslContext.newHandler(ch.alloc()));
                    }
                    p.addLast(new HttpServerCodec(4096, 16 * 1024, maxFrame));
                    p.addLast(new HttpObjectAggregator(maxFrame));
                    if (idleMillis > 0)
                    {
                        p.addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
                    }
                    p.addLast(new HttpRequestHandler(channels, authenticator, pages));
                    p.addLast(new WebSocketServerProtocolHandler(wsConfig));
                    p.addLast(new WebSocketFrameAggregator(maxFrame));
                    p.addLast(new WebSocketSessionStarter(channels));
                }
            });
        serverChannel = bind(bootstrap, settings);
    }

    private Channel bind(
        final ServerBootstrap bootstrap, final OrderGwConfig.Gateway settings) throws InterruptedException
    {
        try
        {
            return bootstrap.bind(settings.host, settings.port).sync().channel();
        }
        catch (final Exception ex)
        {
            // The port is taken or the address is wrong: the event loop threads must not outlive the failure.
            bossGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            ioGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (ex instanceof IOException)
            {
                throw portTaken(settings, ex); // taken between checkStartable and here (epoll's is not a BindException)
            }
            throw ex;
        }
    }

    /**
     * What the server needs from the host and the settings, checked before the gateway opens its journal: the TLS key
     * store loads and the port is free. The port check binds and closes a socket of its own (with the same
     * SO_REUSEADDR as the server), so a port in use is refused in one line; port 0 is not checked.
     *
     * @param settings the {@code ordergw.gateway} settings.
     * @throws io.ordergw.config.ConfigError naming {@code ordergw.gateway.tls.key-store} if it cannot be loaded.
     * @throws StartupFailure                naming {@code ordergw.gateway.port} (or {@code host}) if it cannot be
     *                                       bound.
     */
    public static void checkStartable(final OrderGwConfig.Gateway settings)
    {
        sslContext(settings);
        if (settings.port == 0)
        {
            return;
        }
        final InetSocketAddress address = new InetSocketAddress(settings.host, settings.port);
        if (address.isUnresolved())
        {
            throw new StartupFailure("ordergw.gateway.host", "unknown host " + settings.host);
        }
        try (ServerSocket probe = new ServerSocket())
        {
            probe.setReuseAddress(true);
            probe.bind(address);
        }
        catch (final BindException ex)
        {
            throw portTaken(settings, ex);
        }
        catch (final IOException ex)
        {
            throw new StartupFailure(
                "ordergw.gateway.port", "cannot bind " + settings.host + ":" + settings.port + ": " + ex, ex);
        }
    }

    private static StartupFailure portTaken(final OrderGwConfig.Gateway settings, final Exception ex)
    {
        return new StartupFailure("ordergw.gateway.port", settings.host + ":" + settings.port + " cannot be bound: " +
            StartupFailure.oneLine(ex.getMessage()) + " (another gateway or process listens on it; --port 0 picks a " +
            "free one)", ex);
    }

    /**
     * Where the server listens (the port is the real one when 0 was configured).
     *
     * @return the address.
     */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /**
     * Whether the server speaks TLS.
     *
     * @return true for wss/https.
     */
    public boolean isTls()
    {
        return tls;
    }

    private static SslContext sslContext(final OrderGwConfig.Gateway settings)
    {
        if (settings.tlsKeyStore.isEmpty())
        {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(settings.tlsKeyStore)))
        {
            final char[] password = settings.tlsKeyStorePassword.toCharArray();
            final KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            return SslContextBuilder.forServer(kmf).build();
        }
        catch (final Exception ex)
        {
            throw new ConfigError("ordergw.gateway.tls.key-store",
                "cannot load " + settings.tlsKeyStore + " as a PKCS#12 key store with key-store-password: " +
                StartupFailure.oneLine(ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        }
    }

    /**
     * Stop accepting, close every connection, stop the threads.
     */
    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
