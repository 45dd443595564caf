package io.ordergw.engine.publish;

import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;

import java.util.function.LongSupplier;

/**
 * Tails the journal and offers every event, as its SBE bytes (header included), to the feed's Aeron publications:
 * IPC for the in-process gateway, and optionally a UDP channel (unicast, multicast or multi-destination) for the
 * exchange's own services. It is an {@link Agent}: run it on its own {@code AgentRunner}, or on the engine's thread
 * through a {@code CompositeAgent} (see {@link EventFeed}).
 *
 * <h2>The core never waits</h2>
 * The engine appends to the journal and acknowledges; this agent reads the journal later, on its own cursor. Each
 * publication has its own journal cursor, so a back-pressured UDP publication never holds up the IPC one. An offer
 * refused with BACK_PRESSURED, NOT_CONNECTED or ADMIN_ACTION leaves the event parked and the duty cycle ends; the same
 * event is offered first on the next cycle. Nothing blocks or spins. CLOSED or MAX_POSITION_EXCEEDED replaces the
 * publication (asynchronously) and the feed goes on from the parked event on the new one. Per publication,
 * {@link FeedCounters.PublicationCounters#lag} (journal SeqNum minus published SeqNum) says how far behind it is.
 *
 * <h2>Isolation policy: no consumer holds up the others</h2>
 * Aeron publications are flow controlled by their subscribers, so the choice of who may hold the feed back is made
 * here, on purpose:
 * <ul>
 *   <li><b>IPC</b>: consumers subscribe <em>untethered</em> ({@code tether=false}; the Java subscriber API always
 *   does). A consumer that falls {@code 3/4} of a window behind the fastest one for
 *   {@code untethered-window-limit-timeout} is cut off (its image goes unavailable), stops counting for flow control
 *   after {@code untethered-linger-timeout}, and rejoins at the live head after {@code untethered-resting-timeout}.
 *   The others wait at most those two timeouts plus a tick of the driver's timer (set on the IPC channel: 2 s and
 *   1 s by default). A lone consumer that stops polling back-pressures only this IPC cursor: the lag grows, the
 *   journal holds the events.</li>
 *   <li><b>UDP</b>: flow control {@code fc=max}: the publication goes at the pace of the fastest consumer. A slower
 *   consumer's driver drops what overruns its window; its image then times out (image liveness) and rejoins at the
 *   live head. {@code fc=tagged} (a preferred group that must never be left behind) or {@code fc=min} can be
 *   configured instead, at the price of letting those consumers slow the UDP feed (never the IPC feed or the
 *   core).</li>
 *   <li><b>Recovery</b>: every consumer recovers what it missed from the journal through the {@link ReplayService},
 *   by SeqNum, with no gap and no duplicate: being cut off costs a replay, never an event.</li>
 * </ul>
 * The journal is the buffer for slow consumers, not Aeron's term buffers and not the core.
 *
 * <h2>Start</h2>
 * The cursors start at {@link EventFeed.Context#fromSeqNum()}: by default the SeqNum after the journal's last event
 * when the feed is created, so after a restart the feed continues where the journal ends and a consumer that missed
 * events across the restart replays them. Journal readers are created in {@link #onStart()}, on the agent's thread.
 */
public final class EventPublisher implements Agent
{
    private final EventJournal journal;
    private final LongSupplier journalSeqNum;
    private final int batchLimit;
    private final long fromSeqNum;
    private final FeedPublication ipc;
    private final FeedPublication udp;
    private boolean closed;

    /**
     * A publisher over a concluded context; it adds its publications now.
     *
     * @param ctx      the concluded context.
     * @param counters where to count.
     */
    public EventPublisher(final EventFeed.Context ctx, final FeedCounters counters)
    {
        this.journal = ctx.journal();
        this.journalSeqNum = ctx.journalSeqNum();
        this.batchLimit = ctx.batchLimit();
        this.fromSeqNum = ctx.fromSeqNum();
        this.ipc = new FeedPublication(
            ctx.aeron(), ctx.ipcChannel(), ctx.ipcStreamId(), fromSeqNum, counters.ipc, ctx.errorHandler());
        FeedPublication udp = null;
        if (!ctx.udpChannel().isEmpty())
        {
            try
            {
                udp = new FeedPublication(
                    ctx.aeron(), ctx.udpChannel(), ctx.udpStreamId(), fromSeqNum, counters.udp, ctx.errorHandler());
            }
            catch (final RuntimeException ex)
            {
                ipc.close();
                throw ex;
            }
        }
        this.udp = udp;
    }

    @Override
    public String roleName()
    {
        return "ordergw-event-publisher";
    }

    @Override
    public void onStart()
    {
        ipc.reader(newReader());
        if (null != udp)
        {
            udp.reader(newReader());
        }
    }

    private JournalReader newReader()
    {
        final JournalReader reader = journal.newReader();
        if (!reader.seek(fromSeqNum))
        {
            reader.close();
            throw new IllegalStateException("feed start SeqNum " + fromSeqNum + " is past the journal's end");
        }
        return reader;
    }

    @Override
    public int doWork()
    {
        final long journalSeqNum = this.journalSeqNum.getAsLong();
        int work = ipc.doWork(batchLimit, journalSeqNum);
        if (null != udp)
        {
            work += udp.doWork(batchLimit, journalSeqNum);
        }
        return work;
    }

    /**
     * The SeqNum of the last event the IPC publication took (the publisher's thread, or after it stopped).
     *
     * @return the SeqNum.
     */
    public long ipcPublishedSeqNum()
    {
        return ipc.publishedSeqNum();
    }

    /**
     * The SeqNum of the last event the UDP publication took.
     *
     * @return the SeqNum, or -1 when there is no UDP feed.
     */
    public long udpPublishedSeqNum()
    {
        return null == udp ? -1 : udp.publishedSeqNum();
    }

    @Override
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        CloseHelper.quietCloseAll(ipc.reader(), null == udp ? null : udp.reader(), ipc, udp);
    }
}
