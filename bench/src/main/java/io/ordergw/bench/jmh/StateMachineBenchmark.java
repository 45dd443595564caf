package io.ordergw.bench.jmh;

import io.ordergw.bench.fixture.CoreStep;
import io.ordergw.bench.fixture.OrderLifecycle;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.book.OrderBook;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The core's own work per command, on one thread, no journal, no rings:
 * <ul>
 *   <li>{@link #apply}: find the order, decide with the state machine, apply the event to the book (what
 *   {@code EngineAgent} does between reading a command and journaling), over an endless stream of order lives:
 *   new, partial fill, modify, cancel, then a new order id; the book keeps {@value #SMALL_BOOK_RETAINED} terminal
 *   orders, so its working set stays in cache;</li>
 *   <li>{@link #applyProductionBook}: the same over a book with the bounds of {@code reference.conf}: it keeps a
 *   million terminal orders (about 1 GB of records), so once full each new order reuses and retires records that
 *   are long out of cache. This is the steady state of a busy gateway;</li>
 *   <li>{@link #decideNew}: the state machine alone, deciding a new order (no book lookup, nothing applied).</li>
 * </ul>
 * Every command must make an event: a refusal means the fixture is broken, and the trial fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StateMachineBenchmark
{
    /** Terminal orders the small book keeps: its working set stays in the CPU's caches. */
    static final int SMALL_BOOK_RETAINED = 10_000;

    /** A core over a book and a command stream. */
    @State(Scope.Thread)
    public static class Core
    {
        CoreStep core;
        final OrderLifecycle stream = new OrderLifecycle(OrderLifecycle.FULL_LIFE, 1);
        long k;

        /** Fail the trial if any command was refused. */
        @TearDown
        public void check()
        {
            if (core.refused() != 0)
            {
                throw new IllegalStateException(core.refused() + " commands refused, e.g. " + core.detail());
            }
        }
    }

    /** The production bounds, but only {@value #SMALL_BOOK_RETAINED} terminal orders kept. */
    @State(Scope.Thread)
    public static class SmallBook extends Core
    {
        /** Make the book. */
        @Setup
        public void setup()
        {
            final OrderGwConfig.Book bounds = OrderGwConfig.defaults().book;
            core = new CoreStep(OrderGwConfig.defaults().decimalScale, new OrderBook(bounds.maxOpenOrders,
                bounds.maxOpenOrdersPerAccount, SMALL_BOOK_RETAINED, bounds.terminalRetention.toNanos()));
        }
    }

    /** The bounds of reference.conf: a million terminal orders kept for queries. */
    @State(Scope.Thread)
    public static class ProductionBook extends Core
    {
        /** Make the book. */
        @Setup
        public void setup()
        {
            final OrderGwConfig config = OrderGwConfig.defaults();
            core = new CoreStep(config.decimalScale, EngineContext.bookFactory(config).get());
            // Fill the book to its bound before measuring: the steady state, not the growth.
            final long fill = (config.book.maxRetainedTerminalOrders + 10_000L) * OrderLifecycle.FULL_LIFE;
            while (k < fill)
            {
                final long n = k++;
                core.apply(stream.command(n, n, 1, OrderLifecycle.T0_NANOS + n));
            }
        }
    }

    /**
     * Decide and apply the next command, small book.
     *
     * @param s the core.
     * @return the decision.
     */
    @Benchmark
    public int apply(final SmallBook s)
    {
        final long n = s.k++;
        return s.core.apply(s.stream.command(n, n, 1, OrderLifecycle.T0_NANOS + n));
    }

    /**
     * Decide and apply the next command, production book (once full, every order retires a cold one).
     *
     * @param s the core.
     * @return the decision.
     */
    @Benchmark
    public int applyProductionBook(final ProductionBook s)
    {
        final long n = s.k++;
        return s.core.apply(s.stream.command(n, n, 1, OrderLifecycle.T0_NANOS + n));
    }

    /**
     * Decide a new order with nothing applied.
     *
     * @param s the core.
     * @return the decision.
     */
    @Benchmark
    public int decideNew(final SmallBook s)
    {
        final long n = s.k;
        s.k += OrderLifecycle.FULL_LIFE;
        return s.core.decideNew(s.stream.command(n, n, 1, OrderLifecycle.T0_NANOS + n));
    }
}
