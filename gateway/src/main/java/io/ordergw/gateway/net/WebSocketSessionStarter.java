package io.ordergw.gateway.net;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Waits at the end of the pipeline for the WebSocket handshake to complete, then opens the session and puts the
 * frame handler in its place.
 */
final class WebSocketSessionStarter extends ChannelInboundHandlerAdapter
{
    private final GatewayChannels channels;

    WebSocketSessionStarter(final GatewayChannels channels)
    {
        this.channels = channels;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            final ClientSession session = channels.open(ctx.channel(), true);
            if (session == null)
            {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.TRY_AGAIN_LATER,
                    "too many connections (ordergw.gateway.max-connections)")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            final HttpRequestHandler http = ctx.pipeline().get(HttpRequestHandler.class);
            if (http != null)
            {
                ctx.pipeline().remove(http); // no more HTTP on this connection; idle events go to the frame handler
            }
            ctx.pipeline().replace(this, "apex", new WebSocketFrameHandler(channels, session));
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
