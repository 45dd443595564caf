package io.ordergw.gateway.reliability;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that does only what it is told, byte for byte, over a plain socket: frames with any opcode,
 * fragmentation, length (including lies), masking or none, payloads that are not UTF-8, and a reader that reads only
 * when asked. The JDK's client refuses to misbehave; hostile-client tests need one that does.
 * <p>
 * Not thread-safe: one thread writes; {@link #readFrame(long)} from one thread.
 */
final class RawWebSocket implements AutoCloseable
{
    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    /** A frame from the server. */
    static final class Frame
    {
        final int opcode;
        final boolean fin;
        final byte[] payload;

        Frame(final int opcode, final boolean fin, final byte[] payload)
        {
            this.opcode = opcode;
            this.fin = fin;
            this.payload = payload;
        }

        String text()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /**
         * The close status code of a close frame.
         *
         * @return the code, or -1.
         */
        int closeCode()
        {
            return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        @Override
        public String toString()
        {
            return "Frame{op=" + opcode + (opcode == TEXT ? " " + text() : " " + payload.length + " bytes") + "}";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawWebSocket(final Socket socket, final long bytesPerSecond) throws IOException
    {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = bytesPerSecond > 0 ?
            new BufferedInputStream(new ThrottledInputStream(socket.getInputStream(), bytesPerSecond), 4096) :
            socket.getInputStream();
    }

    /**
     * Connect and complete the WebSocket handshake on {@code /WSGateway}.
     *
     * @param address            the gateway.
     * @param receiveBufferBytes the socket's receive buffer (small for a consumer that never reads), 0 for default.
     * @return the client.
     * @throws IOException if the connection or the handshake fails.
     */
    static RawWebSocket connect(final InetSocketAddress address, final int receiveBufferBytes) throws IOException
    {
        return connect(address, receiveBufferBytes, 0);
    }

    /**
     * Connect a reader that takes at most a number of bytes per second off the socket (a slow link), and complete
     * the WebSocket handshake on {@code /WSGateway}.
     *
     * @param address            the gateway.
     * @param receiveBufferBytes the socket's receive buffer, 0 for default.
     * @param bytesPerSecond     the most it reads per second, 0 for no limit.
     * @return the client.
     * @throws IOException if the connection or the handshake fails.
     */
    static RawWebSocket connect(final InetSocketAddress address, final int receiveBufferBytes,
        final long bytesPerSecond) throws IOException
    {
        final RawWebSocket ws = open(address, receiveBufferBytes, bytesPerSecond);
        try
        {
            ws.handshake(address);
            return ws;
        }
        catch (final IOException | RuntimeException ex)
        {
            ws.close();
            throw ex;
        }
    }

    /**
     * Connect without a handshake (the caller sends what it likes).
     *
     * @param address            the gateway.
     * @param receiveBufferBytes receive buffer, 0 for default.
     * @return the client.
     * @throws IOException if the connection fails.
     */
    static RawWebSocket open(final InetSocketAddress address, final int receiveBufferBytes) throws IOException
    {
        return open(address, receiveBufferBytes, 0);
    }

    private static RawWebSocket open(final InetSocketAddress address, final int receiveBufferBytes,
        final long bytesPerSecond) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        return new RawWebSocket(socket, bytesPerSecond);
    }

    private void handshake(final InetSocketAddress address) throws IOException
    {
        final byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        final String request = "GET /WSGateway HTTP/1.1\r\n" +
            "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n" +
            "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final int previousTimeout = socket.getSoTimeout();
        socket.setSoTimeout(10_000);
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : 0;
        }
        socket.setSoTimeout(previousTimeout);
        final String response = head.toString(StandardCharsets.US_ASCII);
        if (!response.startsWith("HTTP/1.1 101"))
        {
            throw new IOException("handshake refused: " + response.lines().findFirst().orElse(response));
        }
    }

    /**
     * Send one masked frame.
     *
     * @param fin     last fragment.
     * @param opcode  opcode.
     * @param payload bytes.
     * @throws IOException if the connection is gone.
     */
    void sendFrame(final boolean fin, final int opcode, final byte[] payload) throws IOException
    {
        out.write(encode(fin, opcode, payload, true));
        out.flush();
    }

    /**
     * One frame's bytes as a client sends them.
     *
     * @param fin     last fragment.
     * @param opcode  opcode.
     * @param payload bytes.
     * @param masked  whether to mask (clients must).
     * @return the encoded frame.
     */
    static byte[] encode(final boolean fin, final int opcode, final byte[] payload, final boolean masked)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        final int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126)
        {
            frame.write(maskBit | payload.length);
        }
        else if (payload.length < 65536)
        {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        }
        else
        {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                frame.write((int)((long)payload.length >>> shift));
            }
        }
        if (masked)
        {
            final byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++)
            {
                frame.write(payload[i] ^ mask[i & 3]);
            }
        }
        else
        {
            frame.write(payload, 0, payload.length);
        }
        return frame.toByteArray();
    }

    /**
     * Send a text frame.
     *
     * @param text the text.
     * @throws IOException if the connection is gone.
     */
    void sendText(final String text) throws IOException
    {
        sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Send bytes as they are (several frames at once, or garbage).
     *
     * @param bytes the bytes.
     * @throws IOException if the connection is gone.
     */
    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Read the next frame.
     *
     * @param timeoutMs how long to wait for its first byte, 0 forever.
     * @return the frame, or null on time-out.
     * @throws IOException at the end of the stream or on a broken connection.
     */
    Frame readFrame(final long timeoutMs) throws IOException
    {
        socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, timeoutMs));
        final int b0;
        try
        {
            b0 = in.read();
        }
        catch (final SocketTimeoutException ex)
        {
            return null;
        }
        if (b0 < 0)
        {
            throw new EOFException("closed by the server");
        }
        socket.setSoTimeout(30_000);
        final int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126)
        {
            length = (readByte() << 8) | readByte();
        }
        else if (length == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
            {
                length = (length << 8) | readByte();
            }
        }
        if (length > 64L << 20)
        {
            throw new IOException("server frame of " + length + " bytes");
        }
        final byte[] payload = in.readNBytes((int)length);
        if (payload.length != length)
        {
            throw new EOFException("closed inside a frame");
        }
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    }

    /**
     * Read frames until the server's close frame or the end of the stream.
     *
     * @param timeoutMs how long in all.
     * @return the close code, 0 if the stream ended without a close frame, -1 on time-out.
     */
    int awaitClose(final long timeoutMs)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        try
        {
            while (System.currentTimeMillis() < deadline)
            {
                final Frame frame = readFrame(Math.max(1, deadline - System.currentTimeMillis()));
                if (frame != null && frame.opcode == CLOSE)
                {
                    return frame.closeCode();
                }
            }
            return -1;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("closed inside a frame header");
        }
        return b;
    }

    /**
     * The socket.
     *
     * @return the socket.
     */
    Socket socket()
    {
        return socket;
    }

    @Override
    public void close()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }
}
