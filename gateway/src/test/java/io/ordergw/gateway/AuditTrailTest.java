package io.ordergw.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ordergw.engine.Audit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ordergw.gateway.ApexAssertions.subscribe;
import static io.ordergw.gateway.OrderEventJson.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit lines that are not logins (those are {@code AuditLogTest}): a subscriber closed as a slow consumer, and
 * the journal's disk guard starting to refuse events, each once per occurrence however many events it concerns.
 */
@SystemTest
class AuditTrailTest
{
    private static final int BATCH = 200;
    private static final int MAX_EVENTS = 40_000;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger)LoggerFactory.getLogger(Audit.LOGGER_NAME);

    @BeforeEach
    void captureAudit()
    {
        audit.start();
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void stopCapturing()
    {
        auditLogger.detachAppender(audit);
        audit.stop();
    }

    @Test
    @Timeout(60)
    void theDiskGuardStartingToRefuseIsAuditedOnceNotPerRefusedEvent() throws Exception
    {
        // More free space than any disk has: the first measurement refuses.
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.journal.min-free-space = " + (1L << 60) + "\n");
            ApexClient operator = harness.login("operator"))
        {
            for (int k = 0; k < 20; k++)
            {
                final Map<String, Object> reply = operator.call("SendExchangeOrderStateEvent", order(1 + k).json())
                    .payload();
                assertEquals(102L, ((Number)reply.get("errorcode")).longValue(), reply.toString());
            }
        }
        final List<String> lines = lines("disk ");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("disk refusing location=.*journal free=\\d+MiB " +
            "min-free-space=1099511627776MiB: new events are refused \\(102\\)"), lines.get(0));
    }

    @Test
    @Timeout(90)
    void aSlowConsumerCloseIsAuditedWithItsUserAccountAndWhereItResumes() throws Exception
    {
        try (GatewayHarness harness = new GatewayHarness(dir, "ordergw.gateway.session-outbound-limit = 64KiB\n");
            ApexClient operator = harness.login("operator");
            ApexClient slow = ApexClient.connectPausingAfter(harness.gateway.webSocketUrl(), 5))
        {
            assertEquals(true, slow.login("trader", GatewayHarness.PASSWORD).get("Authenticated"));
            subscribe(slow, 1, 0);
            int sent = 0;
            while (lines("slow-consumer").isEmpty() && sent < MAX_EVENTS)
            {
                final long[] is = new long[BATCH];
                for (int k = 0; k < BATCH; k++)
                {
                    is[k] = operator.send("SendExchangeOrderStateEvent", order(100_000 + sent + k).json());
                }
                for (final long i : is)
                {
                    operator.awaitReply(i);
                }
                sent += BATCH;
            }
            final List<String> lines = lines("slow-consumer");
            assertEquals(1, lines.size(), "one line for one close after " + sent + " events: " + lines);
            assertTrue(lines.get(0).matches("slow-consumer closed user=trader from=127\\.0\\.0\\.1.* account=1 " +
                "lastSentSeqNum=\\d+ reason=slow consumer: unsent data passed " +
                "ordergw\\.gateway\\.session-outbound-limit.*"), lines.get(0));
        }
    }

    private List<String> lines(final String prefix)
    {
        final List<String> lines = new ArrayList<>();
        synchronized (audit)
        {
            for (final ILoggingEvent event : audit.list)
            {
                if (event.getFormattedMessage().startsWith(prefix))
                {
                    lines.add(event.getFormattedMessage());
                }
            }
        }
        return lines;
    }
}
