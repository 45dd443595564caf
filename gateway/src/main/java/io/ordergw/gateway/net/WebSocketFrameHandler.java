package io.ordergw.gateway.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * APEX over WebSocket: each text frame is one request, answered by the I/O thread's processor. Binary frames are
 * refused (close 1003), an idle connection is closed (1001), oversized frames are refused by the decoder (1009), and
 * so are oversized messages sent in fragments, by the aggregator.
 */
public final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    private final GatewayChannels channels;
    private final ClientSession session;
    private byte[] scratch = new byte[4096];
    private boolean pausedUntilWritable;

    WebSocketFrameHandler(final GatewayChannels channels, final ClientSession session)
    {
        this.channels = channels;
        this.session = session;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
    {
        if (frame instanceof TextWebSocketFrame)
        {
            final ByteBuf content = frame.content();
            final int length = content.readableBytes();
            if (scratch.length < length)
            {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            content.getBytes(content.readerIndex(), scratch, 0, length);
            if (!channels.processor().onFrame(session, scratch, 0, length))
            {
                // The answer comes from another thread (a login): read nothing more until it is written.
                ctx.channel().config().setAutoRead(false);
            }
            else if (!ctx.channel().isWritable())
            {
                // A client that sends faster than it reads its answers: read nothing more until they have drained,
                // so that TCP holds its backlog instead of the gateway's memory (and the I/O thread serves others).
                pausedUntilWritable = true;
                ctx.channel().config().setAutoRead(false);
            }
        }
        else if (frame instanceof BinaryWebSocketFrame)
        {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                "binary frames are not supported: send APEX JSON in text frames"))
                .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        if (pausedUntilWritable && ctx.channel().isWritable())
        {
            pausedUntilWritable = false;
            ctx.channel().config().setAutoRead(true);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof IdleStateEvent)
        {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
                "idle timeout: nothing received within ordergw.gateway.idle-timeout"))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof TooLongFrameException)
        {
            // A message sent in fragments that together pass the limit (one frame that does is refused by the
            // decoder, with the same code): a client's mistake, not a fault to log.
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                "message larger than ordergw.gateway.max-frame-bytes")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        channels.onException(ctx, cause);
    }
}
