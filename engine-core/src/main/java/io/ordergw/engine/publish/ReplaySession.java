package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.ReplayEndEncoder;
import io.ordergw.codec.sbe.ReplayStatus;
import io.ordergw.engine.journal.EventJournal;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongSupplier;

/**
 * One replay: the journaled events from fromSeqNum to the journal's end (or toSeqNum), then a ReplayEnd, on an
 * exclusive publication to the consumer's channel. It never waits: the publication is added asynchronously, and
 * back pressure leaves the next event parked in its {@link JournalCursor} for the next duty cycle.
 * <p>
 * It goes at the consumer's pace: back pressure (BACK_PRESSURED, ADMIN_ACTION) never ends it, however long it lasts.
 * A publication that is no longer connected (NOT_CONNECTED) is waited for up to the disconnect time-out, since a
 * consumer whose status messages were held up for a while comes back; only then, or at once when the publication is
 * closed or has reached its maximum position, does the replay fail.
 * <pre>
 *   ADDING --publication ready--> CONNECTING --consumer connected--> REPLAYING --caught up--> ENDING --sent--> DONE
 *      \________________\__ time-out, refused, not connected for the disconnect time-out ___\______--> DONE (failed)
 * </pre>
 * "Caught up" means the reader found no next event: the journal's end at that moment. Live events take over after
 * the ReplayEnd's lastSeqNum; the consumer drops any live event it already has.
 */
final class ReplaySession implements AutoCloseable
{
    static final int ADDING = 0;
    static final int CONNECTING = 1;
    static final int REPLAYING = 2;
    static final int ENDING = 3;
    static final int DONE = 4;

    private final Aeron aeron;
    private final EventJournal journal;
    private final LongSupplier journalSeqNum;
    private final FeedCounters counters;
    private final long correlationId;
    private final long fromSeqNum;
    private final long toSeqNum;
    private final long connectDeadlineNs;
    private final long disconnectTimeoutNs;
    private final JournalCursor cursor;
    private final UnsafeBuffer endBuffer = new UnsafeBuffer(new byte[64]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReplayEndEncoder endEncoder = new ReplayEndEncoder();
    private long registrationId;
    private ExclusivePublication publication;
    private JournalReader reader;
    private int state = ADDING;
    private int endLength;
    private boolean failed;
    private boolean notConnected;
    private long notConnectedSinceNs;
    private long oldestSeqNum;

    ReplaySession(
        final Aeron aeron,
        final EventJournal journal,
        final LongSupplier journalSeqNum,
        final FeedCounters counters,
        final long correlationId,
        final long fromSeqNum,
        final long toSeqNum,
        final String responseChannel,
        final int responseStreamId,
        final long connectDeadlineNs,
        final long disconnectTimeoutNs)
    {
        this.aeron = aeron;
        this.journal = journal;
        this.journalSeqNum = journalSeqNum;
        this.counters = counters;
        this.correlationId = correlationId;
        this.fromSeqNum = fromSeqNum;
        this.toSeqNum = toSeqNum == 0 ? Long.MAX_VALUE : toSeqNum;
        this.connectDeadlineNs = connectDeadlineNs;
        this.disconnectTimeoutNs = disconnectTimeoutNs;
        this.cursor = new JournalCursor(fromSeqNum);
        this.registrationId = aeron.asyncAddExclusivePublication(responseChannel, responseStreamId);
    }

    /**
     * One duty cycle.
     *
     * @param nowNs      the time.
     * @param batchLimit most events to send; 0 to send none this time (other replays have used the cycle's share).
     * @return work done.
     */
    int doWork(final long nowNs, final int batchLimit)
    {
        switch (state)
        {
            case ADDING:
                return awaitPublication(nowNs);
            case CONNECTING:
                return awaitConnection(nowNs);
            case REPLAYING:
                return batchLimit > 0 ? replay(nowNs, batchLimit) : 0;
            case ENDING:
                return sendEnd(nowNs);
            default:
                return 0;
        }
    }

    private int awaitPublication(final long nowNs)
    {
        final ExclusivePublication publication;
        try
        {
            publication = aeron.getExclusivePublication(registrationId);
        }
        catch (final RuntimeException ex)
        {
            // The driver refused the consumer's channel (bad URI, clashing session id): nothing can reach it.
            registrationId = Aeron.NULL_VALUE;
            fail();
            return 1;
        }
        if (null == publication)
        {
            return timedOut(nowNs) ? 1 : 0;
        }
        registrationId = Aeron.NULL_VALUE;
        this.publication = publication;
        cursor.publication(publication);
        state = CONNECTING;
        return 1;
    }

    private int awaitConnection(final long nowNs)
    {
        if (!publication.isConnected())
        {
            return timedOut(nowNs) ? 1 : 0;
        }
        reader = journal.newReader();
        if (!reader.seek(fromSeqNum))
        {
            end(ReplayStatus.BeyondEnd, fromSeqNum - 1);
        }
        else if (reader.nextSeqNum() != fromSeqNum)
        {
            // The journal starts later (old cycles archived): the answer names where it starts now.
            oldestSeqNum = reader.nextSeqNum();
            end(ReplayStatus.NotAvailable, fromSeqNum - 1);
        }
        else if (toSeqNum < fromSeqNum)
        {
            end(ReplayStatus.Complete, fromSeqNum - 1);
        }
        else
        {
            cursor.reader(reader);
            state = REPLAYING;
        }
        return 1;
    }

    private int replay(final long nowNs, final int batchLimit)
    {
        final int sent = cursor.publish(batchLimit, toSeqNum);
        if (sent > 0)
        {
            counters.replayEvents.getAndAddOrdered(sent);
            notConnected = false;
        }
        if (cursor.isBlocked())
        {
            final long result = cursor.lastResult();
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                counters.replayBackPressured.incrementOrdered();
                notConnected = false;
                return sent;
            }
            return sent + refused(nowNs, result);
        }
        if (cursor.isCaughtUp() || cursor.publishedSeqNum() >= toSeqNum)
        {
            end(ReplayStatus.Complete, cursor.publishedSeqNum());
            return sent + 1;
        }
        return sent;
    }

