package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.engine.Commands;
import io.ordergw.engine.JournalVerifier;
import io.ordergw.engine.RandomCommands;
import io.ordergw.engine.ReferenceModel;
import io.ordergw.gateway.ApexClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety under load, end to end: the real gateway process ({@code ordergw --demo}) is driven over WebSocket
 * by several operator connections, each sending a seeded stream of SendExchangeOrderStateEvent requests one after
 * another, while subscriber connections follow the accounts. At a random moment the process is killed with SIGKILL;
 * it is restarted on the same data directory, operators retry the one request they had in flight (as an operator
 * would after a time-out), subscribers resume with {@code FromSeqNum}, and the next round begins.
 * <p>
 * After every kill, with the process dead:
 * <ul>
 *     <li>the journal runs 1..N with no gap and no repeat, and every event in it is re-decided byte for byte by the
 *     {@link JournalVerifier};</li>
 *     <li>every event acknowledged before the kill is in the journal at the SeqNum its reply gave, and the
 *     operator's commands, merged in journal order into an independent {@link ReferenceModel}, explain every
 *     journaled event and every reply (same SeqNum, same repeat, same refusal code): an acknowledged event the model
 *     places past the journal's end would be an acknowledged event lost;</li>
 *     <li>the book recovered from the snapshots and journal holds every acknowledged order and has the model's state
 *     hash;</li>
 *     <li>what each subscriber received for each account is a prefix of that account's journaled events, each once,
 *     in order.</li>
 * </ul>
 * At the end the gateway is restarted once more, every subscriber resumes and must receive exactly the journal's
 * events of its accounts, each once, and a clean stop must leave a book with the model's state hash.
 */
@SystemTest
class GatewayCrashTest
{
    private static final String PASSWORD = "crash-test-password";
    /** Each operator owns the order ids of its own block, so its stream decides its orders alone. */
    private static final long ORDER_ID_BLOCK = 1_000_000_000L;
    private static final int[] ALL_ACCOUNTS = {1, 2, 3, 4, 5};
    private static final long REPLY_TIMEOUT_MS = 20_000;

    @TempDir
    Path dir;

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private String webSocketUrl;

    @Test
    @Timeout(300)
    void acknowledgedEventsSurviveSigkillUnderLoad() throws Exception
    {
        run(3, 3, 20261124L);
    }

    @Test
    @Tag("slow")
    @Timeout(3600)
    void acknowledgedEventsSurviveManySigkillsUnderLoad() throws Exception
    {
        run(30, 4, 20261125L);
    }

