package io.ordergw.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An APEX WebSocket client for tests, on the JDK's own WebSocket: sends frames, collects every frame received, and
 * parses them into maps (the "o" payload parsed too).
 */
public final class ApexClient implements AutoCloseable
{
    private static final JsonFactory JSON = new JsonFactory();
    private static final String RECEIVE_BUFFER_PROPERTY = "jdk.httpclient.receiveBufferSize";
    private static final int SLOW_RECEIVE_BUFFER_BYTES = 16 * 1024;

    /** A received frame. */
    public static final class Frame
    {
        public final String raw;
        public final int m;
        public final long i;
        public final String n;
        public final Object o;
        /** The payload's JSON text as the server wrote it (to check number formats), or null if o was no string. */
        public final String payloadText;

        Frame(final String raw, final Map<String, Object> frame)
        {
            this.raw = raw;
            this.m = ((Number)frame.get("m")).intValue();
            this.i = ((Number)frame.get("i")).longValue();
            this.n = (String)frame.get("n");
            final Object payload = frame.get("o");
            this.payloadText = payload instanceof String ? (String)payload : null;
            this.o = payload instanceof String ? parse((String)payload) : payload;
        }

        /**
         * The payload as an object.
         *
         * @return the map.
         */
        @SuppressWarnings("unchecked")
        public Map<String, Object> payload()
        {
            return (Map<String, Object>)o;
        }

        /**
         * The payload as an array of objects.
         *
         * @return the list.
         */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> payloadList()
        {
            return (List<Map<String, Object>>)o;
        }

        @Override
        public String toString()
        {
            return raw;
        }
    }

    private final WebSocket socket;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final long readLimit;
    private long nextI = 2;

