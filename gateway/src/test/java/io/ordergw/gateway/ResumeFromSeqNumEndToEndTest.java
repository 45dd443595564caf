package io.ordergw.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.ordergw.gateway.ApexAssertions.nextEvent;
import static io.ordergw.gateway.ApexAssertions.sendAcked;
import static io.ordergw.gateway.ApexAssertions.seqNum;
import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FromSeqNum (docs/api.md section 4): a subscriber that disconnects and comes back with its last SeqNum + 1 receives
 * every event of its account it missed, from the journal, then the live ones, with no gap and no duplicate at the
 * hand-over, even while events keep arriving.
 */
@SystemTest
class ResumeFromSeqNumEndToEndTest
{
    @TempDir
    static Path dir;

    private static GatewayHarness harness;

    @BeforeAll
    static void startGateway() throws Exception
    {
        harness = new GatewayHarness(dir);
    }

    @AfterAll
    static void stopGateway()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    @Timeout(60)
    void aSubscriberThatReconnectsWithFromSeqNumMissesNothing() throws Exception
    {
        final List<Long> account1 = new ArrayList<>();
        final List<Long> received = new ArrayList<>();
        try (ApexClient operator = harness.login("operator"))
        {
            long lastSeen;
            String token;
            try (ApexClient subscriber = harness.client())
            {
                token = (String)subscriber.login("trader", GatewayHarness.PASSWORD).get("SessionToken");
                final long sub = subscribe(subscriber, 1, 0);
                sendMixed(operator, 10_000, 5, account1);
                received.addAll(seqNums(subscriber, sub, account1.size()));
                lastSeen = received.get(received.size() - 1);
            }
            // Disconnected: these are missed.
            sendMixed(operator, 10_100, 7, account1);

            try (ApexClient resumed = harness.client())
            {
                assertEquals(true, resumed.call("WebAuthenticateUser",
                    "{\"SessionToken\":" + ApexClient.quote(token) + "}").payload().get("Authenticated"));
                final long sub = subscribe(resumed, 1, lastSeen + 1);
                received.addAll(seqNums(resumed, sub, account1.size() - received.size()));
                sendMixed(operator, 10_200, 3, account1);
                received.addAll(seqNums(resumed, sub, account1.size() - received.size()));
                assertEquals(account1, received, "every event of the account, once, in order");

                // And with a password login on yet another connection, from the very first event.
                try (ApexClient fromStart = harness.login("trader"))
                {
                    final long all = subscribe(fromStart, 1, account1.get(0));
                    assertEquals(account1, seqNums(fromStart, all, account1.size()));
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void aRepeatedSubscribeAskingForEarlierEventsGetsThem() throws Exception
    {
        final List<Long> account1 = new ArrayList<>();
        try (ApexClient operator = harness.login("operator"); ApexClient subscriber = harness.login("trader"))
        {
            sendMixed(operator, 30_000, 4, account1);
            subscribe(subscriber, 1, 0); // live from now: nothing owed yet
            final long again = subscribe(subscriber, 1, account1.get(0));
            assertEquals(account1, seqNums(subscriber, again, account1.size()), "the earlier events, replayed");
        }
    }

    @Test
    @Timeout(60)
    void aReplayThatRacesLiveEventsHandsOverWithNoGapAndNoDuplicate() throws Exception
    {
        final int total = 400;
        final List<Long> account1 = java.util.Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch halfway = new CountDownLatch(1);
        try (ApexClient operator = harness.login("operator"); ApexClient subscriber = harness.login("trader"))
        {
            final long firstOfTest = sendAcked(operator, order(20_000));
            account1.add(firstOfTest);
            final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int k = 1; k < total; k++)
                    {
                        final boolean mine = k % 3 != 0;
                        final long seqNum = sendAcked(operator, order(20_000 + k).raw("accountId", mine ? "1" : "2"));
                        if (mine)
                        {
                            account1.add(seqNum);
                        }
                        if (k == total / 4)
                        {
                            halfway.countDown();
                        }
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertTrue(halfway.await(30, TimeUnit.SECONDS));
            // Replay from the journal while the operator keeps sending.
            final long sub = subscribe(subscriber, 1, firstOfTest);
            sending.get(30, TimeUnit.SECONDS);
            final List<Long> received = seqNums(subscriber, sub, account1.size());
            assertEquals(account1, received, "the hand-over from replay to live lost or repeated an event");

            // A FromSeqNum beyond the journal's end starts there, live.
            try (ApexClient ahead = harness.login("trader"))
            {
                final long last = account1.get(account1.size() - 1);
                final long aheadSub = subscribe(ahead, 1, last + 2);
                final long next = sendAcked(operator, order(20_900));
                final long after = sendAcked(operator, order(20_901));
                final long expected = next >= last + 2 ? next : after;
                assertEquals(expected, seqNum(nextEvent(ahead, aheadSub).payload()));
            }
        }
    }

    @Test
    @Timeout(60)
    void seqNumsAndResumeSurviveARestart(@TempDir final Path restartDir) throws Exception
    {
        final List<Long> account1 = new ArrayList<>();
        long lastSeen;
        try (GatewayHarness first = new GatewayHarness(restartDir);
            ApexClient operator = first.login("operator"); ApexClient subscriber = first.login("trader"))
        {
            final long sub = subscribe(subscriber, 1, 0);
            sendMixed(operator, 30_000, 4, account1);
            final List<Long> seen = seqNums(subscriber, sub, account1.size());
            lastSeen = seen.get(seen.size() - 1);
            sendMixed(operator, 30_100, 3, account1);
        }
        try (GatewayHarness second = new GatewayHarness(restartDir);
            ApexClient operator = second.login("operator"); ApexClient subscriber = second.login("trader"))
        {
            final long sub = subscribe(subscriber, 1, lastSeen + 1);
            sendMixed(operator, 30_200, 3, account1);
            final List<Long> missedAndNew = seqNums(subscriber, sub, account1.size() - 4);
            assertEquals(account1.subList(4, account1.size()), missedAndNew);
            assertTrue(account1.get(account1.size() - 1) > lastSeen, "SeqNums keep growing after a restart");
        }
    }

    /** Events for account 1 and, in between, for account 2: account 1's SeqNums are added to the list. */
    private static void sendMixed(final ApexClient operator, final long firstOrderId, final int count,
        final List<Long> account1) throws Exception
    {
        for (int k = 0; k < count; k++)
        {
            account1.add(sendAcked(operator, order(firstOrderId + k)));
            sendAcked(operator, order(firstOrderId + 50 + k).raw("accountId", "2"));
        }
    }

    private static List<Long> seqNums(final ApexClient client, final long sub, final int count) throws Exception
    {
        final List<Long> seqNums = new ArrayList<>();
        for (int k = 0; k < count; k++)
        {
            final ApexClient.Frame event = nextEvent(client, sub);
            assertEquals(1L, event.payload().get("AccountId"), event.raw);
            seqNums.add(seqNum(event.payload()));
        }
        return seqNums;
    }
}
