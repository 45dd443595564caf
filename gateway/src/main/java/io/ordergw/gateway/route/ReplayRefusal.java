package io.ordergw.gateway.route;

import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.ordergw.gateway.net.ClientSession;

/**
 * Ends a subscription whose replay cannot start where it asked because the journal no longer starts there: its
 * oldest cycles were archived after the Subscribe was answered (the Subscribe itself refuses a FromSeqNum before the
 * oldest retained event). The connection is closed with a reason naming the oldest SeqNum, so the client never
 * receives a stream that silently starts later.
 */
final class ReplayRefusal
{
    /** A WebSocket close reason is at most 123 bytes. */
    private static final int MAX_REASON = 123;

    private ReplayRefusal()
    {
    }

    /**
     * Close the session's connection.
     *
     * @param session    the subscriber.
     * @param fromSeqNum the SeqNum it asked for.
     * @param oldest     the journal's oldest retained SeqNum.
     */
    static void close(final ClientSession session, final long fromSeqNum, final long oldest)
    {
        final String reason = "FromSeqNum: " + fromSeqNum + " is before the oldest retained event, SeqNum " + oldest;
        session.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION.code(),
            reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason))
            .addListener(ChannelFutureListener.CLOSE);
    }
}
