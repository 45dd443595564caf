package io.ordergw.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingress ring's depth counter says what is still waiting after each duty cycle, and its capacity counter the
 * ring's size, both stored by the engine itself.
 */
@SystemTest
class RingDepthCounterTest
{
    @TempDir
    Path dir;

    @Test
    void theDepthIsWhatTheBatchLeftInTheRing()
    {
        try (EngineHarness engine = new EngineHarness(dir, "ordergw.engine.batch-limit = 2\n"))
        {
            final EngineCounters counters = engine.engine().agent().counters();
            assertEquals(64 * 1024, counters.ingressRingCapacity.get());
            for (int i = 1; i <= 5; i++)
            {
                assertTrue(engine.offer(Commands.newOrder(i)));
            }
            final long fiveCommands = engine.engine().context().ingressRing().size();
            assertTrue(fiveCommands > 0);

            engine.doWork(); // takes 2 of 5
            final long left = counters.ingressRingDepth.get();
            assertEquals(engine.engine().context().ingressRing().size(), left);
            assertEquals(fiveCommands * 3 / 5, left, "three of five equal commands still waiting");

            engine.drainReplies();
            engine.doWork();
            engine.drainReplies();
            engine.doWork();
            assertEquals(0, counters.ingressRingDepth.get(), "all five taken");
            assertEquals(5, counters.commandsReceived.get());
        }
    }
}
