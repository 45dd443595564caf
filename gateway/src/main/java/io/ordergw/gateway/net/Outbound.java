package io.ordergw.gateway.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import org.agrona.ExpandableArrayBuffer;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;

import java.util.Arrays;

/**
 * Writes one answer to a session: an APEX frame over WebSocket ({@code {"m":1,"i":..,"n":..,"o":"<payload>"}}) or the
 * bare payload as an HTTP response with the status that matches it (docs/api.md section 1). One instance per thread.
 * <p>
 * Usage: {@code JsonWriter w = out.begin(session, m, i, name); ...write the payload...; out.send(errorCode);}
 * <p>
 * On a connection's own I/O thread a frame is written and flushed at once. From another thread (the router) it is
 * written without a flush, which Netty queues for the I/O thread without waking it, and {@link #flush()}, called
 * once at the end of the router's duty cycle, flushes each connection written to: one wake-up and one socket write
 * per connection per cycle instead of one per answer. Frames keep their order with everything else handed to the
 * same I/O thread, as they are all tasks of its one queue.
 */
public final class Outbound
{
    /** {@link #send(int, int)}: the error code alone chooses the HTTP status. */
    public static final int PLAIN = 0;
    /** {@link #send(int, int)}: a 20 because no one is logged in: 401. */
    public static final int NOT_LOGGED_IN = 1;
    /** {@link #send(int, int)}: a 102 because the gateway is busy (a full queue), worth a retry: 503. */
    public static final int BUSY = 2;

    /** Whether the HTTP request being answered asked to keep the connection open. */
    public static final AttributeKey<Boolean> KEEP_ALIVE = AttributeKey.valueOf("ordergw.keepAlive");

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final JsonWriter writer = new JsonWriter();
    private ClientSession session;
    private ClientSession[] unflushed = new ClientSession[16];
    private int unflushedCount;

    /**
     * Start an answer whose function name is a constant.
     *
     * @param session  to whom.
     * @param m        message type (1 reply, 3 event, 5 error).
     * @param i        the client's sequence number.
     * @param function n.
     * @return the writer, positioned for the payload document.
     */
    public JsonWriter begin(final ClientSession session, final int m, final long i, final String function)
    {
        this.session = session;
        writer.wrap(buffer, 0);
        if (session.isWebSocket())
        {
            ApexFrameEncoder.beginFrame(writer, m, i, function);
        }
        return writer;
    }

    /**
     * Start an answer echoing the function name as the client sent it.
     *
     * @param session    to whom.
     * @param m          message type.
     * @param i          the client's sequence number.
     * @param name       n's bytes.
     * @param nameLength n's length.
     * @return the writer, positioned for the payload document.
     */
    public JsonWriter begin(
        final ClientSession session, final int m, final long i, final byte[] name, final int nameLength)
    {
        this.session = session;
        writer.wrap(buffer, 0);
        if (session.isWebSocket())
        {
            ApexFrameEncoder.beginFrame(writer, m, i, name, nameLength);
        }
        return writer;
    }

    /**
     * Finish and send the answer begun last.
     *
     * @param errorCode the APEX error code the payload carries (chooses the HTTP status).
     */
    public void send(final int errorCode)
    {
        send(errorCode, PLAIN);
    }

    /**
     * Finish and send, choosing the HTTP status with what the code alone does not say.
     *
     * @param errorCode the APEX error code.
     * @param reason    {@link #PLAIN}, {@link #NOT_LOGGED_IN} (code 20: 401, not 403) or {@link #BUSY} (code 102:
     *                  503, not 500).
     */
    public void send(final int errorCode, final int reason)
    {
        final ClientSession target = session;
        session = null;
        final Channel channel = target.channel();
        if (target.isWebSocket())
        {
            ApexFrameEncoder.endFrame(writer);
            final TextWebSocketFrame frame = new TextWebSocketFrame(copy(channel));
            if (channel.eventLoop().inEventLoop())
            {
                channel.writeAndFlush(frame, channel.voidPromise());
            }
            else
            {
                channel.write(frame, channel.voidPromise());
                awaitFlush(target);
            }
        }
        else
        {
            final FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, httpStatus(errorCode, reason), copy(channel));
            response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            channel.writeAndFlush(response).addListener(HttpReadResume.INSTANCE);
        }
    }

    /**
     * Flush every WebSocket connection written to from this (non-I/O) thread since the last flush.
     *
     * @return the connections flushed.
     */
    public int flush()
    {
        final int count = unflushedCount;
        final ClientSession[] sessions = unflushed;
        for (int i = 0; i < count; i++)
        {
            final ClientSession target = sessions[i];
            sessions[i] = null;
            target.awaitingFlush = false;
            target.channel().flush();
        }
        unflushedCount = 0;
        return count;
    }

    private void awaitFlush(final ClientSession target)
    {
        if (!target.awaitingFlush)
        {
            target.awaitingFlush = true;
            if (unflushedCount == unflushed.length)
            {
                unflushed = Arrays.copyOf(unflushed, unflushedCount * 2);
            }
            unflushed[unflushedCount++] = target;
        }
    }

    private ByteBuf copy(final Channel channel)
    {
        final int length = writer.position();
        final ByteBuf buf = channel.alloc().buffer(length);
        buf.writeBytes(buffer.byteArray(), 0, length);
        return buf;
    }

    /**
     * The HTTP status of an APEX answer (api.md section 1): 200, 400 for 100, 401 (not logged in) or 403 for 20, 409
     * for 101, 503 (busy: retry) or 500 (the journal, the disk or the book) for 102, 404 for 104 and 106.
     *
     * @param errorCode APEX code.
     * @param reason    {@link #PLAIN}, {@link #NOT_LOGGED_IN} or {@link #BUSY}.
     * @return the status.
     */
    public static HttpResponseStatus httpStatus(final int errorCode, final int reason)
    {
        final boolean notLoggedIn = reason == NOT_LOGGED_IN;
        switch (errorCode)
        {
            case ApexError.NONE:
                return HttpResponseStatus.OK;
            case ApexError.NOT_AUTHORIZED:
                return notLoggedIn ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN;
            case ApexError.INVALID_REQUEST:
                return HttpResponseStatus.BAD_REQUEST;
            case ApexError.OPERATION_FAILED:
                return HttpResponseStatus.CONFLICT;
            case ApexError.SERVER_ERROR:
                return reason == BUSY ? HttpResponseStatus.SERVICE_UNAVAILABLE :
                    HttpResponseStatus.INTERNAL_SERVER_ERROR;
            case ApexError.NOT_FOUND:
            case ApexError.NOT_SUPPORTED:
                return HttpResponseStatus.NOT_FOUND;
            default:
                return HttpResponseStatus.INTERNAL_SERVER_ERROR;
        }
    }

    /** HTTP requests are read one at a time per connection: reading resumes once the answer is written. */
    static final class HttpReadResume implements ChannelFutureListener
    {
        static final HttpReadResume INSTANCE = new HttpReadResume();

        @Override
        public void operationComplete(final ChannelFuture future)
        {
            final Channel channel = future.channel();
            if (!Boolean.TRUE.equals(channel.attr(KEEP_ALIVE).get()))
            {
                channel.close();
            }
            else if (channel.isActive())
            {
                channel.config().setAutoRead(true);
                channel.read();
            }
        }
    }
}
