package io.ordergw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@SystemTest
class GatewaySmokeTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void pingOverWebSocket() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir); ApexClient client = harness.client())
        {
            final ApexClient.Frame reply = client.call("Ping", "{}");
            assertEquals(1, reply.m);
            assertEquals("PONG", reply.payload().get("msg"));
            assertEquals(true, client.login("operator", GatewayHarness.PASSWORD).get("Authenticated"));
        }
    }

    @Test
    @Timeout(60)
    void aGatewayThatCannotListenFailsWithoutLeavingThreadsBehind() throws Exception
    {
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            assertThrows(Exception.class,
                () -> new GatewayHarness(dir, "ordergw.gateway.port = " + taken.getLocalPort() + "\n"));
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
        assertEquals(List.of(), left, "threads started by the failed start");
    }
}
