package io.ordergw.gateway.reliability;

import io.ordergw.gateway.SystemTest;
import io.ordergw.gateway.ApexClient;
import io.ordergw.gateway.GatewayHarness;
import io.ordergw.gateway.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Figures for docs/engine.md's retention section: the round trip of a 10,000-order GetOrderHistory, whose answer
 * (the orders' latest events from the book) is many times the egress ring's largest message, and the time
 * verify-journal and an archive dry run take over the journal. Run with
 * {@code mvn -B -q -o -pl gateway -am verify -Pslow -Dit.test=JournalRetentionFigures
 * -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
@SystemTest
class JournalRetentionFigures
{
    private static final int ORDERS = 10_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void figures() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir); ApexClient operator = harness.login("operator"))
        {
            for (int sent = 0; sent < ORDERS; sent += 500)
            {
                final List<Long> pending = new ArrayList<>();
                for (int k = 0; k < 500; k++)
                {
                    pending.add(operator.send("SendExchangeOrderStateEvent", order(1 + sent + k).json()));
                }
                for (final long i : pending)
                {
                    assertEquals(true, operator.awaitReply(i).payload().get("result"));
                }
            }
            final long[] nanos = new long[21];
            for (int run = 0; run < nanos.length; run++)
            {
                final long start = System.nanoTime();
                final List<Map<String, Object>> history = operator.call("GetOrderHistory",
                    "{\"OMSId\":1,\"AccountId\":1,\"Depth\":10000}").payloadList();
                nanos[run] = System.nanoTime() - start;
                assertEquals(ORDERS, history.size());
            }
            Arrays.sort(nanos);
            final long[] status = new long[201];
            for (int run = 0; run < status.length; run++)
            {
                final long start = System.nanoTime();
                final Object orderId = operator.call("GetOrderStatus",
                    "{\"OMSId\":1,\"AccountId\":1,\"OrderId\":" + (1 + run) + "}").payload().get("OrderId");
                assertEquals((long)(1 + run), ((Number)orderId).longValue());
                status[run] = System.nanoTime() - start;
            }
            Arrays.sort(status);
            System.out.printf(
                "FIGURE GetOrderHistory of %,d orders over WebSocket: median %.1f ms, max %.1f ms (21 runs)%n", ORDERS,
                nanos[10] / 1e6, nanos[20] / 1e6);
            System.out.printf("FIGURE GetOrderStatus over WebSocket: median %.3f ms, max %.3f ms (201 runs)%n",
                status[100] / 1e6, status[200] / 1e6);
        }
        long start = System.nanoTime();
        assertEquals(0, new CommandLine(new Main()).execute("verify-journal", "--data-dir", dir.toString()));
        System.out.printf("FIGURE verify-journal of %,d events: %.0f ms%n", ORDERS, (System.nanoTime() - start) / 1e6);
        start = System.nanoTime();
        assertEquals(0, new CommandLine(new Main()).execute("archive", "--data-dir", dir.toString(), "--dry-run"));
        System.out.printf("FIGURE archive --dry-run (loads the snapshot of %,d orders): %.0f ms%n", ORDERS,
            (System.nanoTime() - start) / 1e6);
    }
}
