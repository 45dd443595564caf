package io.ordergw.gateway.apex;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameDecoder;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderStateCommandJsonDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.engine.journal.Retention;
import io.ordergw.engine.EngineProxy;
import io.ordergw.gateway.GatewayCounters;
import io.ordergw.gateway.auth.ApiKeyNonces;
import io.ordergw.gateway.auth.AuthSession;
import io.ordergw.gateway.auth.Authenticator;
import io.ordergw.gateway.auth.LoginResult;
import io.ordergw.gateway.auth.Permission;
import io.ordergw.gateway.auth.User;
import io.ordergw.gateway.net.ClientSession;
import io.ordergw.gateway.net.Outbound;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import io.ordergw.config.OrderGwConfig;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Answers APEX requests on a Netty I/O thread (one instance per thread): reads the frame, checks the session's login
 * and permissions, then either answers at once (Ping, logins, refusals) or hands the request to the engine, whose
 * reply the router sends back. Every request with a readable {@code i} and {@code n} gets exactly one answer.
 * <p>
 * SendExchangeOrderStateEvent is decoded straight into the SBE command, stamped with its receive time, and offered to
 * the engine's ingress ring without blocking: a full ring is answered 102 at once.
 */
public final class ApexRequestProcessor
{
    private static final Logger LOG = LoggerFactory.getLogger(ApexRequestProcessor.class);

    private final Services services;
    private final ApexFrameDecoder frameDecoder;
    private final OrderStateCommandJsonDecoder commandDecoder;
    private final RequestFields fields = new RequestFields();
    private final EngineProxy engine;
    private final Outbound out = new Outbound();
    private final EpochNanoClock clock = GatewayCounters.RECEIVE_CLOCK;
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderStateCommandEncoder commandEncoder = new OrderStateCommandEncoder();
    private final StringBuilder detail = new StringBuilder(128);
    /** The API-key headers of the HTTP request being answered (for a login by headers), else null. */
    private String[] apiKeyHeaders;

    /** What every processor shares. */
    public static final class Services
    {
        final int omsId;
        final int maxInFlight;
        final Authenticator authenticator;
        final SubscriptionRequests subscriptions;
        final Executor loginExecutor;
        final GatewayCounters counters;
        final OrderGwConfig config;
        final RingBuffer ingress;
        final LongSupplier journalSeqNum;
        LongSupplier oldestSeqNum = () -> 1;

        /**
         * The shared parts.
         *
         * @param config        settings.
         * @param ingress       the engine's ingress ring.
         * @param authenticator logins and sessions.
         * @param subscriptions the router's subscription requests.
         * @param loginExecutor where password hashing runs (off the I/O threads).
         * @param counters      the gateway's counters.
         * @param journalSeqNum the engine's last journaled SeqNum.
         */
        public Services(
            final OrderGwConfig config,
            final RingBuffer ingress,
            final Authenticator authenticator,
            final SubscriptionRequests subscriptions,
            final Executor loginExecutor,
            final GatewayCounters counters,
            final LongSupplier journalSeqNum)
        {
            this.config = config;
            this.journalSeqNum = journalSeqNum;
            this.omsId = config.omsId;
            this.maxInFlight = config.gateway.maxInFlightPerSession;
            this.ingress = ingress;
            this.authenticator = authenticator;
            this.subscriptions = subscriptions;
            this.loginExecutor = loginExecutor;
            this.counters = counters;
        }

        /**
         * Where the journal's oldest retained event is (its older cycles may be archived): a FromSeqNum before it is
         * refused, never silently started later.
         *
         * @param oldestSeqNum the journal's first SeqNum, 0 when empty.
         * @return this.
         */
        public Services oldestSeqNum(final LongSupplier oldestSeqNum)
        {
            this.oldestSeqNum = oldestSeqNum;
            return this;
        }
    }

