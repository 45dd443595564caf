package io.ordergw.bench.load;

import io.ordergw.config.OrderGwConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// A network server on a free port: a system test (failsafe), as the gateway module's @SystemTest classes.
@Tag("system")
class WsEchoServerTest
{
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    @Timeout(60)
    void shouldAnswerEveryRequestOverEveryConnectionAndCloseCleanly() throws Exception
    {
        final int connections = 3;
        final int requests = 3_000;
        final WsEchoServer server = WsEchoServer.start(OrderGwConfig.defaults().gateway, "127.0.0.1", 0);
        final URI url = server.url();
        try
        {
            final int[] answers = new int[requests];
            final int[] refused = new int[1];
            try (WebSocketTarget target = new WebSocketTarget(url, "operator", "any", connections, 100))
            {
                target.startRun(requests);
                final LoadTarget.ReplyHandler handler = (k, ok, receivedNanos) ->
                {
                    answers[(int)k]++;
                    if (!ok)
                    {
                        refused[0]++;
                    }
                };
                final long deadline = System.nanoTime() + TIMEOUT_NANOS;
                int sent = 0;
                int answered = 0;
                while (answered < requests && System.nanoTime() < deadline)
                {
                    while (sent < requests && target.send(sent))
                    {
                        sent++;
                    }
                    target.flush();
                    answered += target.poll(handler);
                }
                assertEquals(requests, answered);
            }
            for (int k = 0; k < requests; k++)
            {
                assertEquals(1, answers[k], "answers to request " + k);
            }
            assertEquals(0, refused[0], "every reply says result true");
            assertEquals(requests + connections, server.echoed(), "the requests and one login per connection");
        }
        finally
        {
            server.close();
        }
        assertTrue(server.isTerminated(), "every event loop thread ended");
        assertThrows(IOException.class, () -> WsConnection.open(url, 4096).close(), "nothing listens any more");
    }

    @Test
    @Timeout(60)
    void shouldAnswerWithTheGatewaysReplyShape() throws Exception
    {
        try (WsEchoServer server = WsEchoServer.start(OrderGwConfig.defaults().gateway, "127.0.0.1", 0);
            WsConnection connection = WsConnection.open(server.url(), 4096))
        {
            final String frame = "{\"m\":0,\"i\":7,\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"{}\"}";
            assertEquals("{\"m\":1,\"i\":7,\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"{\\\"result\\\":true," +
                "\\\"errormsg\\\":null,\\\"errorcode\\\":0,\\\"detail\\\":null,\\\"SeqNum\\\":1}\"}",
                connection.request(frame, 10_000));
        }
    }
}
