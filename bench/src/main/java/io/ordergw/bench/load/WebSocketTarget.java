package io.ordergw.bench.load;

import io.ordergw.bench.fixture.SamplePayloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.nio.charset.StandardCharsets;

/**
 * A running gateway over N WebSocket connections as a load target. Each connection logs in as an Operator; request
 * {@code k} goes to connection {@code k % N} as a SendExchangeOrderStateEvent frame with {@code i = k}: on each
 * connection, a new order, then its cancel, then the next order (so a connection's requests never depend on another
 * connection's). The answer is the m=1 frame with the same {@code i}.
 * <p>
 * All connections are driven from the generator's thread with non-blocking sockets and one selector: no client
 * threads compete with the gateway for the machine's cores.
 */
public final class WebSocketTarget implements LoadTarget
{
    private static final String FUNCTION = "SendExchangeOrderStateEvent";
    private static final int BUFFER_BYTES = 4 << 20;

    private final String name;
    private final WsConnection[] connections;
    private final Selector selector;
    private final int maxInFlightPerConnection;
    private final WsFrames.Template newOrder;
    private final WsFrames.Template cancel;
    private long orderIdBase;
    private long nextOrderIdBase = 1_000_000_000L;
    private ReplyHandler handler;
    private WsConnection reading;
    private long receivedNanos;
    private int answers;
    private final WsConnection.TextHandler onText = this::onText;

    /**
     * Connect and log in.
     *
     * @param url                      the gateway's WebSocket URL.
     * @param user                     an Operator user.
     * @param password                 its password.
     * @param connections              how many connections.
     * @param maxInFlightPerConnection requests one connection may have unanswered (the gateway refuses more than
     *                                 its ordergw.gateway.max-in-flight-per-session, 1024 by default).
     * @throws IOException if a connection or login fails.
     */
    public WebSocketTarget(
        final URI url,
        final String user,
        final String password,
        final int connections,
        final int maxInFlightPerConnection)
        throws IOException
    {
        this("WebSocket x" + connections, url, user, password, connections, maxInFlightPerConnection);
    }

    /**
     * Connect and log in, under a name for reports.
     *
     * @param name                     the name the results carry.
     * @param url                      the server's WebSocket URL.
     * @param user                     an Operator user.
     * @param password                 its password.
     * @param connections              how many connections.
     * @param maxInFlightPerConnection requests one connection may have unanswered.
     * @throws IOException if a connection or login fails.
     */
    public WebSocketTarget(
        final String name,
        final URI url,
        final String user,
        final String password,
        final int connections,
        final int maxInFlightPerConnection)
        throws IOException
    {
        this.name = name;
        this.maxInFlightPerConnection = maxInFlightPerConnection;
        this.connections = new WsConnection[connections];
        this.selector = Selector.open();
        final String full = SamplePayloads.newOrder(0);
        final String payloadHead = full.substring(0, full.length() - "0}".length());
        newOrder = new WsFrames.Template(FUNCTION, payloadHead);
        final String fullCancel = SamplePayloads.cancel(0);
        cancel = new WsFrames.Template(FUNCTION, fullCancel.substring(0, fullCancel.length() - "0}".length()));
        // Each run starts its order ids above the last one; a fresh range per process too, in case the gateway is
        // a long-running one with earlier runs in its journal.
        nextOrderIdBase = System.currentTimeMillis() * 1000;
        try
        {
            for (int c = 0; c < connections; c++)
            {
                final WsConnection connection = WsConnection.open(url, BUFFER_BYTES);
                this.connections[c] = connection;
                final String answer = connection.request(WsFrames.login(user, password), 10_000);
                final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                if (!WsFrames.isAuthenticated(bytes, 0, bytes.length))
                {
                    throw new IOException("login as " + user + " failed: " + answer);
                }
                connection.channel.register(selector, SelectionKey.OP_READ, connection);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void startRun(final long requests)
    {
        orderIdBase = nextOrderIdBase;
        nextOrderIdBase += requests + connections.length + 1;
        for (final WsConnection connection : connections)
        {
            if (connection.inFlight != 0 || connection.closedByServer)
            {
                throw new IllegalStateException("connection not idle at the start of a run (in flight " +
                    connection.inFlight + ", closed " + connection.closedByServer + ")");
            }
        }
    }

    @Override
    public boolean send(final long k)
    {
        final int n = connections.length;
        final WsConnection connection = connections[(int)(k % n)];
        if (connection.inFlight >= maxInFlightPerConnection || connection.closedByServer)
        {
            return false;
        }
        final long j = k / n; // the connection's own request number
        final long orderId = orderIdBase + (j / 2) * n + (k % n);
        final WsFrames.Template template = (j & 1) == 0 ? newOrder : cancel;
        final int length = template.length(k, orderId);
        if (connection.writable() < length + WsConnection.headerLength(length))
        {
            flush(connection);
            if (connection.writable() < length + WsConnection.headerLength(length))
            {
                return false;
            }
        }
        final int at = connection.beginFrame(length);
        template.write(connection.outArray(), at, k, orderId);
        connection.endFrame(at, length);
        connection.inFlight++;
        return true;
    }

    @Override
    public void flush()
    {
        for (final WsConnection connection : connections)
        {
            if (connection.hasPending())
            {
                flush(connection);
            }
        }
    }

    private static void flush(final WsConnection connection)
    {
        try
        {
            connection.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("write failed", ex);
        }
    }

    @Override
    public int poll(final ReplyHandler handler)
    {
        this.handler = handler;
        answers = 0;
        try
        {
            if (selector.selectNow() == 0)
            {
                return 0;
            }
            final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext())
            {
                final SelectionKey key = keys.next();
                keys.remove();
                reading = (WsConnection)key.attachment();
                receivedNanos = System.nanoTime();
                reading.read(onText);
                if (reading.closedByServer)
                {
                    key.cancel();
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("read failed", ex);
        }
        return answers;
    }

    private void onText(final byte[] text, final int offset, final int length)
    {
        final long k = WsFrames.sequence(text, offset, length);
        final long m = WsFrames.messageType(text, offset, length);
        if (m != 1 && m != 5)
        {
            return; // not an answer (an event)
        }
        if (k < 0)
        {
            throw new IllegalStateException("answer without a readable i: " +
                new String(text, offset, Math.min(length, 300), StandardCharsets.UTF_8));
        }
        reading.inFlight--;
        answers++;
        handler.onReply(k, m == 1 && WsFrames.isSuccess(text, offset, length), receivedNanos);
    }

    @Override
    public void close()
    {
        for (final WsConnection connection : connections)
        {
            if (connection != null)
            {
                connection.close();
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }
}
