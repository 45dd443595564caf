package io.ordergw.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.Locale;

/**
 * One client WebSocket connection (RFC 6455), small and garbage-free, for the load generator: it writes masked text
 * frames into a buffer that one non-blocking write sends, and parses the server's frames out of one read. Text only;
 * the server's replies are unfragmented. Not thread-safe: the generator's thread owns it.
 */
final class WsConnection implements AutoCloseable
{
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OPCODE_TEXT = 1;
    private static final int OPCODE_CLOSE = 8;
    private static final int OPCODE_PING = 9;

    /** Receives the text frames read. */
    interface TextHandler
    {
        /**
         * One text frame.
         *
         * @param text   bytes.
         * @param offset first byte.
         * @param length count.
         */
        void onText(byte[] text, int offset, int length);
    }

    final SocketChannel channel;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final byte[] mask = new byte[4];
    int inFlight;
    boolean closedByServer;

    private WsConnection(final SocketChannel channel, final int bufferBytes)
    {
        this.channel = channel;
        this.out = ByteBuffer.allocate(bufferBytes);
        this.in = ByteBuffer.allocate(bufferBytes);
        new SecureRandom().nextBytes(mask);
    }

    /**
     * Connect and upgrade (blocking), then switch to non-blocking.
     *
     * @param url         ws://host:port/path.
     * @param bufferBytes size of each of the two buffers.
     * @return the connection.
     * @throws IOException if the server refuses the upgrade.
     */
    static WsConnection open(final URI url, final int bufferBytes) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final WsConnection connection = new WsConnection(channel, bufferBytes);
        try
        {
            connection.upgrade(url);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        return connection;
    }

    private void upgrade(final URI url) throws IOException
    {
        final byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        final String key = Base64.getEncoder().encodeToString(nonce);
        final String request = "GET " + (url.getRawPath().isEmpty() ? "/" : url.getRawPath()) + " HTTP/1.1\r\n" +
            "Host: " + url.getHost() + ":" + url.getPort() + "\r\n" +
            "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        final ByteBuffer req = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        while (req.hasRemaining())
        {
            channel.write(req);
        }
        final StringBuilder response = new StringBuilder();
        final ByteBuffer one = ByteBuffer.allocate(1);
        while (response.length() < 4 || !response.substring(response.length() - 4).equals("\r\n\r\n"))
        {
            one.clear();
            if (channel.read(one) < 0)
            {
                throw new IOException("connection closed during the WebSocket upgrade: " + response);
            }
            response.append((char)one.get(0));
            if (response.length() > 8192)
            {
                throw new IOException("WebSocket upgrade response too long");
            }
        }
        final String text = response.toString();
        if (!text.startsWith("HTTP/1.1 101"))
        {
            throw new IOException("WebSocket upgrade refused: " + text.lines().findFirst().orElse(text));
        }
        final String expected = accept(key);
        if (!text.toLowerCase(Locale.ROOT).contains(expected.toLowerCase(Locale.ROOT)))
        {
            throw new IOException("bad Sec-WebSocket-Accept in: " + text);
        }
    }

