package io.ordergw.gateway.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes account event frames to subscribers' connections from the router thread, and closes the connections of
 * subscribers that cannot keep up: the Netty side of the fan-out, which itself sees only sessions and bytes.
 * <p>
 * Live events and replayed ones are written differently, because Netty counts them differently as unsent data:
 * <ul>
 *     <li>A live event is handed to the channel's I/O thread as a plain task, which Netty does not count: a write
 *     submitted from this thread would count (Netty estimates queued writes) before the I/O thread had a chance to
 *     send it, so a burst of events to a consumer that reads promptly would fail the writability check.</li>
 *     <li>A replayed event is written from this thread, where Netty counts it as unsent data at once: the room check
 *     before the next event sees it, so a batch cannot overshoot however far behind the I/O thread is. The batch is
 *     flushed after it. The I/O thread runs these writes and the live events' tasks in the order they were handed
 *     over.</li>
 * </ul>
 */
public final class EventOutbound
{
    /** How long a closed slow consumer has to take its remaining data and the close frame. */
    public static final long SLOW_CONSUMER_CLOSE_GRACE_SECONDS = 10;

    /** Longest slow-consumer close reason (the protocol allows 123 bytes). */
    private static final int MAX_CLOSE_REASON = 120;
    /** A WebSocket close reason is at most 123 bytes. */
    private static final int MAX_REFUSAL_REASON = 123;

    /**
     * Whether a live event may be written: the session's unsent data is below
     * {@code ordergw.gateway.session-outbound-limit}.
     *
     * @param session the subscriber.
     * @return false if the session is a slow consumer.
     */
    public boolean isWritable(final ClientSession session)
    {
        return session.channel().isWritable();
    }

    /**
     * Whether a replay may write to a session: its unsent data is at most the low water mark. The other half of the
     * limit is kept for live events, so a replay never makes a session a slow consumer, nor does the replay of one
     * account make the same session's live subscription to another one look slow.
     *
     * @param session the subscriber.
     * @return true if a replayed event may be written now.
     */
    public boolean hasReplayRoom(final ClientSession session)
    {
        final Channel channel = session.channel();
        final WriteBufferWaterMark marks = channel.config().getWriteBufferWaterMark();
        return channel.bytesBeforeUnwritable() > marks.high() - marks.low();
    }

    /**
     * Send a live event frame, copied out of the buffer now.
     *
     * @param session the subscriber.
     * @param frame   holding the frame from index 0.
     * @param length  its length.
     * @return false if the I/O threads have stopped (the gateway is closing) and nothing was sent.
     */
    public boolean sendLive(final ClientSession session, final byte[] frame, final int length)
    {
        final Channel channel = session.channel();
        final TextWebSocketFrame message = textFrame(channel, frame, length);
        try
        {
            channel.eventLoop().execute(() -> channel.writeAndFlush(message, channel.voidPromise()));
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            message.release();
            return false;
        }
    }

    /**
     * Write a replayed event frame, copied out of the buffer now, without flushing.
     *
     * @param session the subscriber.
     * @param frame   holding the frame from index 0.
     * @param length  its length.
     * @return false if the I/O threads have stopped (Netty has released the frame): the gateway is closing.
     */
    public boolean writeReplay(final ClientSession session, final byte[] frame, final int length)
    {
        final Channel channel = session.channel();
        try
        {
            channel.write(textFrame(channel, frame, length), channel.voidPromise());
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;
        }
    }

    /**
     * Flush the replayed events written to a session.
     *
     * @param session the subscriber.
     * @return false if the I/O threads have stopped: the gateway is closing.
     */
    public boolean flush(final ClientSession session)
    {
        try
        {
            session.channel().flush();
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            return false;
        }
    }

    /**
     * End a session that cannot keep up: a close 1008 with the reason, and the socket after it has gone or after
     * {@link #SLOW_CONSUMER_CLOSE_GRACE_SECONDS}, because a peer that never reads never lets the close frame out.
     *
     * @param session the subscriber.
     * @param reason  the close reason, cut to 120 characters.
     */
    public void closeSlowConsumer(final ClientSession session, final String reason)
    {
        final Channel channel = session.channel();
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION.code(),
            reason.length() > MAX_CLOSE_REASON ? reason.substring(0, MAX_CLOSE_REASON) : reason))
            .addListener(ChannelFutureListener.CLOSE);
        try
        {
            channel.eventLoop().schedule(() -> channel.close(), SLOW_CONSUMER_CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            channel.close(); // the I/O threads are stopping
        }
    }

    /**
     * End a subscriber's connection at once with a close 1008 and the reason: its stream cannot be what it asked
     * for (a replay from a SeqNum the journal no longer holds).
     *
     * @param session the subscriber.
     * @param reason  the close reason, cut to the 123 bytes a close frame carries.
     */
    public void closeRefused(final ClientSession session, final String reason)
    {
        session.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION.code(),
            reason.length() > MAX_REFUSAL_REASON ? reason.substring(0, MAX_REFUSAL_REASON) : reason))
            .addListener(ChannelFutureListener.CLOSE);
    }

    private static TextWebSocketFrame textFrame(final Channel channel, final byte[] frame, final int length)
    {
        final ByteBuf buf = channel.alloc().buffer(length);
        buf.writeBytes(frame, 0, length);
        return new TextWebSocketFrame(buf);
    }
}
