package io.ordergw.gateway.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.ordergw.gateway.metrics.GatewayMetrics;
import io.ordergw.gateway.metrics.Readiness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The plain HTTP pages: {@code /metrics} (Prometheus text format, see {@link GatewayMetrics}), {@code /health}
 * (liveness: 200 whenever the process answers), {@code /ready} (200 only while the engine, the journal and the feed
 * run, else 503; both with a JSON body naming each part), and the status page at {@code /} with a small live view of
 * an account's events.
 * <p>
 * A scrape takes milliseconds (the JVM metrics most of them), so {@code /metrics} is built on another thread, never
 * on the I/O thread that serves order traffic, and written back from the connection's own event loop.
 */
public final class HttpPages
{
    private static final String JSON = "application/json; charset=utf-8";
    private static final byte[] LIVE = "{\"status\":\"live\"}\n".getBytes(StandardCharsets.UTF_8);

    /** The path of the metrics page. */
    public static final String METRICS = "/metrics";

    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final Executor scrapeExecutor;
    private final byte[] statusPage;

    /**
     * Pages over the gateway's metrics and readiness.
     *
     * @param metrics        what /metrics serves.
     * @param readiness      what /ready reports.
     * @param scrapeExecutor where scrapes run (not an I/O thread); a scrape it rejects runs on the caller's thread.
     */
    public HttpPages(final GatewayMetrics metrics, final Readiness readiness, final Executor scrapeExecutor)
    {
        this.metrics = metrics;
        this.readiness = readiness;
        this.scrapeExecutor = scrapeExecutor;
        try (InputStream in = HttpPages.class.getResourceAsStream("/ordergw-status.html"))
        {
            statusPage = in == null ? "<h1>ordergw</h1>".getBytes(StandardCharsets.UTF_8) : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The page at a path.
     *
     * @param path the request path.
     * @return the response, or null if there is no such page.
     */
    public FullHttpResponse page(final String path)
    {
        switch (path)
        {
            case "/":
            case "/status":
                return response(HttpResponseStatus.OK, "text/html; charset=utf-8", statusPage);
            case "/health":
                return response(HttpResponseStatus.OK, JSON, LIVE);
            case "/ready":
                return response(readiness.isReady() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    JSON, readiness.json().getBytes(StandardCharsets.UTF_8));
            case METRICS:
                return response(HttpResponseStatus.OK, GatewayMetrics.CONTENT_TYPE, metrics.scrape());
            default:
                return null;
        }
    }

    /**
     * Answer {@code /metrics} from the scrape executor: the response is written later, from the connection's event
     * loop.
     *
     * @param path      the request path.
     * @param ctx       the connection.
     * @param keepAlive whether the connection stays open after the response.
     * @return true if the path is /metrics and its answer is on its way; false for any other path.
     */
    public boolean scrapeLater(final String path, final ChannelHandlerContext ctx, final boolean keepAlive)
    {
        if (!METRICS.equals(path))
        {
            return false;
        }
        final Runnable scrape = () ->
        {
            final FullHttpResponse response = page(METRICS);
            try
            {
                ctx.executor().execute(() -> write(ctx, keepAlive, response));
            }
            catch (final RejectedExecutionException ex)
            {
                response.release(); // the I/O threads are stopping: no one to answer
            }
        };
        try
        {
            scrapeExecutor.execute(scrape);
        }
        catch (final RejectedExecutionException ex)
        {
            scrape.run(); // the gateway is stopping: answer anyway
        }
        return true;
    }

    /** As HttpRequestHandler sends a page: a length, and the connection kept or closed as the request asked. */
    private static void write(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpResponse response)
    {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse response(
        final HttpResponseStatus status, final String contentType, final byte[] body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