    private void run(final int rounds, final int operators, final long seed) throws Exception
    {
        final Path data = dir.resolve("data");
        final Path config = dir.resolve("ordergw.conf");
        Files.writeString(config, "ordergw.snapshot.interval = 400ms\n" +
            "ordergw.journal.min-free-space = 0\n" +
            "ordergw.gateway.auth.max-failures = 1000\n" +
            GatewayProcess.isolatedFeed(dir), StandardCharsets.UTF_8);
        final Map<String, String> env = Map.of("ORDERGW_DEMO_PASSWORD", PASSWORD);
        final Path log = dir.resolve("gateway.log");

        final SplittableRandom random = new SplittableRandom(seed);
        final List<Driver> drivers = new ArrayList<>();
        for (int d = 0; d < operators; d++)
        {
            drivers.add(new Driver(d, new RandomCommands(seed * 31 + d, 30)));
        }
        final List<Subscriber> subscribers = List.of(
            new Subscriber("operator", ALL_ACCOUNTS), new Subscriber("trader", new int[]{1}));
        final ReferenceModel model = new ReferenceModel(Commands.SCALE);
        long journalLast = 0;
        long acknowledged = 0;
        long eventsChecked = 0;
        long inFlightAtKill = 0;

        for (int round = 0; round < rounds; round++)
        {
            try (GatewayProcess gateway = GatewayProcess.start(config, data, log, env, "--demo"))
            {
                assertEquals(journalLast, gateway.startSeqNum(), "round " + round + ": recovered SeqNum");
                webSocketUrl = gateway.webSocketUrl();
                final List<Thread> threads = startAll(drivers, subscribers);
                final AtomicLong acksBefore = new AtomicLong(totalAcks(drivers));
                final long minAcks = 50 + random.nextInt(300);
                final long deadline = System.currentTimeMillis() + 60_000;
                while (totalAcks(drivers) - acksBefore.get() < minAcks && failures.isEmpty())
                {
                    assertTrue(System.currentTimeMillis() < deadline, "round " + round + ": too few acknowledgements");
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(800));
                gateway.kill();
                joinAll(threads);
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);

            for (final Driver driver : drivers)
            {
                inFlightAtKill += !driver.sent.isEmpty() && !driver.sent.get(driver.sent.size() - 1).isAcked() ? 1 : 0;
            }
            final List<JournalCheck.Event> journal = JournalCheck.readJournal(data);
            acknowledged = totalAcks(drivers);
            mergeIntoModel(model, drivers, journal, "round " + round);
            journalLast = journal.size();
            assertEquals(journalLast, model.seqNum(), "the model explains the journal");
            checkRecovery(data, model, drivers, "round-" + round);
            final JournalVerifier.Result verified = JournalCheck.verify(data);
            assertEquals(journalLast, verified.events);
            assertEquals(model.stateHash(), verified.stateHash, "re-decided journal vs model");
            eventsChecked += verified.events;
            for (final Subscriber subscriber : subscribers)
            {
                subscriber.checkPrefixOf(journal, false);
            }
        }

        // Last start: retry what was in flight, then let every subscriber resume to the end; stop cleanly.
        for (final Driver driver : drivers)
        {
            driver.newCommands = false;
        }
        try (GatewayProcess gateway = GatewayProcess.start(config, data, log, env, "--demo"))
        {
            webSocketUrl = gateway.webSocketUrl();
            joinAll(startAll(drivers, List.of()));
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            GatewayProcess.assertStoppedCleanly(gateway);
        }
        final List<JournalCheck.Event> journal = JournalCheck.readJournal(data);
        mergeIntoModel(model, drivers, journal, "final");
        for (final Driver driver : drivers)
        {
            assertEquals(driver.sent.size(), driver.modelPos, "driver " + driver.id + ": every command resolved");
        }
        try (GatewayProcess gateway = GatewayProcess.start(config, data, log, env, "--demo"))
        {
            webSocketUrl = gateway.webSocketUrl();
            final List<Thread> threads = startAll(List.of(), subscribers);
            final long deadline = System.currentTimeMillis() + 60_000;
            while (!allCaughtUp(subscribers, journal) && System.currentTimeMillis() < deadline && failures.isEmpty())
            {
                Thread.sleep(20);
            }
            GatewayProcess.assertStoppedCleanly(gateway);
            joinAll(threads);
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        long subscriberEvents = 0;
        for (final Subscriber subscriber : subscribers)
        {
            subscriber.checkPrefixOf(journal, true);
            subscriberEvents += subscriber.count();
        }
        final JournalCheck.Recovered recovered = checkRecovery(data, model, drivers, "final");
        assertEquals(journal.size(), recovered.snapshotSeqNum, "a clean stop snapshots the whole book");

        long journaledBeforeAck = 0;
        for (final Driver driver : drivers)
        {
            journaledBeforeAck += driver.journaledBeforeAck;
        }
        Figures.report("GatewayCrashTest", rounds + " SIGKILL rounds survived, " + operators + " operators, " +
            acknowledged + " replies acknowledged (" + journal.size() + " events journaled), " + inFlightAtKill +
            " requests in flight at the kills (" + journaledBeforeAck + " of them journaled before their reply " +
            "could leave: their retry was acknowledged as a repeat with the same SeqNum), " + eventsChecked +
            " journal events re-verified across rounds, " + subscriberEvents + " subscriber events checked " +
            "exactly once after FromSeqNum resumes, acknowledged events lost: 0");
    }

    private List<Thread> startAll(final List<Driver> drivers, final List<Subscriber> subscribers)
    {
        final List<Thread> threads = new ArrayList<>();
        for (final Subscriber subscriber : subscribers)
        {
            threads.add(start(subscriber, "subscriber-" + subscriber.user));
        }
        for (final Driver driver : drivers)
        {
            threads.add(start(driver, "driver-" + driver.id));
        }
        return threads;
    }

    private static Thread start(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void joinAll(final List<Thread> threads) throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.join(60_000);
            if (thread.isAlive())
            {
                thread.interrupt();
                thread.join(10_000);
                failures.add(thread.getName() + " did not end after the connection was lost");
            }
        }
    }

