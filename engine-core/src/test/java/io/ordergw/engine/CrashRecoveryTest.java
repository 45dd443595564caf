package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 a child JVM running the engine mid-stream, several times, and prove that nothing acknowledged was lost:
 * every acknowledged event is in the journal where its reply said, and the recovered book's state hash equals that
 * of an independent reference model fed the same commands.
 */
@SystemTest
class CrashRecoveryTest
{
    private static final long SEED = 20261124L;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void acknowledgedEventsSurviveSigkillAndRecoveryMatchesTheReferenceModel() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final RandomCommands commands = new RandomCommands(SEED, 50);
        final ReferenceModel model = new ReferenceModel(Commands.SCALE);
        final Map<Long, long[]> ackByIndex = new HashMap<>();
        long nextIndex = 0;
        long totalAcked = 0;

        for (int round = 0; round < ROUNDS; round++)
        {
            final int killAfter = 200 + random.nextInt(800);
            final List<long[]> acks = new ArrayList<>();
            try (ChildJvm child = ChildJvm.start(CrashChild.class, ChildJvm.arg(dir), Long.toString(SEED),
                Long.toString(nextIndex), "100000"))
            {
                child.await("STARTED", 60_000);
                while (acks.size() < killAfter)
                {
                    final String line = child.nextLine(30_000);
                    assertNotNull(line, "child stalled");
                    if (line.startsWith("ACK "))
                    {
                        final String[] parts = line.split(" ");
                        acks.add(new long[]{Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])});
                    }
                }
                child.kill();
            }
            totalAcked += acks.size();

            // Every acknowledged event is journaled at the SeqNum its reply gave, for the order it was about.
            final Map<Long, Long> orderIdBySeqNum = journaledOrderIds();
            for (final long[] ack : acks)
            {
                ackByIndex.put(ack[0], ack);
                if (ack[1] == 0)
                {
                    assertTrue(orderIdBySeqNum.containsKey(ack[2]), "acknowledged SeqNum " + ack[2] + " lost in round " + round);
                }
            }
            final long journalLast = orderIdBySeqNum.size();

            // Bring the model to the journal's end, and past it over acknowledged refusals and repeats: commands are
            // decided strictly in order, so an acknowledged command the model turns into an event past the journal's
            // end would be an acknowledged event lost.
            while (model.seqNum() < journalLast || ackByIndex.containsKey(commands.index()))
            {
                final Commands command = commands.next();
                final long index = commands.index() - 1;
                final ReferenceModel.Outcome outcome = model.apply(command);
                final long[] ack = ackByIndex.remove(index);
                if (ack != null)
                {
                    // The engine's answer agrees with the model's: same event, same repeat, same refusal.
                    switch (outcome)
                    {
                        case EVENT:
                            assertTrue(model.seqNum() <= journalLast, "acknowledged event lost: command " + index);
                            assertEquals(0, ack[1], "command " + index);
                            assertEquals(model.seqNum(), ack[2], "command " + index);
                            assertEquals(command.orderId, orderIdBySeqNum.get(ack[2]).longValue(), "command " + index);
                            break;
                        case REPEAT:
                            assertEquals(0, ack[1], "command " + index);
                            assertEquals(model.order(command.orderId).seqNum, ack[2], "command " + index);
                            break;
                        default:
                            assertEquals(model.lastErrorCode(), ack[1], "command " + index);
                    }
                }
            }
            nextIndex = commands.index();
            assertTrue(ackByIndex.isEmpty(), "acknowledged commands beyond the journal's end: " + ackByIndex.keySet());
        }

        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n");
        try (Engine engine = Engine.open(new EngineContext().config(config).snapshotInterval(Duration.ZERO)))
        {
            assertEquals(model.seqNum(), engine.agent().book().lastSeqNum());
            assertEquals(model.stateHash(), engine.agent().book().stateHash(), "recovered book differs from the model");
            System.out.printf("crash test: %d rounds, %d acknowledged replies, %d events journaled, snapshot at %d%n",
                ROUNDS, totalAcked, model.seqNum(), engine.recovery().snapshotSeqNum);
        }
    }

    private Map<Long, Long> journaledOrderIds()
    {
        final Map<Long, Long> orderIds = new HashMap<>();
        final OrderStateEventDecoder event = new OrderStateEventDecoder();
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dir.resolve("journal"), "FAST_DAILY", false);
            JournalReader reader = journal.newReader())
        {
            reader.seek(1);
            while (reader.poll((seqNum, buffer, offset, length) ->
            {
                event.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH, 0);
                orderIds.put(seqNum, event.orderId());
            }, 1000) > 0)
            {
                // keep reading
            }
            assertEquals(journal.lastSeqNum(), orderIds.size(), "SeqNums 1..N without a gap");
        }
        return orderIds;
    }
}
