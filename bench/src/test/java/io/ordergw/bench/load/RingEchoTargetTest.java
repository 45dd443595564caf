package io.ordergw.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingEchoTargetTest
{
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    @Timeout(30)
    void shouldAnswerEveryRequestOnceWithItsNumber()
    {
        final int requests = 50_000; // far more than the rings hold at once: the echo must keep draining them
        final int[] answers = new int[requests];
        final int[] refused = new int[1];
        final RingEchoTarget target = new RingEchoTarget("backoff");
        try
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
                while (sent < requests && sent - answered < 4096 && target.send(sent))
                {
                    sent++;
                }
                answered += target.poll(handler);
            }
            assertEquals(requests, answered);
            for (int k = 0; k < requests; k++)
            {
                assertEquals(1, answers[k], "answers to request " + k);
            }
            assertEquals(0, refused[0]);
            assertEquals(requests, target.echoed());
        }
        finally
        {
            target.close();
        }
        assertTrue(target.isClosed(), "the echo thread ended");
    }

    @Test
    @Timeout(30)
    void shouldKeepUpWithTheOpenLoopGeneratorAtALowRate()
    {
        try (RingEchoTarget target = new RingEchoTarget("backoff"))
        {
            final OpenLoopGenerator.Settings settings = OpenLoopGenerator.Settings.at(10_000);
            settings.warmupNanos = TimeUnit.MILLISECONDS.toNanos(100);
            settings.measureNanos = TimeUnit.MILLISECONDS.toNanos(300);
            final RunResult result = new OpenLoopGenerator(target).run(settings);

            assertEquals(4_000, result.sent);
            assertEquals(result.sent, result.answered);
            assertEquals(0, result.errors);
            assertEquals(0, result.unanswered);
            assertEquals(result.measuredRequests, result.latency.getTotalCount());
            assertFalse(target.isClosed());
        }
    }
}
