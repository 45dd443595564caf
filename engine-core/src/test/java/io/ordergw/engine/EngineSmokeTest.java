package io.ordergw.engine;

import io.ordergw.codec.sbe.OrderState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertEquals;

@SystemTest
class EngineSmokeTest
{
    @TempDir
    Path dir;

    @Test
    void newOrderThenFillIsJournaledAndSurvivesRestart()
    {
        final Commands order = Commands.newOrder(42);
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertEquals(1, engine.send(order).seqNum);
            assertEquals(2, engine.send(order.next().trade(0, units(100))).seqNum);
            assertEquals(OrderState.FullyExecuted, engine.order(42).orderState());
        }
        try (EngineHarness engine = new EngineHarness(dir))
        {
            assertEquals(OrderState.FullyExecuted, engine.order(42).orderState());
            assertEquals(3, engine.send(Commands.newOrder(43)).seqNum);
        }
    }
}