    private ApexClient(final String url, final HttpClient client, final long readLimit) throws Exception
    {
        this.readLimit = readLimit;
        socket = client.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener()
        {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
            {
                text.append(data);
                if (last)
                {
                    final String raw = text.toString();
                    text.setLength(0);
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> map = (Map<String, Object>)parse(raw);
                    frames.add(new Frame(raw, map));
                    if (framesReceived.incrementAndGet() >= ApexClient.this.readLimit && !paused.get())
                    {
                        // A consumer that stops reading: the JDK client takes nothing off the socket without demand,
                        // so the server's unsent data grows.
                        paused.set(true);
                        return null;
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
            {
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(final WebSocket webSocket, final Throwable error)
            {
                closed.complete("error " + error);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /**
     * Connect.
     *
     * @param url ws://host:port/WSGateway.
     * @return the client.
     * @throws Exception if it cannot connect.
     */
    public static ApexClient connect(final String url) throws Exception
    {
        return new ApexClient(url, HttpClient.newHttpClient(), Long.MAX_VALUE);
    }

    /**
     * Connect a client that stops reading from the socket once it has received some frames, until
     * {@link #resumeReading()} (a slow consumer).
     *
     * @param url       ws://host:port/WSGateway.
     * @param readLimit frames to read before pausing.
     * @return the client.
     * @throws Exception if it cannot connect.
     */
    public static ApexClient connectPausingAfter(final String url, final long readLimit) throws Exception
    {
        // The JDK client reads jdk.httpclient.receiveBufferSize for each new connection. A small socket buffer (no
        // kernel auto-tuning) keeps megabytes of events from being soaked up before the server sees a slow consumer.
        synchronized (ApexClient.class)
        {
            final String previous = System.getProperty(RECEIVE_BUFFER_PROPERTY);
            System.setProperty(RECEIVE_BUFFER_PROPERTY, Integer.toString(SLOW_RECEIVE_BUFFER_BYTES));
            try
            {
                return new ApexClient(url, HttpClient.newHttpClient(), readLimit);
            }
            finally
            {
                if (previous == null)
                {
                    System.clearProperty(RECEIVE_BUFFER_PROPERTY);
                }
                else
                {
                    System.setProperty(RECEIVE_BUFFER_PROPERTY, previous);
                }
            }
        }
    }

    /**
     * Whether a client made by {@link #connectPausingAfter} has stopped reading.
     *
     * @return true once paused.
     */
    public boolean isPaused()
    {
        return paused.get();
    }

    /**
     * Read again, without limit, after a pause.
     */
    public void resumeReading()
    {
        if (paused.get())
        {
            socket.request(Long.MAX_VALUE);
        }
    }

    /**
     * Frames received so far.
     *
     * @return the count.
     */
    public long framesReceived()
    {
        return framesReceived.get();
    }

    /**
     * Connect with a given HTTP client (TLS tests).
     *
     * @param url    wss://...
     * @param client the client.
     * @return the client.
     * @throws Exception if it cannot connect.
     */
    public static ApexClient connect(final String url, final HttpClient client) throws Exception
    {
        return new ApexClient(url, client, Long.MAX_VALUE);
    }

    /**
     * Send raw text.
     *
     * @param text the frame.
     * @throws Exception on failure.
     */
    public void sendRaw(final String text) throws Exception
    {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /**
     * Send binary data.
     *
     * @param bytes the data.
     * @throws Exception on failure.
     */
    public void sendBinary(final byte[] bytes) throws Exception
    {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    /**
     * Send a request frame (m=0) with the payload as a JSON string.
     *
     * @param function n.
     * @param payload  the payload JSON.
     * @return the i used.
     * @throws Exception on failure.
     */
    public long send(final String function, final String payload) throws Exception
    {
        final long i = nextI;
        nextI += 2;
        sendRaw("{\"m\":0,\"i\":" + i + ",\"n\":\"" + function + "\",\"o\":" + quote(payload) + "}");
        return i;
    }

    /**
     * Send a request and wait for its reply (frames that arrive in between are kept).
     *
     * @param function n.
     * @param payload  the payload JSON.
     * @return the reply.
     * @throws Exception on failure or time-out.
     */
    public Frame call(final String function, final String payload) throws Exception
    {
        final long i = send(function, payload);
        return awaitReply(i);
    }

    private final List<Frame> held = new ArrayList<>();

    /**
     * Wait for the reply with an i.
     *
     * @param i the request's i.
     * @return the reply.
     * @throws Exception on time-out.
     */
    public Frame awaitReply(final long i) throws Exception
    {
        for (int k = 0; k < held.size(); k++)
        {
            final Frame f = held.get(k);
            if (f.m != 3 && f.i == i)
            {
                return held.remove(k);
            }
        }
        final long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline)
        {
            final Frame f = frames.poll(100, TimeUnit.MILLISECONDS);
            if (f == null)
            {
                continue;
            }
            if (f.m != 3 && f.i == i)
            {
                return f;
            }
            held.add(f);
        }
        throw new AssertionError("no reply to i=" + i + "; held " + held);
    }

    /**
     * The next event frame (m=3).
     *
     * @param timeoutMs how long to wait.
     * @return the frame, or null on time-out.
     * @throws InterruptedException if interrupted.
     */
    public Frame nextEvent(final long timeoutMs) throws InterruptedException
    {
        for (int k = 0; k < held.size(); k++)
        {
            if (held.get(k).m == 3)
            {
                return held.remove(k);
            }
        }
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            // Polled at least once: a frame already received is returned however short the time-out.
            final Frame f = frames.poll(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (f == null)
            {
                return null;
            }
            if (f.m == 3)
            {
                return f;
            }
            held.add(f);
        }
    }

    /**
     * The next frame of any kind.
     *
     * @param timeoutMs how long to wait.
     * @return the frame or null.
     * @throws InterruptedException if interrupted.
     */
    public Frame nextFrame(final long timeoutMs) throws InterruptedException
    {
        if (!held.isEmpty())
        {
            return held.remove(0);
        }
        return frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Log in with WebAuthenticateUser.
     *
     * @param user     user name.
     * @param password password.
     * @return the reply payload.
     * @throws Exception on failure.
     */
    public Map<String, Object> login(final String user, final String password) throws Exception
    {
        return call("WebAuthenticateUser", "{\"UserName\":\"" + user + "\",\"Password\":\"" + password + "\"}").payload();
    }

    /**
     * How the server closed the connection.
     *
     * @param timeoutMs how long to wait.
     * @return "code reason", or null if still open.
     * @throws Exception on failure.
     */
    public String awaitClose(final long timeoutMs) throws Exception
    {
        try
        {
            return closed.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            return null;
        }
    }

    /**
     * The WebSocket status code the server closed with.
     *
     * @param timeoutMs how long to wait.
     * @return the code, or -1 if the connection is still open or ended without a close frame.
     * @throws Exception on failure.
     */
    public int awaitCloseCode(final long timeoutMs) throws Exception
    {
        final String closedWith = awaitClose(timeoutMs);
        if (closedWith == null || closedWith.startsWith("error"))
        {
            return -1;
        }
        return Integer.parseInt(closedWith.substring(0, closedWith.indexOf(' ')));
    }

    /**
     * The JDK WebSocket, to send what the helpers do not (fragments, for one). A consumer that stops reading is made
     * with {@link #connectPausingAfter}.
     *
     * @return the socket.
     */
    public WebSocket socket()
    {
        return socket;
    }

    @Override
    public void close()
    {
        socket.abort();
    }

    /**
     * Quote text as a JSON string.
     *
     * @param text the text.
     * @return the JSON string literal.
     */
    public static String quote(final String text)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (final char c : text.toCharArray())
        {
            if (c == '"' || c == '\\')
            {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /**
     * Parse JSON into maps, lists, strings, numbers (Long or BigDecimal), booleans and null.
     *
     * @param json the text.
     * @return the value.
     */
    public static Object parse(final String json)
    {
        try (JsonParser parser = JSON.createParser(json))
        {
            parser.nextToken();
            return value(parser);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("not JSON: " + json, ex);
        }
    }

    private static Object value(final JsonParser p) throws IOException
    {
        final JsonToken token = p.currentToken();
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String key = p.currentName();
                    p.nextToken();
                    map.put(key, value(p));
                }
                return map;
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(value(p));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            default:
                return null;
        }
    }
}
