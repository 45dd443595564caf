package io.ordergw.bench;

import io.ordergw.bench.fixture.CoreStep;
import io.ordergw.bench.fixture.OrderLifecycle;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.JournalVerifier;
import io.ordergw.engine.Recovery;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.ChronicleEventJournal;

import java.nio.file.Path;

/**
 * How fast start-up rebuilds the book: writes a journal of N events (order lives: new, partial fill, modify,
 * cancel), then replays it into an empty book, as recovery does with no snapshot, several times, and also runs
 * {@link JournalVerifier} (which decides every event again) over it.
 * <pre>
 *   java @bench/target/jvm.options -cp bench/target/benchmarks.jar io.ordergw.bench.RecoveryRate [events] [runs]
 * </pre>
 */
public final class RecoveryRate
{
    private RecoveryRate()
    {
    }

    /**
     * Run.
     *
     * @param args events (default 2,000,000) and runs (default 5).
     */
    public static void main(final String[] args)
    {
        final long events = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final Path dir = BenchDirs.newDataDir("recovery");
        try
        {
            final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir + "\"\n" +
                "ordergw.book.max-retained-terminal-orders = 100000\n");
            try (ChronicleEventJournal journal = new ChronicleEventJournal(config.journal.dir, "FAST_DAILY", false))
            {
                final CoreStep core = new CoreStep(config.decimalScale, EngineContext.bookFactory(config).get());
                final OrderLifecycle stream = new OrderLifecycle(OrderLifecycle.FULL_LIFE, 1);
                for (long k = 0; k < events; k++)
                {
                    core.applyAndJournal(stream.command(k, k, 1, OrderLifecycle.T0_NANOS + k), journal);
                }
                System.out.printf("journal: %,d events%n", journal.lastSeqNum());
                for (int run = 1; run <= runs; run++)
                {
                    final Recovery.Result result = Recovery.recover(EngineContext.bookFactory(config), null, journal);
                    final OrderBook book = result.book;
                    System.out.printf("replay %d: %,d events in %,d ms = %,.0f events/s (book %,d orders)%n", run,
                        result.replayedEvents, result.replayNanos / 1_000_000, result.eventsPerSecond(), book.size());
                }
                final long start = System.nanoTime();
                final JournalVerifier.Result verified =
                    new JournalVerifier().verify(journal, EngineContext.bookFactory(config), config.decimalScale);
                final long nanos = System.nanoTime() - start;
                System.out.printf("verify: %,d events decided again in %,d ms = %,.0f events/s%n",
                    verified.events, nanos / 1_000_000, verified.events * 1e9 / nanos);
            }
        }
        finally
        {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