    private void end(final ReplayStatus status, final long lastSeqNum)
    {
        // The source may lag the journal a little when it is read off the engine's thread; a replay cannot.
        final long journalEnd = journalSeqNum.getAsLong();
        endEncoder.wrapAndApplyHeader(endBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .fromSeqNum(fromSeqNum)
            .lastSeqNum(lastSeqNum)
            .journalSeqNum(ReplayStatus.Complete == status ? Math.max(lastSeqNum, journalEnd) : journalEnd)
            .status(status)
            .oldestSeqNum(oldestSeqNum > 0 ? oldestSeqNum : journal.firstSeqNum());
        endLength = MessageHeaderEncoder.ENCODED_LENGTH + endEncoder.encodedLength();
        state = ENDING;
    }

    private int sendEnd(final long nowNs)
    {
        final long result = publication.offer(endBuffer, 0, endLength);
        if (result > 0)
        {
            counters.replaysCompleted.incrementOrdered();
            state = DONE;
            return 1;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            notConnected = false;
            return 0;
        }
        return refused(nowNs, result);
    }

    /**
     * The publication refused for a reason other than back pressure: NOT_CONNECTED is waited out for the disconnect
     * time-out (the parked event or the ReplayEnd is offered again); CLOSED and MAX_POSITION_EXCEEDED end the replay.
     */
    private int refused(final long nowNs, final long result)
    {
        if (result == Publication.NOT_CONNECTED)
        {
            if (!notConnected)
            {
                notConnected = true;
                notConnectedSinceNs = nowNs;
                return 0;
            }
            if (nowNs - notConnectedSinceNs < disconnectTimeoutNs)
            {
                return 0;
            }
        }
        fail();
        return 1;
    }

    private boolean timedOut(final long nowNs)
    {
        if (nowNs - connectDeadlineNs >= 0)
        {
            fail();
            return true;
        }
        return false;
    }

    private void fail()
    {
        failed = true;
        counters.replaysFailed.incrementOrdered();
        state = DONE;
    }

    boolean isDone()
    {
        return DONE == state;
    }

    boolean isFailed()
    {
        return failed;
    }

    int state()
    {
        return state;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(reader);
        reader = null;
        // Closing lets the driver linger the publication until the consumer has read what was sent.
        CloseHelper.quietClose(publication);
        publication = null;
        if (Aeron.NULL_VALUE != registrationId && !aeron.isClosed())
        {
            aeron.asyncRemovePublication(registrationId);
            registrationId = Aeron.NULL_VALUE;
        }
        state = DONE;
    }
}
