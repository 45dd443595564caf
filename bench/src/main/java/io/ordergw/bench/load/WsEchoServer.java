package io.ordergw.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.ordergw.config.OrderGwConfig;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The machine's floor for the gateway over WebSocket: a bare Netty WebSocket server built as {@code GatewayServer}
 * builds its own (the same Netty, epoll where available, one acceptor thread and {@code ordergw.gateway.io-threads}
 * I/O threads, the same HTTP and WebSocket codecs and frame limits, no UTF-8 validation, TCP_NODELAY, the same write
 * watermarks) that answers each frame on its I/O thread and nothing more: a login frame with
 * {@code "Authenticated":true}, any other frame with the m=1 reply the gateway sends for a journaled
 * SendExchangeOrderStateEvent, byte for byte the same shape and size ({@code result}, {@code errormsg},
 * {@code errorcode}, {@code detail}, {@code SeqNum}). Replies are written as each frame is read and flushed once per
 * read batch. What is left between this and the gateway is the gateway's work: decode, route, engine, journal, reply.
 * <p>
 * The report runs it in a child JVM ({@link #startProcess}) for the same reason as the gateway: the generator's
 * garbage and JIT must not pause it, and it must compete for the cores as the gateway process does.
 */
public final class WsEchoServer implements AutoCloseable
{
    private static final byte[] LOGIN = "WebAuthenticateUser".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_HEAD = "{\"m\":1,\"i\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_MIDDLE = (",\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"{\\\"result\\\":true," +
        "\\\"errormsg\\\":null,\\\"errorcode\\\":0,\\\"detail\\\":null,\\\"SeqNum\\\":")
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_TAIL = "}\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOGIN_MIDDLE = (",\"n\":\"WebAuthenticateUser\",\"o\":\"{\\\"Authenticated\\\":true," +
        "\\\"SessionToken\\\":\\\"echo\\\",\\\"UserId\\\":1,\\\"UserName\\\":\\\"operator\\\",\\\"AccountId\\\":1," +
        "\\\"OMSId\\\":1,\\\"Requires2FA\\\":false,\\\"errormsg\\\":null}\"}").getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    private final Channel serverChannel;
    private final LongAdder echoed = new LongAdder();

    private WsEchoServer(final OrderGwConfig.Gateway settings, final String host, final int port)
        throws InterruptedException
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerSocketChannel> channelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, ioHandler);
        ioGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads, ioHandler);
        final int maxFrame = settings.maxFrameBytes;
        final WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/WSGateway")
            .checkStartsWith(true)
            .handleCloseFrames(true)
            .handshakeTimeoutMillis(10_000)
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrame)
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
                    p.addLast(new HttpServerCodec(4096, 16 * 1024, maxFrame));
                    p.addLast(new HttpObjectAggregator(maxFrame));
                    p.addLast(new WebSocketServerProtocolHandler(wsConfig));
                    p.addLast(new WebSocketFrameAggregator(maxFrame));
                    p.addLast(new EchoHandler(echoed));
                }
            });
        Channel bound = null;
        try
        {
            bound = bootstrap.bind(host, port).sync().channel();
        }
        finally
        {
            if (bound == null)
            {
                shutdown(bossGroup, ioGroup);
            }
        }
        serverChannel = bound;
    }

    /**
     * Start an echo server in this JVM.
     *
     * @param settings the gateway settings to copy (I/O threads, frame limit, write watermarks).
     * @param host     where to listen.
     * @param port     the port, 0 for a free one.
     * @return the running server.
     * @throws InterruptedException if interrupted while binding.
     */
    public static WsEchoServer start(final OrderGwConfig.Gateway settings, final String host, final int port)
        throws InterruptedException
    {
        return new WsEchoServer(settings, host, port);
    }

    /**
     * The child's main: an echo server with reference.conf's gateway settings on a free loopback port, until its
     * standard input closes.
     *
     * @param args none.
     * @throws Exception if it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        try (WsEchoServer server = start(OrderGwConfig.defaults().gateway, "127.0.0.1", 0))
        {
            ChildJvm.announce(server.url().toString());
            ChildJvm.awaitParentGone();
        }
    }

    /**
     * Start an echo server in a JVM of its own (this class path, the project's JVM flags).
     *
     * @param log where its output goes.
     * @return the running child; {@code close()} stops it.
     * @throws IOException if it does not come up within a minute.
     */
    public static ChildProcess startProcess(final File log) throws IOException
    {
        return new ChildProcess(ChildJvm.start(WsEchoServer.class, log));
    }

    /** An echo server running in a child JVM. */
    public static final class ChildProcess implements AutoCloseable
    {
        private final ChildJvm child;

        private ChildProcess(final ChildJvm child)
        {
            this.child = child;
        }

        /**
         * Its WebSocket URL.
         *
         * @return ws://127.0.0.1:port/WSGateway.
         */
        public URI url()
        {
            return child.url();
        }

        /** Stop it: close its stdin, wait for a clean stop. */
        @Override
        public void close()
        {
            child.close();
        }
    }

    /**
     * Where it listens.
     *
     * @return ws://host:port/WSGateway.
     */
    public URI url()
    {
        final InetSocketAddress address = (InetSocketAddress)serverChannel.localAddress();
        return URI.create("ws://" + address.getHostString() + ":" + address.getPort() + "/WSGateway");
    }

    /**
     * Frames answered so far.
     *
     * @return the count.
     */
    public long echoed()
    {
        return echoed.sum();
    }

    /**
     * Whether every event loop thread has ended (after {@link #close()}).
     *
     * @return true once stopped.
     */
    public boolean isTerminated()
    {
        return bossGroup.isTerminated() && ioGroup.isTerminated();
    }

    /** Stop listening, close every connection and end the event loop threads (waits up to 10 s). */
    @Override
    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        shutdown(bossGroup, ioGroup);
    }

    private static void shutdown(final EventLoopGroup boss, final EventLoopGroup io)
    {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boss.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
        io.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * Answers every text frame of one connection on its I/O thread. The frame's {@code i} is found with the
     * generator's own scanner ({@link WsFrames}) in a copy of the frame, as the gateway copies each frame out of
     * Netty's buffer before parsing it.
     */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter
    {
        private final LongAdder echoed;
        private byte[] in = new byte[4096];
        private final byte[] digits = new byte[20];
        private long seqNum;

        EchoHandler(final LongAdder echoed)
        {
            this.echoed = echoed;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (!(msg instanceof TextWebSocketFrame))
            {
                ctx.fireChannelRead(msg);
                return;
            }
            try
            {
                final ByteBuf content = ((TextWebSocketFrame)msg).content();
                final int length = content.readableBytes();
                if (in.length < length)
                {
                    in = new byte[Math.max(length, in.length * 2)];
                }
                content.getBytes(content.readerIndex(), in, 0, length);
                final long i = Math.max(0, WsFrames.sequence(in, 0, length));
                final boolean login = WsFrames.indexOf(LOGIN, in, 0, length) >= 0;
                ctx.write(new TextWebSocketFrame(reply(ctx, i, login)));
                echoed.increment();
            }
            finally
            {
                ReferenceCountUtil.release(msg);
            }
        }

        private ByteBuf reply(final ChannelHandlerContext ctx, final long i, final boolean login)
        {
            final ByteBuf out = ctx.alloc().buffer(256);
            out.writeBytes(REPLY_HEAD);
            out.writeBytes(digits, 0, WsFrames.putLong(digits, 0, i));
            if (login)
            {
                out.writeBytes(LOGIN_MIDDLE);
                return out;
            }
            out.writeBytes(REPLY_MIDDLE);
            out.writeBytes(digits, 0, WsFrames.putLong(digits, 0, ++seqNum));
            out.writeBytes(REPLY_TAIL);
            return out;
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