    private static long totalAcks(final List<Driver> drivers)
    {
        long acks = 0;
        for (final Driver driver : drivers)
        {
            acks += driver.acks.get();
        }
        return acks;
    }

    /**
     * Feed the model every operator's commands in the order the journal says the engine decided them: the journal's
     * events one by one, each explained by its owner's next commands (refusals and repeats leave no event); then each
     * operator's acknowledged commands past its last journaled one, which must all be non-events.
     */
    private static void mergeIntoModel(
        final ReferenceModel model,
        final List<Driver> drivers,
        final List<JournalCheck.Event> journal,
        final String when)
    {
        for (final Driver driver : drivers)
        {
            driver.checkLateAcks(when);
        }
        for (long s = model.seqNum() + 1; s <= journal.size(); s++)
        {
            final JournalCheck.Event event = journal.get((int)(s - 1));
            final int owner = (int)(event.orderId / ORDER_ID_BLOCK) - 1;
            assertTrue(owner >= 0 && owner < drivers.size(),
                when + ": SeqNum " + s + " for unknown order " + event.orderId);
            final Driver driver = drivers.get(owner);
            while (true)
            {
                assertTrue(driver.modelPos < driver.sent.size(),
                    when + ": journaled SeqNum " + s + " (order " + event.orderId + ") that no command explains");
                final Sent sent = driver.sent.get(driver.modelPos++);
                final ReferenceModel.Outcome outcome = model.apply(sent.command);
                if (outcome == ReferenceModel.Outcome.EVENT)
                {
                    assertEquals(s, model.seqNum(), when);
                    assertEquals(event.orderId, sent.command.orderId, when + ": SeqNum " + s + " is another order");
                    if (!sent.isAcked())
                    {
                        driver.journaledBeforeAck++;
                    }
                    sent.expect(0, s, when);
                    break;
                }
                sent.expect(outcome == ReferenceModel.Outcome.REPEAT ? 0 : model.lastErrorCode(),
                    outcome == ReferenceModel.Outcome.REPEAT ? model.order(sent.command.orderId).seqNum : 0, when);
            }
        }
        for (final Driver driver : drivers)
        {
            while (driver.modelPos < driver.sent.size() && driver.sent.get(driver.modelPos).isAcked())
            {
                final Sent sent = driver.sent.get(driver.modelPos);
                final ReferenceModel.Outcome outcome = model.apply(sent.command);
                if (outcome == ReferenceModel.Outcome.EVENT)
                {
                    fail(when + ": ACKNOWLEDGED EVENT LOST: operator " + driver.id + " got SeqNum " + sent.seqNum +
                        " for order " + sent.command.orderId + " but the journal ends at " + journal.size());
                }
                sent.expect(outcome == ReferenceModel.Outcome.REPEAT ? 0 : model.lastErrorCode(),
                    outcome == ReferenceModel.Outcome.REPEAT ? model.order(sent.command.orderId).seqNum : 0, when);
                driver.modelPos++;
            }
            assertTrue(driver.sent.size() - driver.modelPos <= 1,
                when + ": operator " + driver.id + " has more than its one request in flight unexplained");
        }
    }

    private JournalCheck.Recovered checkRecovery(
        final Path data, final ReferenceModel model, final List<Driver> drivers, final String when)
    {
        final List<Long> acknowledgedOrders = new ArrayList<>();
        for (final Driver driver : drivers)
        {
            for (final Sent sent : driver.sent)
            {
                if (sent.isAcked() && sent.errorCode == 0)
                {
                    acknowledgedOrders.add(sent.command.orderId);
                }
            }
        }
        final JournalCheck.Recovered recovered =
            JournalCheck.recover(data, dir.resolve("snapshot-copy-" + when), acknowledgedOrders);
        assertEquals(model.seqNum(), recovered.lastSeqNum, when + ": recovered SeqNum");
        assertTrue(recovered.missingOrders.isEmpty(), when + ": acknowledged orders missing from the book: " +
            recovered.missingOrders);
        assertEquals(model.stateHash(), recovered.stateHash, when + ": recovered book vs the reference model");
        return recovered;
    }

