package io.ordergw.engine;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderState;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.QueryReplyDecoder;
import io.ordergw.codec.sbe.QueryType;
import io.ordergw.codec.sbe.ReplyDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.book.OrderRecord;
import io.ordergw.engine.journal.DiskSpaceGuard;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;

import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.EventJournal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engine on a temporary directory, driven by hand on the test's thread: send commands, run duty cycles, read the
 * replies. No thread is started.
 */
public final class EngineHarness implements AutoCloseable
{
    /** A reply, copied out of the ring. */
    public static final class Reply
    {
        public final long correlationId;
        public final int errorCode;
        public final long seqNum;
        public final String detail;

        Reply(final ReplyDecoder decoder)
        {
            correlationId = decoder.correlationId();
            errorCode = decoder.errorCode();
            seqNum = decoder.seqNum();
            detail = decoder.detail();
        }

        @Override
        public String toString()
        {
            return "Reply{" + correlationId + ", code=" + errorCode + ", seqNum=" + seqNum + ", detail=" + detail + "}";
        }
    }

    /** A query reply, copied out of the ring. */
    public static final class QueryAnswer
    {
        public final int errorCode;
        public final OrderState state;
        public final List<Long> seqNums = new ArrayList<>();
        public final List<OrderState> transitions = new ArrayList<>();
        /** The orders' latest events as the reply carries them (header included). */
        public final List<byte[]> events = new ArrayList<>();
        public final String detail;

        QueryAnswer(final QueryReplyDecoder decoder)
        {
            errorCode = decoder.errorCode();
            state = decoder.orderState();
            for (final QueryReplyDecoder.SeqNumsDecoder s : decoder.seqNums())
            {
                seqNums.add(s.seqNum());
            }
            for (final QueryReplyDecoder.TransitionsDecoder t : decoder.transitions())
            {
                transitions.add(t.state());
            }
            for (final QueryReplyDecoder.EventsDecoder e : decoder.events())
            {
                final byte[] event = new byte[e.orderEventLength()];
                e.getOrderEvent(event, 0, event.length);
                events.add(event);
            }
            detail = decoder.detail();
        }
    }

    public final Path dir;
    public final OrderGwConfig config;
    public final AtomicLong freeBytes = new AtomicLong(Long.MAX_VALUE / 2);
    private final Engine engine;
    private final EngineProxy proxy;
    private final EngineResponseAdapter adapter;
    private final List<Reply> replies = new ArrayList<>();
    private final List<QueryAnswer> answers = new ArrayList<>();

    /**
     * An engine with extra settings over the defaults.
     *
     * @param dir   the data directory.
     * @param hocon extra settings.
     */
    public EngineHarness(final Path dir, final String hocon)
    {
        this(dir, hocon, null);
    }

    /**
     * A harness whose journal is wrapped, e.g. to inject faults.
     *
     * @param dir   data directory.
     * @param hocon extra settings.
     * @param wrap  wraps the Chronicle journal, or null for none.
     */
    public EngineHarness(final Path dir, final String hocon, final UnaryOperator<EventJournal> wrap)
    {
        this.dir = dir;
        this.config = OrderGwConfig.parse("ordergw.data-dir = \"" + dir.toString().replace("\\", "/") + "\"\n" +
            "ordergw.engine.ingress-ring-bytes = 64KiB\nordergw.engine.egress-ring-bytes = 64KiB\n" + hocon);
        final EngineContext context = new EngineContext()
            .config(config)
            .snapshotInterval(Duration.ZERO)
            .diskSpaceGuard(new DiskSpaceGuard(freeBytes::get, 1L << 20, 0, "test disk"));
        if (wrap != null)
        {
            context.journal(wrap.apply(new ChronicleEventJournal(config.journal.dir, config.journal.rollCycle, false)));
        }
        engine = Engine.open(context);
        proxy = new EngineProxy(context.ingressRing());
        adapter = new EngineResponseAdapter(context.egressRing(), new EngineResponseAdapter.Listener()
        {
            public void onReply(final ReplyDecoder reply)
            {
                replies.add(new Reply(reply));
            }

            public void onQueryReply(final QueryReplyDecoder reply)
            {
                answers.add(new QueryAnswer(reply));
            }
        });
    }