    static String accept(final String key)
    {
        try
        {
            final byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Exchange one frame synchronously (login), before the connection goes non-blocking.
     *
     * @param text      the frame to send.
     * @param timeoutMs how long to wait for the answer.
     * @return the answer's text.
     * @throws IOException on a closed connection or time-out.
     */
    String request(final String text, final long timeoutMs) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final int at = beginFrame(bytes.length);
        System.arraycopy(bytes, 0, out.array(), at, bytes.length);
        endFrame(at, bytes.length);
        channel.configureBlocking(false);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final String[] answer = new String[1];
        while (answer[0] == null)
        {
            flush();
            read((t, o, l) -> answer[0] = new String(t, o, l, StandardCharsets.UTF_8));
            if (closedByServer)
            {
                throw new IOException("server closed the connection");
            }
            if (System.nanoTime() > deadline)
            {
                throw new IOException("no answer within " + timeoutMs + " ms to " + text);
            }
            if (answer[0] == null)
            {
                Thread.yield();
            }
        }
        return answer[0];
    }

    /**
     * Room left in the outbound buffer.
     *
     * @return bytes.
     */
    int writable()
    {
        return out.remaining();
    }

    /**
     * Write a masked text frame's header for a payload length, leaving the payload to the caller.
     *
     * @param length the payload's length.
     * @return where the payload goes in {@link #outArray()}.
     */
    int beginFrame(final int length)
    {
        final byte[] a = out.array();
        int p = out.position();
        a[p++] = (byte)(0x80 | OPCODE_TEXT);
        if (length < 126)
        {
            a[p++] = (byte)(0x80 | length);
        }
        else if (length < 65536)
        {
            a[p++] = (byte)(0x80 | 126);
            a[p++] = (byte)(length >>> 8);
            a[p++] = (byte)length;
        }
        else
        {
            a[p++] = (byte)(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8)
            {
                a[p++] = (byte)((long)length >>> shift);
            }
        }
        a[p++] = mask[0];
        a[p++] = mask[1];
        a[p++] = mask[2];
        a[p++] = mask[3];
        return p;
    }

    /**
     * Mask the payload written at {@code at} and take the frame into the outbound buffer.
     *
     * @param at     where the payload starts.
     * @param length its length.
     */
    void endFrame(final int at, final int length)
    {
        final byte[] a = out.array();
        final byte[] m = mask;
        for (int i = 0; i < length; i++)
        {
            a[at + i] ^= m[i & 3];
        }
        out.position(at + length);
    }

    /**
     * The outbound buffer's array.
     *
     * @return the array.
     */
    byte[] outArray()
    {
        return out.array();
    }

    /**
     * Frame header length for a payload length.
     *
     * @param length payload bytes.
     * @return header bytes (mask key included).
     */
    static int headerLength(final int length)
    {
        return (length < 126 ? 2 : length < 65536 ? 4 : 10) + 4;
    }

    /**
     * Write what is buffered, as much as the socket takes now.
     *
     * @throws IOException on a broken connection.
     */
    void flush() throws IOException
    {
        if (out.position() == 0)
        {
            return;
        }
        out.flip();
        channel.write(out);
        out.compact();
    }

    /**
     * Whether data waits to be written.
     *
     * @return true if the outbound buffer is not empty.
     */
    boolean hasPending()
    {
        return out.position() > 0;
    }

    /**
     * Read what arrived and hand each complete text frame over.
     *
     * @param handler receives text frames.
     * @return frames handed over.
     * @throws IOException on a broken connection.
     */
    int read(final TextHandler handler) throws IOException
    {
        if (channel.read(in) < 0)
        {
            closedByServer = true;
        }
        final byte[] a = in.array();
        final int end = in.position();
        int p = 0;
        int frames = 0;
        while (end - p >= 2)
        {
            final int b0 = a[p] & 0xFF;
            final int b1 = a[p + 1] & 0xFF;
            final int opcode = b0 & 0x0F;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126)
            {
                if (end - p < 4)
                {
                    break;
                }
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            }
            else if (length == 127)
            {
                if (end - p < 10)
                {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++)
                {
                    length = (length << 8) | (a[p + 2 + i] & 0xFF);
                }
                header = 10;
            }
            if ((b1 & 0x80) != 0)
            {
                throw new IOException("masked frame from the server");
            }
            if (length > a.length - header)
            {
                throw new IOException("frame of " + length + " bytes is larger than the read buffer");
            }
            if (end - p < header + length)
            {
                break;
            }
            if (opcode == OPCODE_TEXT)
            {
                handler.onText(a, p + header, (int)length);
                frames++;
            }
            else if (opcode == OPCODE_CLOSE)
            {
                closedByServer = true;
            }
            else if (opcode == OPCODE_PING)
            {
                // Answer with a pong carrying the same data.
                final int at = beginFrame((int)length);
                out.array()[at - headerLength((int)length)] = (byte)(0x80 | 0xA);
                System.arraycopy(a, p + header, out.array(), at, (int)length);
                endFrame(at, (int)length);
            }
            p += header + (int)length;
        }
        if (p > 0)
        {
            System.arraycopy(a, p, a, 0, end - p);
            in.position(end - p);
        }
        return frames;
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }
}
