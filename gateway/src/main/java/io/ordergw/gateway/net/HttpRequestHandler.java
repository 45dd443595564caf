package io.ordergw.gateway.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.gateway.apex.ApexFunction;
import io.ordergw.gateway.auth.AuthSession;
import io.ordergw.gateway.auth.Authenticator;

import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The HTTP side of a connection: {@code POST /AP/{Function}} (APEX over HTTP), {@code GET /AP/{Function}?query} for
 * read-only functions (the query string is the payload, docs/api.md section 4.1), {@code GET /metrics}, the status
 * page, and the hand-over of {@code /WSGateway} upgrade requests to the WebSocket handshake.
 */
public final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final String AP_PREFIX = "/AP/";

    private final GatewayChannels channels;
    private final Authenticator authenticator;
    private final HttpPages pages;
    private ClientSession httpSession;
    private byte[] body = new byte[4096];

    HttpRequestHandler(final GatewayChannels channels, final Authenticator authenticator, final HttpPages pages)
    {
        super(false);
        this.channels = channels;
        this.authenticator = authenticator;
        this.pages = pages;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        try
        {
            handle(ctx, request);
        }
        finally
        {
            if (request.refCnt() > 0)
            {
                request.release();
            }
        }
    }

    private void handle(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        final String path = query < 0 ? uri : uri.substring(0, query);

        if (!request.decoderResult().isSuccess())
        {
            sendText(ctx, request, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request\n");
            return;
        }
        if (isWebSocketUpgrade(request))
        {
            if (!path.equals("/WSGateway") && !path.equals("/WSGateway/"))
            {
                sendText(ctx, request, HttpResponseStatus.NOT_FOUND, "WebSocket endpoint is /WSGateway\n");
                return;
            }
            ctx.fireChannelRead(request.retain()); // to the WebSocket handshake
            return;
        }
        if (path.startsWith(AP_PREFIX))
        {
            final String function = path.substring(AP_PREFIX.length());
            if (request.method() == HttpMethod.GET)
            {
                final ApexFunction known = ApexFunction.of(function);
                if (known != null && !known.readOnly)
                {
                    refuseGet(ctx, request, known);
                    return;
                }
                final byte[] queryPayload = HttpQueryPayload.toJson(uri);
                if (queryPayload == null)
                {
                    send(ctx, request, apexError(HttpResponseStatus.BAD_REQUEST, ApexError.INVALID_REQUEST,
                        "query: not a valid query string (percent-encoding)"));
                    return;
                }
                apex(ctx, request, function, queryPayload, queryPayload.length);
                return;
            }
            if (request.method() != HttpMethod.POST)
            {
                final FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "use POST /AP/{Function}, or GET /AP/{Function}?query for a read-only function\n");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
                send(ctx, request, response);
                return;
            }
            final ByteBuf content = request.content();
            final int length = content.readableBytes();
            if (body.length < length)
            {
                body = new byte[Math.max(length, body.length * 2)];
            }
            content.getBytes(content.readerIndex(), body, 0, length);
            apex(ctx, request, function, body, length);
            return;
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
        {
            if (pages.scrapeLater(path, ctx, HttpUtil.isKeepAlive(request)))
            {
                return;
            }
            final FullHttpResponse page = pages.page(path);
            if (page != null)
            {
                send(ctx, request, page);
                return;
            }
        }
        sendText(ctx, request, HttpResponseStatus.NOT_FOUND,
            "not found: APEX functions are at POST /AP/{Function} and ws://host:port/WSGateway\n");
    }

    /**
     * A function that changes state called with GET: 405 with the APEX refusal as the body, so that a client reading
     * JSON learns why (docs/api.md section 4.1: the GET forms change nothing).
     */
    private static void refuseGet(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final ApexFunction function)
    {
        final FullHttpResponse response = apexError(HttpResponseStatus.METHOD_NOT_ALLOWED, ApexError.NOT_SUPPORTED,
            "method: " + function.apexName + " changes state, so it takes POST (or WebSocket) only; GET is for " +
            "read-only functions");
        response.headers().set(HttpHeaderNames.ALLOW, "POST");
        send(ctx, request, response);
    }

    private static FullHttpResponse apexError(final HttpResponseStatus status, final int errorCode, final String detail)
    {
        final JsonWriter w = new JsonWriter();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        w.wrap(buffer, 0);
        ApexFrameEncoder.beginStandardResponse(w, errorCode, detail).endObject();
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(buffer.byteArray(), 0, w.position()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private void apex(
        final ChannelHandlerContext ctx,
        final FullHttpRequest request,
        final String function,
        final byte[] payload,
        final int length)
    {
        if (httpSession == null)
        {
            httpSession = channels.open(ctx.channel(), false);
            if (httpSession == null)
            {
                sendText(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many connections (ordergw.gateway.max-connections)\n");
                return;
            }
        }
        // Over HTTP the aptoken header decides who is asking, request by request.
        final String token = request.headers().get("aptoken");
        final AuthSession auth = token == null ? null : authenticator.session(token);
        httpSession.auth(auth);

        String[] basic = null;
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6))
        {
            basic = decodeBasic(authorization.substring(6).trim());
        }
        // API-key headers (ccxt signs every private call so): checked by the processor, in place of aptoken.
        final String apiKey = request.headers().get("APIKey");
        final String[] apiKeyHeaders = apiKey == null ? null : new String[]{apiKey,
            request.headers().get("Signature"), request.headers().get("UserId"), request.headers().get("Nonce")};

        ctx.channel().attr(Outbound.KEEP_ALIVE).set(HttpUtil.isKeepAlive(request));
        // One request at a time per connection: reading resumes when the answer is written (it may come from the
        // engine's reply, on another thread), so answers cannot overtake each other.
        ctx.channel().config().setAutoRead(false);
        channels.processor().onHttp(httpSession, function, payload, 0, length, basic, apiKeyHeaders);
    }

    private static String[] decodeBasic(final String encoded)
    {
        try
        {
            final String text = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            final int colon = text.indexOf(':');
            return colon < 0 ? null : new String[]{text.substring(0, colon), text.substring(colon + 1)};
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static boolean isWebSocketUpgrade(final FullHttpRequest request)
    {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true) &&
            request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception
    {
        if (evt instanceof IdleStateEvent)
        {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        channels.onException(ctx, cause);
    }

    private static void sendText(
        final ChannelHandlerContext ctx,
        final FullHttpRequest request,
        final HttpResponseStatus status,
        final String text)
    {
        send(ctx, request, text(status, text));
    }

    static FullHttpResponse text(final HttpResponseStatus status, final String text)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    private static void send(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final FullHttpResponse response)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
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
}
