package io.ordergw.gateway.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * APEX over WebSocket: each text frame is one request, answered by the I/O thread's processor. Binary frames are
 * refused (close 1003), an idle connection is closed (1001), oversized frames are refused by the decoder (1009).
 */
public final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame>
{
    private final GatewayChannels channels;
    private final ClientSession session;
    private byte[] scratch = new byte[4096];

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
        }
        else if (frame instanceof BinaryWebSocketFrame)
        {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                "binary frames are not supported: send APEX JSON in text frames"))
                .addListener(ChannelFutureListener.CLOSE);
        }
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
        channels.onException(ctx, cause);
    }
}