    /**
     * An engine with default settings.
     *
     * @param dir the data directory.
     */
    public EngineHarness(final Path dir)
    {
        this(dir, "");
    }

    /**
     * Send one command and run the engine until it replies.
     *
     * @param command the command.
     * @return the reply.
     */
    public Reply send(final Commands command)
    {
        final UnsafeBuffer buffer = command.encode();
        if (!proxy.offer(buffer, 0, command.length()))
        {
            throw new IllegalStateException("ingress full");
        }
        return awaitReply();
    }

    /**
     * Offer without running the engine.
     *
     * @param command the command.
     * @return false if the ring is full.
     */
    public boolean offer(final Commands command)
    {
        final UnsafeBuffer buffer = command.encode();
        return proxy.offer(buffer, 0, command.length());
    }

    /**
     * Run the engine until a reply is available and take it.
     *
     * @return the reply.
     */
    public Reply awaitReply()
    {
        for (int i = 0; i < 1000 && replies.isEmpty(); i++)
        {
            engine.agent().doWork();
            adapter.poll(100);
        }
        if (replies.isEmpty())
        {
            throw new IllegalStateException("no reply");
        }
        return replies.remove(0);
    }

    /**
     * Run one duty cycle.
     *
     * @return work done.
     */
    public int doWork()
    {
        return engine.agent().doWork();
    }

    /**
     * Drain responses without running the engine.
     *
     * @return replies taken.
     */
    public List<Reply> drainReplies()
    {
        adapter.poll(Integer.MAX_VALUE);
        final List<Reply> taken = new ArrayList<>(replies);
        replies.clear();
        return taken;
    }

    /**
     * Query the book.
     *
     * @param type         the query.
     * @param accountId    account or 0.
     * @param orderId      order or 0.
     * @param instrumentId instrument or 0.
     * @param depth        depth or 0.
     * @param startIndex   start index.
     * @return the answer.
     */
    public QueryAnswer query(
        final QueryType type, final int accountId, final long orderId, final int instrumentId, final int depth,
        final int startIndex)
    {
        if (!proxy.query(77, 1, type, 1, accountId, orderId, instrumentId, depth, startIndex))
        {
            throw new IllegalStateException("ingress full");
        }
        for (int i = 0; i < 1000 && answers.isEmpty(); i++)
        {
            engine.agent().doWork();
            adapter.poll(100);
        }
        return answers.remove(0);
    }

    /**
     * The engine.
     *
     * @return engine.
     */
    public Engine engine()
    {
        return engine;
    }

    /**
     * The order's latest event as the book holds it.
     *
     * @param orderId the order.
     * @return a decoder over a copy, or null.
     */
    public OrderStateEventDecoder order(final long orderId)
    {
        final OrderRecord record = engine.agent().book().find(orderId);
        if (record == null)
        {
            return null;
        }
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[record.eventLength()]);
        copy.putBytes(0, record.eventBuffer(), 0, record.eventLength());
        return new OrderStateEventDecoder().wrap(copy, MessageHeaderDecoder.ENCODED_LENGTH,
            OrderStateEventDecoder.BLOCK_LENGTH, OrderStateEventDecoder.SCHEMA_VERSION);
    }

    /**
     * Every journaled event, copied.
     *
     * @return events in SeqNum order.
     */
    public List<byte[]> journalEvents()
    {
        final List<byte[]> events = new ArrayList<>();
        try (JournalReader reader = engine.context().journal().newReader())
        {
            reader.seek(1);
            while (reader.poll((seqNum, buffer, offset, length) ->
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                events.add(bytes);
            }, 1000) > 0)
            {
                // keep reading
            }
        }
        return events;
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