    private static boolean allCaughtUp(final List<Subscriber> subscribers, final List<JournalCheck.Event> journal)
    {
        for (final Subscriber subscriber : subscribers)
        {
            for (final int account : subscriber.accounts)
            {
                long last = 0;
                for (final JournalCheck.Event event : journal)
                {
                    if (event.accountId == account)
                    {
                        last = event.seqNum;
                    }
                }
                if (subscriber.lastSeqNum(account) != last)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** One command an operator sent, and its reply once it came. */
    private static final class Sent
    {
        final Commands command;
        final String payload;
        volatile int errorCode = -1;
        volatile long seqNum;
        /** What the model says the reply must be, once it has placed the command; -1 until then. */
        int expectedCode = -1;
        long expectedSeqNum;
        boolean checked;

        Sent(final Commands command)
        {
            this.command = command;
            this.payload = CommandJson.payload(command);
        }

        boolean isAcked()
        {
            return errorCode >= 0;
        }

        void expect(final int code, final long seqNum, final String when)
        {
            expectedCode = code;
            expectedSeqNum = seqNum;
            check(when);
        }

        void check(final String when)
        {
            if (checked || !isAcked() || expectedCode < 0)
            {
                return;
            }
            assertEquals(expectedCode, errorCode, when + ": reply code for order " + command.orderId);
            assertEquals(expectedSeqNum, seqNum, when + ": reply SeqNum for order " + command.orderId);
            checked = true;
        }
    }

    /** An operator connection sending its stream one request at a time. */
    private final class Driver implements Runnable
    {
        final int id;
        final RandomCommands stream;
        final List<Sent> sent = new ArrayList<>();
        final AtomicLong acks = new AtomicLong();
        volatile boolean newCommands = true;
        int modelPos;
        /** Requests in flight at a kill whose event was journaled though the reply never left. */
        int journaledBeforeAck;

        Driver(final int id, final RandomCommands stream)
        {
            this.id = id;
            this.stream = stream;
        }

        /** Replies that came after the model had placed their command (a retried request). */
        void checkLateAcks(final String when)
        {
            for (int k = 0; k < modelPos; k++)
            {
                sent.get(k).check(when);
            }
        }

        @Override
        public void run()
        {
            try (ApexClient client = ApexClient.connect(webSocketUrl))
            {
                if (!login(client, "operator"))
                {
                    return;
                }
                final Sent inFlight = sent.isEmpty() ? null : sent.get(sent.size() - 1);
                if (inFlight != null && !inFlight.isAcked() && !sendAndAwait(client, inFlight))
                {
                    return;
                }
                while (newCommands)
                {
                    final Commands command = CommandJson.clockIndependent(stream.next());
                    command.orderId += (id + 1) * ORDER_ID_BLOCK;
                    final Sent next = new Sent(command);
                    sent.add(next);
                    if (!sendAndAwait(client, next))
                    {
                        return;
                    }
                }
            }
            catch (final Exception ex)
            {
                // The connection went with the process; the request in flight stays unacknowledged.
            }
        }

        private boolean sendAndAwait(final ApexClient client, final Sent request) throws Exception
        {
            final long i = client.send("SendExchangeOrderStateEvent", request.payload);
            final ApexClient.Frame reply = awaitReply(client, i);
            if (reply == null)
            {
                return false;
            }
            final Map<String, Object> o = reply.payload();
            final int code = ((Number)o.get("errorcode")).intValue();
            if (code == 100 || code == 102)
            {
                failures.add("operator " + id + ": unexpected refusal " + reply.raw + " of " + request.payload);
                return false;
            }
            request.seqNum = code == 0 ? ((Number)o.get("SeqNum")).longValue() : 0;
            request.errorCode = code;
            acks.incrementAndGet();
            return true;
        }
    }

    /** A connection following accounts, resuming each with FromSeqNum after the last event it saw. */
    private final class Subscriber implements Runnable
    {
        final String user;
        final int[] accounts;
        final Map<Integer, List<long[]>> received = new ConcurrentHashMap<>();

        Subscriber(final String user, final int[] accounts)
        {
            this.user = user;
            this.accounts = accounts;
            for (final int account : accounts)
            {
                received.put(account, java.util.Collections.synchronizedList(new ArrayList<>()));
            }
        }

        long lastSeqNum(final int account)
        {
            final List<long[]> events = received.get(account);
            return events.isEmpty() ? 0 : events.get(events.size() - 1)[0];
        }

        long count()
        {
            long count = 0;
            for (final List<long[]> events : received.values())
            {
                count += events.size();
            }
            return count;
        }

        @Override
        public void run()
        {
            try (ApexClient client = ApexClient.connect(webSocketUrl))
            {
                if (!login(client, user))
                {
                    return;
                }
                final Map<Long, Integer> accountByI = new HashMap<>();
                for (final int account : accounts)
                {
                    final long i = client.send("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":" + account +
                        ",\"FromSeqNum\":" + (lastSeqNum(account) + 1) + "}");
                    accountByI.put(i, account);
                }
                while (true)
                {
                    final ApexClient.Frame frame = client.nextFrame(50);
                    if (frame == null)
                    {
                        if (client.awaitClose(0) != null)
                        {
                            drain(client, accountByI);
                            return;
                        }
                        continue;
                    }
                    onFrame(frame, accountByI);
                }
            }
            catch (final Exception ex)
            {
                // connection lost with the process
            }
        }

        private void drain(final ApexClient client, final Map<Long, Integer> accountByI) throws InterruptedException
        {
            ApexClient.Frame frame;
            while ((frame = client.nextFrame(0)) != null)
            {
                onFrame(frame, accountByI);
            }
        }

        private void onFrame(final ApexClient.Frame frame, final Map<Long, Integer> accountByI)
        {
            if (frame.m != 3)
            {
                if (!Boolean.TRUE.equals(frame.payload().get("Subscribed")))
                {
                    failures.add(user + ": subscription refused: " + frame.raw);
                }
                return;
            }
            final Map<String, Object> o = frame.payload();
            final int account = ((Number)o.get("AccountId")).intValue();
            final long seqNum = ((Number)o.get("SeqNum")).longValue();
            final long orderId = ((Number)o.get("OrderId")).longValue();
            final Integer subscribed = accountByI.get(frame.i);
            if (subscribed == null || subscribed != account)
            {
                failures.add(user + ": event of account " + account + " under i=" + frame.i);
                return;
            }
            if (seqNum <= lastSeqNum(account))
            {
                failures.add(user + ": account " + account + " SeqNum " + seqNum + " after " + lastSeqNum(account) +
                    " (a duplicate or out of order)");
                return;
            }
            received.get(account).add(new long[]{seqNum, orderId});
        }

        /** What arrived for each account is the journal's list for it, or (mid-test) a prefix of it. */
        void checkPrefixOf(final List<JournalCheck.Event> journal, final boolean whole)
        {
            for (final int account : accounts)
            {
                final List<long[]> got = received.get(account);
                int k = 0;
                for (final JournalCheck.Event event : journal)
                {
                    if (event.accountId != account)
                    {
                        continue;
                    }
                    if (k == got.size())
                    {
                        assertTrue(!whole, () -> user + " account " + account + ": missing SeqNum " + event.seqNum);
                        break;
                    }
                    assertEquals(event.seqNum, got.get(k)[0], user + " account " + account + ": event " + k);
                    assertEquals(event.orderId, got.get(k)[1], user + " account " + account + ": event " + k);
                    k++;
                }
                assertEquals(k, got.size(), user + " account " + account + ": events beyond the journal");
            }
        }
    }

    private boolean login(final ApexClient client, final String user) throws Exception
    {
        final long i = client.send("WebAuthenticateUser",
            "{\"UserName\":\"" + user + "\",\"Password\":\"" + PASSWORD + "\"}");
        final ApexClient.Frame reply = awaitReply(client, i);
        if (reply == null)
        {
            return false;
        }
        if (!Boolean.TRUE.equals(reply.payload().get("Authenticated")))
        {
            failures.add(user + ": login refused: " + reply.raw);
            return false;
        }
        return true;
    }

    /** The reply with an i, or null if the connection closed first (the process was killed). */
    private ApexClient.Frame awaitReply(final ApexClient client, final long i) throws Exception
    {
        final long deadline = System.currentTimeMillis() + REPLY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            ApexClient.Frame frame = client.nextFrame(20);
            if (frame != null)
            {
                if (frame.m != 3 && frame.i == i)
                {
                    return frame;
                }
                continue;
            }
            if (client.awaitClose(0) != null)
            {
                while ((frame = client.nextFrame(0)) != null)
                {
                    if (frame.m != 3 && frame.i == i)
                    {
                        return frame;
                    }
                }
                return null;
            }
        }
        failures.add("no reply to i=" + i + " within " + REPLY_TIMEOUT_MS + " ms from a live gateway");
        return null;
    }
}
