package io.ordergw.engine;

import io.ordergw.codec.ApexError;
import io.ordergw.codec.sbe.LinkType;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ordergw.engine.Commands.units;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SystemTest
class EngineAgentTest
{
    @TempDir
    Path dir;

    @Test
    void anExactRepeatIsAcknowledgedWithTheSameSeqNumAndNoNewEvent()
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final Commands order = Commands.newOrder(5);
            assertEquals(1, engine.send(order).seqNum);
            final Commands retry = order.copy();
            retry.correlationId = 99;
            retry.receiveTimeNanos += 5_000_000; // a retry arrives later; time is not a request field
            final EngineHarness.Reply reply = engine.send(retry);
            assertEquals(0, reply.errorCode);
            assertEquals(1, reply.seqNum);
            assertEquals(99, reply.correlationId);
            assertEquals(1, engine.journalEvents().size());
        }
    }

    @Test
    void aJournalFaultBeforeTheCommitRefusesAndOneAfterItStillAppliesAndAcknowledges()
    {
        final AtomicBoolean failBefore = new AtomicBoolean();
        final AtomicBoolean failAfter = new AtomicBoolean();
        try (EngineHarness engine = new EngineHarness(dir, "", journal -> new FaultyJournal(journal, failBefore, failAfter)))
        {
            assertEquals(1, engine.send(Commands.newOrder(1)).seqNum);

            failBefore.set(true);
            final EngineHarness.Reply refused = engine.send(Commands.newOrder(2));
            assertEquals(ApexError.SERVER_ERROR, refused.errorCode);
            assertTrue(refused.detail.contains("nothing was applied"), refused.detail);
            assertNull(engine.order(2));

            // Written, then the sync failed: the journal holds it, so a restart would apply it; so does the engine.
            failAfter.set(true);
            final EngineHarness.Reply written = engine.send(Commands.newOrder(3));
            assertEquals(ApexError.NONE, written.errorCode, written.toString());
            assertEquals(2, written.seqNum);
            assertNotNull(engine.order(3));

            assertEquals(3, engine.send(Commands.newOrder(4)).seqNum, "no SeqNum reused or skipped");
            assertEquals(3, engine.journalEvents().size());
        }
    }

    /** A journal that fails an append before writing it, or after. */
    private static final class FaultyJournal implements EventJournal
    {
        private final EventJournal journal;
        private final AtomicBoolean failBefore;
        private final AtomicBoolean failAfter;

        FaultyJournal(final EventJournal journal, final AtomicBoolean failBefore, final AtomicBoolean failAfter)
        {
            this.journal = journal;
            this.failBefore = failBefore;
            this.failAfter = failAfter;
        }

        public long lastSeqNum()
        {
            return journal.lastSeqNum();
        }

        public void append(final DirectBuffer buffer, final int offset, final int length)
        {
            if (failBefore.getAndSet(false))
            {
                throw new JournalException("disk gone");
            }
            journal.append(buffer, offset, length);
            if (failAfter.getAndSet(false))
            {
                throw new JournalException("written but not synced to storage");
            }
        }

        public JournalReader newReader()
        {
            return journal.newReader();
        }

        public void close()
        {
            journal.close();
        }
    }

    @Test
    void aFullDiskRefusesWith102AndAppliesNothingThenResumes()
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            engine.send(Commands.newOrder(1));
            engine.freeBytes.set(1000);
            final EngineHarness.Reply refused = engine.send(Commands.newOrder(2));
            assertEquals(ApexError.SERVER_ERROR, refused.errorCode);
            assertTrue(refused.detail.contains("min-free-space"), refused.detail);
            assertNull(engine.order(2));
            assertEquals(1, engine.journalEvents().size());
            engine.freeBytes.set(Long.MAX_VALUE / 2);
            assertEquals(2, engine.send(Commands.newOrder(2)).seqNum);
        }
    }

    @Test
    void aFullEgressRingHoldsTheReplyAndStopsReadingUntilThereIsRoom()
    {
        // A 4 KiB egress ring holds a few dozen replies: offer many commands and read nothing back.
        try (EngineHarness engine = new EngineHarness(dir, "ordergw.engine.egress-ring-bytes = 4KiB\n"))
        {
            int offered = 0;
            for (int i = 1; i <= 200; i++)
            {
                if (engine.offer(Commands.newOrder(i)))
                {
                    offered++;
                }
            }
            for (int i = 0; i < 50; i++)
            {
                engine.doWork();
            }
            final long appliedWhileFull = engine.engine().agent().book().lastSeqNum();
            assertTrue(appliedWhileFull < offered, "the engine stopped taking commands while replies could not leave");
            int replies = 0;
            for (int i = 0; i < 1000 && replies < offered; i++)
            {
                engine.doWork();
                final List<EngineHarness.Reply> batch = engine.drainReplies();
                for (final EngineHarness.Reply reply : batch)
                {
                    assertEquals(0, reply.errorCode);
                    assertEquals(++replies, reply.seqNum, "one reply per command, in order, none lost");
                }
            }
            assertEquals(offered, replies);
            assertTrue(engine.engine().agent().counters().egressBackPressure.get() > 0);
        }
    }

    @Test
    void queriesSeeTheEffectOfAcknowledgedCommands()
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final Commands a = Commands.newOrder(10);
            final Commands b = Commands.newOrder(11);
            b.productPairId = 2;
            final Commands other = Commands.newOrder(12);
            other.accountId = 8;
            engine.send(a);
            engine.send(b);
            engine.send(other);
            engine.send(a.next().trade(units(4), units(101)));
            engine.send(b.next().link(LinkType.Cancel));

            final EngineHarness.QueryAnswer status = engine.query(QueryType.OrderStatus, 7, 10, 0, 0, 0);
            assertEquals(0, status.errorCode);
            assertEquals(List.of(4L), status.seqNums);

            assertEquals(ApexError.NOT_FOUND, engine.query(QueryType.OrderStatus, 7, 12, 0, 0, 0).errorCode,
                "another account's order is not found");
            assertEquals(ApexError.NOT_FOUND, engine.query(QueryType.OrderStatus, 7, 999, 0, 0, 0).errorCode);

            assertEquals(List.of(4L), engine.query(QueryType.OpenOrders, 7, 0, 0, 0, 0).seqNums);
            assertEquals(List.of(5L, 4L), engine.query(QueryType.OrderHistory, 7, 0, 0, 0, 0).seqNums, "newest first");
            assertEquals(List.of(4L), engine.query(QueryType.OrderHistory, 7, 0, 0, 1, 1).seqNums, "depth and start index");
            assertEquals(List.of(), engine.query(QueryType.OpenOrders, 7, 0, 2, 0, 0).seqNums, "instrument filter");

            final EngineHarness.QueryAnswer transitions = engine.query(QueryType.OrderStateTransitions, 0, 10, 0, 0, 0);
            assertEquals(OrderState.Working, transitions.state);
            assertEquals(List.of(OrderState.Working, OrderState.Canceled, OrderState.Expired, OrderState.FullyExecuted),
                transitions.transitions);
            final EngineHarness.QueryAnswer terminal = engine.query(QueryType.OrderStateTransitions, 0, 11, 0, 0, 0);
            assertEquals(OrderState.Canceled, terminal.state);
            assertEquals(List.of(), terminal.transitions);
        }
    }

    @Test
    void countersTrackWhatMoves()
    {
        try (EngineHarness engine = new EngineHarness(dir))
        {
            final Commands order = Commands.newOrder(1);
            engine.send(order);
            engine.send(order);
            engine.send(Commands.newOrder(2).link(LinkType.Cancel));
            final EngineCounters counters = engine.engine().agent().counters();
            assertEquals(3, counters.commandsReceived.get());
            assertEquals(1, counters.eventsApplied.get());
            assertEquals(1, counters.repeatsAcknowledged.get());
            assertEquals(1, counters.refusedNotFound.get());
            assertEquals(1, counters.openOrders.get());
            assertEquals(1, counters.journalSeqNum.get());
        }
    }
}
