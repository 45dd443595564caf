package io.ordergw.gateway.net;

import io.netty.channel.Channel;
import io.ordergw.gateway.auth.AuthSession;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection (a WebSocket, or an HTTP connection carrying requests one at a time). It is what the engine's
 * replies and the account events are routed to, by its {@link #id()}.
 * <p>
 * Fields written by the connection's I/O thread and read by the router thread are volatile or atomic; everything
 * else belongs to one thread, as noted.
 */
public final class ClientSession
{
    private final long id;
    private final Channel channel;
    private final boolean webSocket;
    private final String remoteAddress;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile AuthSession auth;
    private volatile boolean closed;
    /** Written and read by the router thread's {@link Outbound} only. */
    boolean awaitingFlush;

    ClientSession(final long id, final Channel channel, final boolean webSocket, final String remoteAddress)
    {
        this.id = id;
        this.channel = channel;
        this.webSocket = webSocket;
        this.remoteAddress = remoteAddress;
    }

    /**
     * The id replies and events are routed by: a registry slot and a generation, so a reused slot never receives
     * an old session's replies.
     *
     * @return the id.
     */
    public long id()
    {
        return id;
    }

    /**
     * The Netty channel.
     *
     * @return the channel.
     */
    public Channel channel()
    {
        return channel;
    }

    /**
     * Whether this is a WebSocket session (else HTTP).
     *
     * @return true for WebSocket.
     */
    public boolean isWebSocket()
    {
        return webSocket;
    }

    /**
     * The peer's address, for login throttling and logs.
     *
     * @return address text.
     */
    public String remoteAddress()
    {
        return remoteAddress;
    }

    /**
     * The login this session acts as.
     *
     * @return the authenticated session, or null when not logged in.
     */
    public AuthSession auth()
    {
        return auth;
    }

    /**
     * Set or clear the login.
     *
     * @param auth the login or null.
     */
    public void auth(final AuthSession auth)
    {
        this.auth = auth;
    }

    /**
     * Requests waiting for the engine.
     *
     * @return the counter.
     */
    public AtomicInteger inFlight()
    {
        return inFlight;
    }

    /**
     * Whether the connection has closed.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    void markClosed()
    {
        closed = true;
    }

    @Override
    public String toString()
    {
        return "ClientSession{" + Long.toHexString(id) + " " + remoteAddress + (webSocket ? " ws" : " http") + "}";
    }
}
