package io.ordergw.gateway;

import io.ordergw.config.ThreadingMode;
import io.ordergw.engine.EngineScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ordergw.threading-mode} on a whole gateway: the threads each mode starts, none left after close, and the
 * INVOKER mode answering a request and delivering its event with no thread of the gateway's own.
 */
@SystemTest
class GatewayThreadingModeTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = {"DEDICATED", "SHARED"})
    @Timeout(60)
    void startsTheAgentsThreadsOfItsModeAndLeavesNoThreadBehind(final ThreadingMode mode) throws Exception
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.threading-mode = " + mode + "\n"))
        {
            final Set<String> expected = ThreadingMode.DEDICATED == mode ?
                Set.of("ordergw-engine", "ordergw-router", "ordergw-feed", "ordergw-snapshot",
                    "ordergw-journal-read-ahead", "ordergw-housekeeping") :
                Set.of("ordergw-engine", "ordergw-shared");
            assertEquals(new TreeSet<>(expected), ordergwThreadsSince(before));
            assertEquals(mode, harness.gateway.scheduler().mode());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left;
        do
        {
            Thread.sleep(50);
            left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(name -> !name.startsWith("ForkJoinPool") && !name.equals("process reaper"))
                // Chronicle's process-wide helpers (names with '~') live as long as the JVM by design.
                .filter(name -> !name.contains("~"))
                .collect(Collectors.toList());
        }
        while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left, "threads left after close");
    }

    @Test
    @Timeout(60)
    void theInvokerModeAnswersAndDeliversTheEventWithNoThreadOfTheGateway() throws Exception
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.threading-mode = INVOKER\n");
            ApexClient operator = harness.client();
            ApexClient trader = harness.client())
        {
            final EngineScheduler scheduler = harness.gateway.scheduler();
            login(scheduler, operator, "operator");
            login(scheduler, trader, "trader");
            final long subscribeI = trader.send("SubscribeAccountEvents", "{\"OMSId\":1,\"AccountId\":1}");
            final ApexClient.Frame subscribed = await(scheduler, trader, f -> f.m == 1 && f.i == subscribeI);
            assertEquals(true, subscribed.payload().get("Subscribed"), subscribed.raw);

            final long orderI = operator.send("SendExchangeOrderStateEvent", order(4242).json());
            final ApexClient.Frame reply = await(scheduler, operator, f -> f.m == 1 && f.i == orderI);
            final Map<String, Object> payload = reply.payload();
            assertEquals(true, payload.get("result"), reply.raw);
            final long seqNum = ((Number)payload.get("SeqNum")).longValue();

            final ApexClient.Frame event = await(scheduler, trader, f -> f.m == 3 && f.i == subscribeI);
            assertEquals("OrderStateEvent", event.n, event.raw);
            assertEquals(4242L, event.payload().get("OrderId"), event.raw);
            assertEquals(seqNum, ((Number)event.payload().get("SeqNum")).longValue(), event.raw);

            assertEquals(Set.of(), ordergwThreadsSince(before), "the invoker starts no thread");
        }
        assertEquals(Set.of(), ordergwThreadsSince(before));
    }

    private static void login(final EngineScheduler scheduler, final ApexClient client, final String user)
        throws Exception
    {
        final long i = client.send("WebAuthenticateUser",
            "{\"UserName\":\"" + user + "\",\"Password\":\"" + GatewayHarness.PASSWORD + "\"}");
        final ApexClient.Frame reply = await(scheduler, client, f -> f.m == 1 && f.i == i);
        assertEquals(true, reply.payload().get("Authenticated"), reply.raw);
    }

    /** Drive the agents on this thread until a frame arrives that matches (frames that do not are dropped). */
    private static ApexClient.Frame await(
        final EngineScheduler scheduler, final ApexClient client, final Predicate<ApexClient.Frame> match)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            scheduler.invoke();
            final ApexClient.Frame frame = client.nextFrame(1);
            if (null != frame && match.test(frame))
            {
                return frame;
            }
        }
        fail("no matching frame within 20 s");
        return null;
    }

    private static Set<String> ordergwThreadsSince(final Set<Thread> before)
    {
        final Set<String> names = new TreeSet<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && !before.contains(thread) && thread.getName().startsWith("ordergw"))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
