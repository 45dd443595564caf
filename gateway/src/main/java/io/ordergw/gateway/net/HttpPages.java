package io.ordergw.gateway.net;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The plain HTTP pages: {@code /metrics} (every counter in Prometheus text format), {@code /health}, and the status
 * page at {@code /} with a small live view of an account's events.
 */
public final class HttpPages
{
    private final CountersReader counters;
    private final byte[] statusPage;

    /**
     * Pages over a counters buffer.
     *
     * @param counters the counters to serve.
     */
    public HttpPages(final CountersReader counters)
    {
        this.counters = counters;
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
                return response("text/html; charset=utf-8", statusPage);
            case "/health":
                return response("text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8));
            case "/metrics":
                return response("text/plain; version=0.0.4; charset=utf-8", metrics().getBytes(StandardCharsets.UTF_8));
            default:
                return null;
        }
    }

    /**
     * Every counter as a Prometheus gauge: {@code ordergw_engine_events_applied 1234}.
     *
     * @return the text.
     */
    public String metrics()
    {
        final StringBuilder sb = new StringBuilder(4096);
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final String name = "ordergw_" + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
            sb.append("# TYPE ").append(name).append(" gauge\n");
            sb.append(name).append(' ').append(counters.getCounterValue(counterId)).append('\n');
        });
        return sb.toString();
    }

    private static FullHttpResponse response(final String contentType, final byte[] body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }
}