    /**
     * A processor for one I/O thread.
     *
     * @param services what processors share.
     */
    public ApexRequestProcessor(final Services services)
    {
        this.services = services;
        this.frameDecoder = new ApexFrameDecoder(services.config.gateway.maxFrameBytes);
        this.commandDecoder = new OrderStateCommandJsonDecoder(
            services.config.decimalScale, services.omsId, services.config.exchanges,
            services.config.instruments.ids());
        this.engine = new EngineProxy(services.ingress);
    }

    /**
     * Answer one WebSocket text frame.
     *
     * @param session the session.
     * @param frame   the frame's bytes.
     * @param offset  first byte.
     * @param length  byte count.
     * @return false if the answer is asynchronous and the session must not be read until it is sent (logins).
     */
    public boolean onFrame(final ClientSession session, final byte[] frame, final int offset, final int length)
    {
        services.counters.requests.increment();
        if (!frameDecoder.decode(frame, offset, length))
        {
            services.counters.badFrames.increment();
            final JsonWriter w = out.begin(session,
                frameDecoder.answerAsReply() ? ApexFrameDecoder.REPLY : ApexFrameDecoder.ERROR, frameDecoder.sequence(),
                frameDecoder.functionName(), frameDecoder.functionNameLength());
            ApexFrameEncoder.beginStandardResponse(w, ApexError.INVALID_REQUEST, frameDecoder.detail()).endObject();
            out.send(ApexError.INVALID_REQUEST);
            return true;
        }
        final ApexFunction function = ApexFunction.of(frameDecoder.functionName(), frameDecoder.functionNameLength());
        return onRequest(session, function, frameDecoder.sequence(), frameDecoder.payloadBuffer(),
            frameDecoder.payloadOffset(), frameDecoder.payloadLength(), null);
    }

    /**
     * Answer one HTTP request ({@code POST /AP/{function}}).
     *
     * @param session       the connection's session.
     * @param functionName  the function from the path.
     * @param body          the body.
     * @param offset        first byte.
     * @param length        byte count.
     * @param basicAuth     user and password from an Authorization: Basic header, or null.
     * @param apiKeyHeaders the APIKey, Signature, UserId and Nonce headers, or null when APIKey is absent. On a login
     *                      they are its credentials; on any other request they authenticate that request when it has
     *                      no live aptoken (docs/api.md section 4.1).
     * @return false if the answer is asynchronous.
     */
    public boolean onHttp(
        final ClientSession session,
        final String functionName,
        final byte[] body,
        final int offset,
        final int length,
        final String[] basicAuth,
        final String[] apiKeyHeaders)
    {
        services.counters.requests.increment();
        final ApexFunction function = ApexFunction.of(functionName);
        if (function == null)
        {
            return refuse(session, functionName, 0, ApexError.NOT_SUPPORTED,
                text("function: ").append(functionName).append(" is not supported"));
        }
        if (apiKeyHeaders != null && !isLogin(function) && function != ApexFunction.PING && session.auth() == null)
        {
            return authenticateRequest(session, function, body, offset, length, apiKeyHeaders);
        }
        // Read by a login only, during this call: the processor serves every connection of its thread.
        this.apiKeyHeaders = apiKeyHeaders;
        try
        {
            return onRequest(session, function, 0, body, offset, length, basicAuth);
        }
        finally
        {
            this.apiKeyHeaders = null;
        }
    }

    private static boolean isLogin(final ApexFunction function)
    {
        return function == ApexFunction.AUTHENTICATE_USER || function == ApexFunction.AUTHENTICATE ||
            function == ApexFunction.WEB_AUTHENTICATE_USER;
    }

