package io.ordergw.gateway.net;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.ordergw.gateway.metrics.GatewayMetrics;
import io.ordergw.gateway.metrics.Readiness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The plain HTTP pages: {@code /metrics} (Prometheus text format, see {@link GatewayMetrics}), {@code /health}
 * (liveness: 200 whenever the process answers), {@code /ready} (200 only while the engine, the journal and the feed
 * run, else 503; both with a JSON body naming each part), and the status page at {@code /} with a small live view of
 * an account's events.
 */
public final class HttpPages
{
    private static final String JSON = "application/json; charset=utf-8";

    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final byte[] statusPage;

    /**
     * Pages over the gateway's metrics and readiness.
     *
     * @param metrics   what /metrics serves.
     * @param readiness what /ready reports.
     */
    public HttpPages(final GatewayMetrics metrics, final Readiness readiness)
    {
        this.metrics = metrics;
        this.readiness = readiness;
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
                return response(HttpResponseStatus.OK, JSON, "{\"status\":\"live\"}\n".getBytes(StandardCharsets.UTF_8));
            case "/ready":
                return response(readiness.isReady() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    JSON, readiness.json().getBytes(StandardCharsets.UTF_8));
            case "/metrics":
                return response(HttpResponseStatus.OK, GatewayMetrics.CONTENT_TYPE, metrics.scrape());
            default:
                return null;
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
