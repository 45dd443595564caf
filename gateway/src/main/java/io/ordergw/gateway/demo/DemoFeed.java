package io.ordergw.gateway.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays realistic order lifecycles against a running gateway, as an operator would: it connects over WebSocket, logs
 * in, and sends SendExchangeOrderStateEvent frames: orders accepted, partly filled, modified, filled, canceled,
 * expired and rejected, across a few accounts and instruments. A newcomer subscribes as {@code trader} to account 1
 * and watches them flow.
 */
public final class DemoFeed implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(DemoFeed.class);

    private final WebSocket socket;
    private final Thread thread;
    private final int omsId;
    private final long periodNanos;
    private final SplittableRandom random = new SplittableRandom(20261124);
    private final ArrayDeque<Order> live = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;
    private long nextOrderId;
    private long i = 10;

    /** An order the feed is driving through its life. */
    private static final class Order
    {
        long orderId;
        int accountId;
        int instrument;
        int side;
        int tif;
        long quantity;
        long executed;
        String price;
        int step;
        int plan;
        long expiresAtMillis;
    }

    private DemoFeed(final WebSocket socket, final int omsId, final int eventsPerSecond)
    {
        this.socket = socket;
        this.omsId = omsId;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, eventsPerSecond);
        this.nextOrderId = System.currentTimeMillis() * 1000; // distinct from earlier runs over the same journal
        this.thread = new Thread(this::run, "ordergw-demo-feed");
        this.thread.setDaemon(true);
    }

    /**
     * The demo's instruments, as settings for {@code ordergw.instruments}: {@code --demo} adds them when the
     * configuration has none, so GetInstruments answers them. The feed trades 1 and 2; 3 to 5 are there so that
     * events an operator types by hand (docs/api.md's examples), the load generator and the crash tests send to a
     * demo gateway are not refused as unknown instruments.
     *
     * @return the settings.
     */
    public static Config instruments()
    {
        return ConfigFactory.parseString("ordergw.instruments = [\n" +
            "  { id = 1, symbol = BTCUSD, product1 = BTC, product2 = USD, quantity-increment = 0.0001, " +
            "price-increment = 0.01 },\n" +
            "  { id = 2, symbol = ETHUSD, product1 = ETH, product2 = USD, quantity-increment = 0.001, " +
            "price-increment = 0.01 },\n" +
            "  { id = 3, symbol = SOLUSD, product1 = SOL, product2 = USD, quantity-increment = 0.01, " +
            "price-increment = 0.001 },\n" +
            "  { id = 4, symbol = LTCUSD, product1 = LTC, product2 = USD, quantity-increment = 0.001, " +
            "price-increment = 0.01 },\n" +
            "  { id = 5, symbol = XRPUSD, product1 = XRP, product2 = USD, quantity-increment = 1, " +
            "price-increment = 0.0001 }\n" +
            "]");
    }

    /**
     * Connect, log in and start playing.
     *
     * @param url             the gateway's WebSocket URL.
     * @param user            an Operator user.
     * @param password        its password.
     * @param omsId           the OMS id.
     * @param eventsPerSecond how fast.
     * @return the running feed.
     * @throws Exception if it cannot connect or log in.
     */
    public static DemoFeed start(
        final String url, final String user, final String password, final int omsId, final int eventsPerSecond)
        throws Exception
    {
        final CompletableFuture<String> login = new CompletableFuture<>();
        final DemoFeed[] self = new DemoFeed[1];
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(url), new WebSocket.Listener()
            {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
                {
                    text.append(data);
                    if (last)
                    {
                        final String frame = text.toString();
                        text.setLength(0);
                        if (!login.isDone())
                        {
                            login.complete(frame);
                        }
                        else if (frame.contains("\\\"result\\\":false") && self[0] != null)
                        {
                            self[0].refused.incrementAndGet();
                            LOG.warn("demo feed event refused: {}", frame);
                        }
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"m\":0,\"i\":1,\"n\":\"WebAuthenticateUser\",\"o\":\"{\\\"UserName\\\":\\\"" + user +
            "\\\",\\\"Password\\\":\\\"" + password + "\\\"}\"}", true).get(10, TimeUnit.SECONDS);
        final String answer = login.get(30, TimeUnit.SECONDS);
        if (!answer.contains("\\\"Authenticated\\\":true"))
        {
            socket.abort();
            throw new IllegalStateException("demo feed could not log in as " + user + ": " + answer);
        }
        final DemoFeed feed = new DemoFeed(socket, omsId, eventsPerSecond);
        self[0] = feed;
        feed.thread.start();
        LOG.info("demo feed playing {} events/s as {}", eventsPerSecond, user);
        return feed;
    }

    private void run()
    {
        long next = System.nanoTime();
        while (running)
        {
            final long now = System.nanoTime();
            if (now < next)
            {
                LockSupport.parkNanos(next - now);
                continue;
            }
            next += periodNanos;
            try
            {
                step();
            }
            catch (final Exception ex)
            {
                if (running)
                {
                    LOG.warn("demo feed stopped: {}", ex.toString());
                }
                return;
            }
        }
    }

    private void step() throws Exception
    {
        if (live.size() < 6 || random.nextInt(4) == 0)
        {
            final Order o = new Order();
            o.orderId = ++nextOrderId;
            o.accountId = 1 + random.nextInt(3);
            o.instrument = 1 + random.nextInt(2);
            o.side = random.nextInt(2);
            o.plan = random.nextInt(6);
            o.tif = o.plan == 4 ? 6 : 1;
            o.quantity = 1 + random.nextInt(20);
            o.price = (o.instrument == 1 ? 65000 : 3200) + random.nextInt(50) + "." + (10 + random.nextInt(89));
            o.expiresAtMillis = o.tif == 6 ? System.currentTimeMillis() + 2000 : 0;
            if (o.plan == 5)
            {
                send(o, o.quantity, 0, "AddedToBook, RemovedFromBook", 0, "price outside the collar"); // rejected
                return;
            }
            send(o, o.quantity, 0, "AddedToBook", 0, null);
            live.add(o);
            return;
        }
        final Order o = live.poll();
        o.step++;
        switch (o.plan)
        {
            case 0: // partial fills, then filled
            case 1:
                final long fill = Math.min(o.quantity, 1 + random.nextInt((int)Math.max(1, o.quantity)));
                o.quantity -= fill;
                o.executed += fill;
                send(o, o.quantity, 0, o.quantity == 0 ? "RemovedFromBook" : "AddedToBook", 7, null);
                break;
            case 2: // modified, then canceled
                if (o.step == 1)
                {
                    o.quantity += 5;
                    send(o, o.quantity, 2, "AddedToBook", 0, null);
                }
                else
                {
                    send(o, o.quantity, 1, "RemovedFromBook", 0, "client request");
                    return;
                }
                break;
            case 3: // partly filled, then canceled by the exchange
                if (o.step == 1)
                {
                    o.quantity -= 1;
                    o.executed += 1;
                    send(o, o.quantity, 0, "AddedToBook", 7, null);
                }
                else
                {
                    send(o, o.quantity, 0, "RemovedFromBook", 0, null);
                    return;
                }
                break;
            default: // GTD: expires
                if (System.currentTimeMillis() < o.expiresAtMillis)
                {
                    live.add(o);
                    return;
                }
                send(o, o.quantity, 0, "RemovedFromBook", 0, null);
                return;
        }
        if (o.quantity > 0)
        {
            live.add(o);
        }
    }

    private void send(
        final Order o, final long quantity, final int linkType, final String flags, final int counterParty,
        final String reason) throws Exception
    {
        final String payload = String.format(Locale.ROOT,
            "{\"exchangeId\":1,\"omsId\":%d,\"clientOrderId\":%d,\"accountId\":%d,\"productPairId\":%d," +
            "\"orderType\":2,\"side\":%d,\"tIF\":%d,\"pegPriceType\":0,\"quantity\":%d,\"displayQuantity\":%d," +
            "\"limitPrice\":%s,\"stopPrice\":0,\"referencePrice\":%s,\"orderExpirationDateTime\":%d,\"orderIdOCO\":0," +
            "\"orderFlag\":\"%s\",\"linkType\":%d,\"exchangeServiceId\":\"demo\",\"orderId\":%d,\"enteredBy\":1," +
            "\"counterPartyId\":%d,\"isQuote\":false,\"useMargin\":false,\"bestSellPrice\":%s,\"bestSellQuantity\":3," +
            "\"bestBuyPrice\":%s,\"bestBuyQuantity\":2,\"lastTradePrice\":%s%s}",
            omsId, o.orderId % 100000, o.accountId, o.instrument, o.side, o.tif, quantity, quantity, o.price, o.price,
            o.expiresAtMillis, flags, linkType, o.orderId, counterParty, o.price, o.price, o.price,
            reason == null ? "" : ",\"reason\":\"" + reason + "\"");
        final String frame = "{\"m\":0,\"i\":" + (i += 2) + ",\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"" +
            payload.replace("\"", "\\\"") + "\"}";
        socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
        sent.incrementAndGet();
    }

    /**
     * Events sent.
     *
     * @return count.
     */
    public long sent()
    {
        return sent.get();
    }

    /**
     * Events the gateway refused (there should be none).
     *
     * @return count.
     */
    public long refused()
    {
        return refused.get();
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        socket.abort();
    }
}