    /**
     * Check a request's API-key headers off the I/O thread (the nonce's mark may need a forced write), then answer
     * the request as the key's user on the connection's thread. The body stays put meanwhile: the connection reads
     * nothing more until this request is answered.
     */
    private boolean authenticateRequest(
        final ClientSession session,
        final ApexFunction function,
        final byte[] body,
        final int offset,
        final int length,
        final String[] headers)
    {
        final Authenticator authenticator = services.authenticator;
        final ApexRequestProcessor self = this;
        try
        {
            services.loginExecutor.execute(() ->
            {
                LoginResult result;
                try
                {
                    result = authenticator.authenticateRequest(headers[0], headers[1], headers[2], headers[3],
                        session.remoteAddress());
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("API-key request check failed", ex);
                    result = LoginResult.unavailable();
                }
                final LoginResult checked = result;
                session.channel().eventLoop().execute(() -> self.onSignedRequest(session, function, body, offset,
                    length, checked));
            });
        }
        catch (final RejectedExecutionException ex)
        {
            return refuseBusy(session, function.apexName, 0,
                "APIKey: too many signed requests are being checked; retry");
        }
        return false;
    }

    private void onSignedRequest(
        final ClientSession session,
        final ApexFunction function,
        final byte[] body,
        final int offset,
        final int length,
        final LoginResult result)
    {
        if (!result.authenticated())
        {
            if (LoginResult.UNAVAILABLE.equals(result.errorMessage()))
            {
                refuseBusy(session, function.apexName, 0, "APIKey: the nonce could not be kept on storage; retry");
                return;
            }
            services.counters.failedLogins.increment();
            final JsonWriter w = out.begin(session, 1, 0, function.apexName);
            ApexFrameEncoder.beginStandardResponse(w, ApexError.NOT_AUTHORIZED, result.throttled() ?
                "APIKey: too many failed attempts; wait and retry" :
                "APIKey: the Signature, UserId or Nonce is not valid (a Nonce works once, and no more than " +
                ApiKeyNonces.WINDOW + " below the greatest accepted for the key)")
                .endObject();
            out.send(ApexError.NOT_AUTHORIZED, Outbound.NOT_LOGGED_IN);
            return;
        }
        session.auth(result.session());
        onRequest(session, function, 0, body, offset, length, null);
    }

    private boolean onRequest(
        final ClientSession session,
        final ApexFunction function,
        final long i,
        final byte[] payload,
        final int offset,
        final int length,
        final String[] basicAuth)
    {
        if (function == null)
        {
            return refuse(session, null, i, ApexError.NOT_SUPPORTED,
                text("n: ").append(new String(frameDecoder.functionName(), 0, frameDecoder.functionNameLength(),
                    StandardCharsets.UTF_8)).append(" is not a supported function"));
        }
        if (function == ApexFunction.SEND_EXCHANGE_ORDER_STATE_EVENT)
        {
            return sendExchangeOrderStateEvent(session, i, payload, offset, length);
        }

        if (length > 0 && !fields.decode(payload, offset, length))
        {
            return refuse(session, function.apexName, i, fields.errorCode(), fields.detail());
        }
        if (length == 0)
        {
            fields.decode(EMPTY, 0, EMPTY.length);
        }
        switch (function)
        {
            case PING:
                // After the payload is read: a Ping whose payload is not JSON is an invalid request like any other.
                writePong(session, i);
                return true;
            case WEB_AUTHENTICATE_USER:
            case AUTHENTICATE_USER:
            case AUTHENTICATE:
                return authenticate(session, function, i, basicAuth);
            case GET_PRODUCTS:
            case GET_INSTRUMENTS:
                return referenceData(session, function, i);
            case GET_USER_ACCOUNTS:
                return userAccounts(session, i);
            case LOG_OUT:
                return logOut(session, i);
            case SUBSCRIBE_ACCOUNT_EVENTS:
                return subscribe(session, i);
            case UNSUBSCRIBE_ACCOUNT_EVENTS:
                return unsubscribe(session, i);
            default:
                return query(session, function, i);
        }
    }

    private static final byte[] EMPTY = {'{', '}'};

