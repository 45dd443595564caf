package io.ordergw.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
