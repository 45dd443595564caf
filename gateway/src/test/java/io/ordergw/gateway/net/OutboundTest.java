package io.ordergw.gateway.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.JsonWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Answers written from the router thread reach each client in the order they were written, with one flush per
 * connection per duty cycle; answers written on the connection's own I/O thread go out at once.
 */
@Timeout(30)
class OutboundTest
{
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    private final List<Channel> channels = new ArrayList<>();
    private Channel server;

    @BeforeEach
    void listen() throws Exception
    {
        final LocalAddress address = new LocalAddress("outbound-test-" + System.nanoTime());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
            .childHandler(new ChannelInitializer<LocalChannel>()
            {
                @Override
                protected void initChannel(final LocalChannel ch)
                {
                    accepted.add(ch);
                }
            })
            .bind(address).sync().channel();
    }

    @AfterEach
    void close() throws Exception
    {
        for (final Channel channel : channels)
        {
            channel.close().sync();
        }
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void answersFromAnotherThreadLeaveOnlyWhenFlushedAndInOrder() throws Exception
    {
        final BlockingQueue<String> first = new LinkedBlockingQueue<>();
        final BlockingQueue<String> second = new LinkedBlockingQueue<>();
        final ClientSession a = session(1, first);
        final ClientSession b = session(2, second);
        final Outbound out = new Outbound();

        answer(out, a, 7);
        answer(out, b, 8);
        answer(out, a, 9);
        assertNull(first.poll(200, TimeUnit.MILLISECONDS), "written, not yet flushed: nothing on the wire");

        assertEquals(2, out.flush(), "one flush per connection, however many answers it had");
        assertEquals(frame(7), first.poll(10, TimeUnit.SECONDS));
        assertEquals(frame(9), first.poll(10, TimeUnit.SECONDS));
        assertEquals(frame(8), second.poll(10, TimeUnit.SECONDS));
        assertEquals(0, out.flush(), "nothing left to flush");

        answer(out, b, 10);
        assertEquals(1, out.flush(), "a connection flushed before is flushed again when written to again");
        assertEquals(frame(10), second.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void anAnswerOnTheConnectionsOwnIoThreadGoesOutAtOnce() throws Exception
    {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final ClientSession session = session(3, received);
        final Outbound out = new Outbound();
        session.channel().eventLoop().submit(() -> answer(out, session, 11)).sync();
        assertEquals(frame(11), received.poll(10, TimeUnit.SECONDS));
        assertEquals(0, out.flush());
    }

    private ClientSession session(final long id, final BlockingQueue<String> received) throws Exception
    {
        final Channel client = new Bootstrap().group(group).channel(LocalChannel.class)
            .handler(new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    final TextWebSocketFrame frame = (TextWebSocketFrame)msg;
                    received.add(frame.text());
                    frame.release();
                }
            })
            .connect(server.localAddress()).sync().channel();
        channels.add(client);
        final Channel serverSide = accepted.poll(10, TimeUnit.SECONDS);
        channels.add(serverSide);
        return new ClientSession(id, serverSide, true, "local");
    }

    private static void answer(final Outbound out, final ClientSession session, final long i)
    {
        final JsonWriter w = out.begin(session, 1, i, "Ping");
        w.beginObject();
        w.key("msg").value("PONG");
        w.endObject();
        out.send(ApexError.NONE);
    }

    private static String frame(final long i)
    {
        return "{\"m\":1,\"i\":" + i + ",\"n\":\"Ping\",\"o\":\"{\\\"msg\\\":\\\"PONG\\\"}\"}";
    }
}