    private boolean sendExchangeOrderStateEvent(
        final ClientSession session, final long i, final byte[] payload, final int offset, final int length)
    {
        final String name = ApexFunction.SEND_EXCHANGE_ORDER_STATE_EVENT.apexName;
        if (!permitted(session, name, i, Permission.OPERATOR))
        {
            return true;
        }
        commandEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder);
        if (!commandDecoder.decode(payload, offset, length, commandEncoder))
        {
            services.counters.refusedAtEdge.increment();
            return refuse(session, name, i, commandDecoder.errorCode(), commandDecoder.detail());
        }
        commandEncoder.correlationId(i).sessionId(session.id()).receiveTimeNanos(clock.nanoTime());
        if (session.inFlight().incrementAndGet() > services.maxInFlight)
        {
            session.inFlight().decrementAndGet();
            return refuseBusy(session, name, i, text("session: ").append(services.maxInFlight)
                .append(" requests already wait for the engine (ordergw.gateway.max-in-flight-per-session); retry"));
        }
        if (!engine.offer(commandBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength()))
        {
            session.inFlight().decrementAndGet();
            services.counters.ingressFull.increment();
            return refuseBusy(session, name, i, "ingress: the engine's queue is full; nothing was applied; retry");
        }
        return true;
    }

    private boolean query(final ClientSession session, final ApexFunction function, final long i)
    {
        final String name = function.apexName;
        final boolean readOnlyAllowed = function == ApexFunction.GET_OPEN_ORDERS ||
            function == ApexFunction.GET_ORDER_HISTORY || function == ApexFunction.GET_ORDERS_HISTORY ||
            function == ApexFunction.GET_TRADES_HISTORY;
        final AuthSession auth = liveAuth(session);
        if (auth == null)
        {
            return notLoggedIn(session, name, i);
        }
        final User user = auth.user();
        if (!user.has(Permission.OPERATOR) && !user.has(Permission.TRADING) &&
            !(readOnlyAllowed && user.has(Permission.ACCOUNT_READ_ONLY)))
        {
            return refuse(session, name, i, ApexError.NOT_AUTHORIZED, text(name).append(": user ")
                .append(user.name()).append(" lacks the permission"));
        }
        final QueryType type;
        int accountId = 0;
        switch (function)
        {
            case GET_ORDER_STATUS:
                if (!fields.require(RequestFields.OMS_ID, RequestFields.ACCOUNT_ID, RequestFields.ORDER_ID))
                {
                    return refuse(session, name, i, fields.errorCode(), fields.detail());
                }
                type = QueryType.OrderStatus;
                accountId = (int)fields.number(RequestFields.ACCOUNT_ID, 0);
                break;
            case GET_OPEN_ORDERS:
            case GET_ORDER_HISTORY:
            case GET_ORDERS_HISTORY:
            case GET_TRADES_HISTORY:
                if (!fields.require(RequestFields.OMS_ID, RequestFields.ACCOUNT_ID))
                {
                    return refuse(session, name, i, fields.errorCode(), fields.detail());
                }
                type = queryType(function);
                accountId = (int)fields.number(RequestFields.ACCOUNT_ID, 0);
                break;
            case GET_ORDER_HISTORY_BY_ORDER_ID:
            case GET_ORDER_STATE_TRANSITIONS:
                if (!fields.require(RequestFields.OMS_ID, RequestFields.ORDER_ID))
                {
                    return refuse(session, name, i, fields.errorCode(), fields.detail());
                }
                type = function == ApexFunction.GET_ORDER_HISTORY_BY_ORDER_ID ?
                    QueryType.OrderHistoryByOrderId : QueryType.OrderStateTransitions;
                break;
            default:
                return refuse(session, name, i, ApexError.NOT_SUPPORTED, text(name).append(" is not supported"));
        }
        if (!checkOms(session, name, i))
        {
            return true;
        }
        if (accountId != 0 && !user.canAccess(accountId))
        {
            return refuse(session, name, i, ApexError.NOT_AUTHORIZED, text("AccountId: user ").append(user.name())
                .append(" may not read account ").append(accountId));
        }
        if (!engine.query(i, session.id(), type, services.omsId, accountId,
            fields.number(RequestFields.ORDER_ID, 0), (int)fields.number(RequestFields.INSTRUMENT_ID, 0),
            (int)fields.number(RequestFields.DEPTH, 0), (int)fields.number(RequestFields.START_INDEX, 0)))
        {
            services.counters.ingressFull.increment();
            return refuseBusy(session, name, i, "ingress: the engine's queue is full; retry");
        }
        return true;
    }

    private static QueryType queryType(final ApexFunction function)
    {
        switch (function)
        {
            case GET_OPEN_ORDERS:
                return QueryType.OpenOrders;
            case GET_ORDERS_HISTORY:
                return QueryType.OrdersHistory;
            case GET_TRADES_HISTORY:
                return QueryType.TradesHistory;
            default:
                return QueryType.OrderHistory;
        }
    }

    /** GetProducts and GetInstruments: public, answered from the instrument table (docs/api.md section 4.1). */
    private boolean referenceData(final ClientSession session, final ApexFunction function, final long i)
    {
        if (!checkOms(session, function.apexName, i))
        {
            return true;
        }
        final JsonWriter w = out.begin(session, 1, i, function.apexName);
        if (function == ApexFunction.GET_PRODUCTS)
        {
            InstrumentJson.products(services.config.instruments, services.omsId, services.config.decimalScale, w);
        }
        else
        {
            InstrumentJson.instruments(services.config.instruments, services.omsId, w);
        }
        out.send(ApexError.NONE);
        return true;
    }

    /**
     * GetUserAccounts: the accounts configured for the logged-in user, default first (an Operator reaches every
     * account but lists only its configured ones). A UserId, when given, must be the caller's own.
     */
    private boolean userAccounts(final ClientSession session, final long i)
    {
        final String name = ApexFunction.GET_USER_ACCOUNTS.apexName;
        final AuthSession auth = liveAuth(session);
        if (auth == null)
        {
            return notLoggedIn(session, name, i);
        }
        if (!checkOms(session, name, i))
        {
            return true;
        }
        final User user = auth.user();
        final String userId = fields.text(RequestFields.USER_ID);
        if (userId != null && !userId.matches("[0-9]{1,10}"))
        {
            return refuse(session, name, i, ApexError.INVALID_REQUEST, text("UserId: \"").append(userId)
                .append("\" is not a user id (a whole number)"));
        }
        if (userId != null && Long.parseLong(userId) != user.userId())
        {
            return refuse(session, name, i, ApexError.NOT_AUTHORIZED, text("UserId: ").append(userId)
                .append(" is not the logged-in user (").append(user.userId()).append(')'));
        }
        final JsonWriter w = out.begin(session, 1, i, name);
        w.beginArray();
        for (final int account : user.accounts())
        {
            w.value(account);
        }
        w.endArray();
        out.send(ApexError.NONE);
        return true;
    }

    private boolean subscribe(final ClientSession session, final long i)
    {
        final String name = ApexFunction.SUBSCRIBE_ACCOUNT_EVENTS.apexName;
        final AuthSession auth = liveAuth(session);
        if (auth == null)
        {
            return notLoggedIn(session, name, i);
        }
        if (!session.isWebSocket())
        {
            return refuse(session, name, i, ApexError.NOT_SUPPORTED, "subscriptions need a WebSocket; HTTP has none");
        }
        if (!fields.require(RequestFields.OMS_ID, RequestFields.ACCOUNT_ID))
        {
            return refuse(session, name, i, fields.errorCode(), fields.detail());
        }
        if (!checkOms(session, name, i))
        {
            return true;
        }
        final int accountId = (int)fields.number(RequestFields.ACCOUNT_ID, 0);
        final User user = auth.user();
        if (!(user.has(Permission.OPERATOR) || user.has(Permission.TRADING) || user.has(Permission.ACCOUNT_READ_ONLY)))
        {
            return refuse(session, name, i, ApexError.NOT_AUTHORIZED, text(name).append(": user ")
                .append(user.name()).append(" lacks the permission"));
        }
        if (!user.canAccess(accountId))
        {
            return refuse(session, name, i, ApexError.NOT_AUTHORIZED, text("AccountId: user ").append(user.name())
                .append(" may not subscribe to account ").append(accountId));
        }
        // Without FromSeqNum the stream starts after the last event journaled before this answer: every event
        // acknowledged after the client saw "Subscribed" reaches it, and none from before.
        final long fromSeqNum = fields.has(RequestFields.FROM_SEQ_NUM) ?
            Math.max(1, fields.number(RequestFields.FROM_SEQ_NUM, 1)) : services.journalSeqNum.getAsLong() + 1;
        if (fields.has(RequestFields.FROM_SEQ_NUM))
        {
            final long oldest = services.oldestSeqNum.getAsLong();
            if (fromSeqNum < oldest)
            {
                return refuse(session, name, i, Retention.ERROR_CODE,
                    Retention.beforeOldest("FromSeqNum", fromSeqNum, oldest));
            }
        }
        // Queued before the answer is written: the router's first event for it goes to this I/O thread as a task,
        // which runs after this answer.
        if (!services.subscriptions.subscribe(session, accountId, i, fromSeqNum))
        {
            return refuseBusy(session, name, i, "router: the subscription queue is full; nothing was changed; retry");
        }
        final JsonWriter w = out.begin(session, 1, i, name);
        w.beginObject().key("Subscribed").value(true).key("Subscribe").value(true).endObject();
        out.send(ApexError.NONE);
        return true;
    }

    private boolean unsubscribe(final ClientSession session, final long i)
    {
        final String name = ApexFunction.UNSUBSCRIBE_ACCOUNT_EVENTS.apexName;
        if (liveAuth(session) == null)
        {
            return notLoggedIn(session, name, i);
        }
        if (!fields.require(RequestFields.OMS_ID, RequestFields.ACCOUNT_ID))
        {
            return refuse(session, name, i, fields.errorCode(), fields.detail());
        }
        if (!checkOms(session, name, i))
        {
            return true;
        }
        if (!services.subscriptions.unsubscribe(session, (int)fields.number(RequestFields.ACCOUNT_ID, 0)))
        {
            return refuseBusy(session, name, i, "router: the subscription queue is full; nothing was changed; retry");
        }
        final JsonWriter w = out.begin(session, 1, i, name);
        w.beginObject().key("UnSubscribed").value(true).endObject();
        out.send(ApexError.NONE);
        return true;
    }

    private boolean logOut(final ClientSession session, final long i)
    {
        final String name = ApexFunction.LOG_OUT.apexName;
        final AuthSession auth = liveAuth(session);
        if (auth == null)
        {
            return notLoggedIn(session, name, i);
        }
        session.auth(null);
        services.subscriptions.unsubscribeAll(session);
        services.authenticator.logout(auth.token());
        ApexFrameEncoder.beginStandardResponse(out.begin(session, 1, i, name), ApexError.NONE, null).endObject();
        out.send(ApexError.NONE);
        return true;
    }

    private boolean authenticate(
        final ClientSession session, final ApexFunction function, final long i, final String[] basicAuth)
    {
        final String userName = basicAuth != null ? basicAuth[0] : fields.text(RequestFields.USER_NAME);
        final String password = basicAuth != null ? basicAuth[1] : fields.text(RequestFields.PASSWORD);
        final String token = fields.text(RequestFields.SESSION_TOKEN);
        // API-key headers sign in when neither the payload nor a Basic header carries credentials (docs/api.md 4.1).
        final String[] headers = apiKeyHeaders != null && basicAuth == null &&
            function != ApexFunction.WEB_AUTHENTICATE_USER && !fields.has(RequestFields.API_KEY) &&
            !fields.has(RequestFields.USER_NAME) && token == null ? apiKeyHeaders : null;
        final String apiKey = headers != null ? headers[0] : fields.text(RequestFields.API_KEY);
        if (token == null && apiKey == null && (userName == null || password == null))
        {
            final int missing = userName == null ? RequestFields.USER_NAME : RequestFields.PASSWORD;
            fields.missing(missing);
            return refuse(session, function.apexName, i, fields.errorCode(), fields.detail());
        }
        if (apiKey != null && function == ApexFunction.WEB_AUTHENTICATE_USER)
        {
            return refuse(session, function.apexName, i, ApexError.INVALID_REQUEST,
                "APIKey: API-key logins use AuthenticateUser");
        }
        if (headers == null && apiKey != null &&
            !fields.require(RequestFields.SIGNATURE, RequestFields.USER_ID, RequestFields.NONCE))
        {
            return refuse(session, function.apexName, i, fields.errorCode(), fields.detail());
        }
        final String signature = headers != null ? headers[1] : fields.text(RequestFields.SIGNATURE);
        final String userId = headers != null ? headers[2] : fields.text(RequestFields.USER_ID);
        final String nonce = headers != null ? headers[3] : fields.text(RequestFields.NONCE);
        final Authenticator authenticator = services.authenticator;
        final ApexRequestProcessor self = this;
        // Password hashing takes tens of milliseconds: never on an I/O thread.
        try
        {
            services.loginExecutor.execute(() ->
            {
                final LoginResult result = checkLogin(authenticator, session, token, apiKey, signature, userId, nonce,
                    userName, password);
                if (result.authenticated())
                {
                    final AuthSession previous = session.auth();
                    session.auth(result.session());
                    if (previous != null && previous.user() != result.session().user())
                    {
                        services.subscriptions.unsubscribeAll(session); // another user's account events stop here
                    }
                    services.counters.logins.increment();
                }
                else
                {
                    services.counters.failedLogins.increment();
                }
                session.channel().eventLoop().execute(() -> self.writeLoginResult(session, function, i, result));
            });
        }
        catch (final RejectedExecutionException ex)
        {
            return refuseBusy(session, function.apexName, i, "login: too many logins are being checked; retry");
        }
        return false;
    }

    private static LoginResult checkLogin(
        final Authenticator authenticator,
        final ClientSession session,
        final String token,
        final String apiKey,
        final String signature,
        final String userId,
        final String nonce,
        final String userName,
        final String password)
    {
        try
        {
            if (token != null)
            {
                return authenticator.resume(token);
            }
            if (apiKey != null)
            {
                return authenticator.loginWithApiKey(apiKey, signature, userId, nonce, session.remoteAddress());
            }
            return authenticator.login(userName, password, session.remoteAddress());
        }
        catch (final RuntimeException ex)
        {
            // The client still gets its one reply; the exception carries no credential (the authenticator never
            // puts one in a message).
            LOG.error("login check failed", ex);
            return LoginResult.unavailable();
        }
    }

    private void writeLoginResult(
        final ClientSession session, final ApexFunction function, final long i, final LoginResult result)
    {
        if (session.isWebSocket())
        {
            session.channel().config().setAutoRead(true); // reading stopped while the login was checked
        }
        final JsonWriter w = out.begin(session, 1, i, function.apexName);
        w.beginObject();
        if (!result.authenticated())
        {
            w.key("Authenticated").value(false);
            if (function != ApexFunction.WEB_AUTHENTICATE_USER)
            {
                w.key("Locked").value(result.throttled());
            }
            w.key("errormsg").value(result.errorMessage());
            w.endObject();
            out.send(ApexError.NOT_AUTHORIZED, Outbound.NOT_LOGGED_IN);
            return;
        }
        final AuthSession auth = result.session();
        final User user = auth.user();
        w.key("Authenticated").value(true);
        w.key("SessionToken").value(auth.token());
        if (function == ApexFunction.WEB_AUTHENTICATE_USER)
        {
            w.key("UserId").value(user.userId());
            w.key("UserName").value(user.name());
            w.key("AccountId").value(user.defaultAccountId());
            w.key("OMSId").value(user.omsId());
        }
        else
        {
            w.key("User").beginObject()
                .key("UserId").value(user.userId())
                .key("UserName").value(user.name())
                .key("AccountId").value(user.defaultAccountId())
                .key("OMSId").value(user.omsId())
                .endObject();
            w.key("Locked").value(false);
        }
        w.key("Requires2FA").value(false);
        w.key("errormsg").nullValue();
        w.endObject();
        out.send(ApexError.NONE);
    }

    private void writePong(final ClientSession session, final long i)
    {
        final JsonWriter w = out.begin(session, 1, i, ApexFunction.PING.apexName);
        w.beginObject().key("msg").value("PONG").endObject();
        out.send(ApexError.NONE);
    }

    private boolean permitted(final ClientSession session, final String name, final long i, final Permission permission)
    {
        final AuthSession auth = liveAuth(session);
        if (auth == null)
        {
            notLoggedIn(session, name, i);
            return false;
        }
        if (!auth.user().has(permission))
        {
            refuse(session, name, i, ApexError.NOT_AUTHORIZED, text(name).append(": user ").append(auth.user().name())
                .append(" lacks the ").append(permission.apexName()).append(" permission"));
            return false;
        }
        return true;
    }

    /**
     * The session's login, or null if it has none, or it has expired or was logged out elsewhere. The authenticator
     * decides: asking it ends an expired session, which clears it from every connection and ends its subscriptions
     * (the logout listeners), so a connection outliving its login stops receiving account events at once.
     */
    private AuthSession liveAuth(final ClientSession session)
    {
        final AuthSession auth = session.auth();
        if (auth != null && services.authenticator.session(auth.token()) == null)
        {
            session.auth(null);
            services.subscriptions.unsubscribeAll(session);
            return null;
        }
        return auth;
    }

    private boolean checkOms(final ClientSession session, final String name, final long i)
    {
        final long omsId = fields.number(RequestFields.OMS_ID, services.omsId);
        if (omsId != services.omsId)
        {
            refuse(session, name, i, ApexError.NOT_FOUND, text("OMSId: ").append(omsId)
                .append(" is not this gateway's OMS (").append(services.omsId).append(')'));
            return false;
        }
        return true;
    }

    private boolean notLoggedIn(final ClientSession session, final String name, final long i)
    {
        final JsonWriter w = out.begin(session, 1, i, name);
        ApexFrameEncoder.beginStandardResponse(w, ApexError.NOT_AUTHORIZED, "session: not logged in").endObject();
        out.send(ApexError.NOT_AUTHORIZED, Outbound.NOT_LOGGED_IN);
        return true;
    }

    private boolean refuse(
        final ClientSession session, final String name, final long i, final int errorCode, final CharSequence why)
    {
        return refuse(session, name, i, errorCode, why, Outbound.PLAIN);
    }

    private boolean refuseBusy(final ClientSession session, final String name, final long i, final CharSequence why)
    {
        return refuse(session, name, i, ApexError.SERVER_ERROR, why, Outbound.BUSY);
    }

    private boolean refuse(
        final ClientSession session,
        final String name,
        final long i,
        final int errorCode,
        final CharSequence why,
        final int httpReason)
    {
        final JsonWriter w = name != null ? out.begin(session, 1, i, name) :
            out.begin(session, 1, i, frameDecoder.functionName(), frameDecoder.functionNameLength());
        ApexFrameEncoder.beginStandardResponse(w, errorCode, why).endObject();
        out.send(errorCode, httpReason);
        return true;
    }

    private StringBuilder text(final CharSequence start)
    {
        detail.setLength(0);
        return detail.append(start);
    }
}
