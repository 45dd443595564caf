package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.CountersReader;

/**
 * One live publication of the feed with its own journal cursor, so that one publication's back pressure never holds
 * up another. Refusals are counted and retried on the next duty cycle; a publication that is CLOSED or has reached
 * MAX_POSITION_EXCEEDED is replaced (asynchronously: the duty cycle never waits for the driver) and the feed goes on
 * from the parked event on the new one, whose subscribers see a new image.
 */
final class FeedPublication implements AutoCloseable
{
    private final Aeron aeron;
    private final String channel;
    private final int streamId;
    private final JournalCursor cursor;
    private final FeedCounters.PublicationCounters counters;
    private final ErrorHandler errorHandler;
    private ExclusivePublication publication;
    private long registrationId = Aeron.NULL_VALUE;
    private long lastLag = Long.MIN_VALUE;
    private long lastConsumers = Long.MIN_VALUE;
    private int destinationsCounterId = CountersReader.NULL_COUNTER_ID;

    FeedPublication(
        final Aeron aeron,
        final String channel,
        final int streamId,
        final long fromSeqNum,
        final FeedCounters.PublicationCounters counters,
        final ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.channel = channel;
        this.streamId = streamId;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.cursor = new JournalCursor(fromSeqNum);
        this.publication = aeron.addExclusivePublication(channel, streamId);
        cursor.publication(publication);
        destinationsCounterId = destinationsCounterId(publication);
        counters.publishedSeqNum.setOrdered(fromSeqNum - 1);
    }

    void reader(final JournalReader reader)
    {
        cursor.reader(reader);
    }

    JournalReader reader()
    {
        return cursor.reader();
    }

    /**
     * One duty cycle: publish a batch, count why it stopped, update the lag.
     *
     * @param batchLimit    most events.
     * @param journalSeqNum the journal's last SeqNum, for the lag.
     * @return work done.
     */
    int doWork(final int batchLimit, final long journalSeqNum)
    {
        int work = 0;
        if (null == publication)
        {
            work += awaitReplacement();
        }
        if (null != publication)
        {
            final int published = cursor.publish(batchLimit, Long.MAX_VALUE);
            if (published > 0)
            {
                work += published;
                counters.eventsPublished.getAndAddOrdered(published);
                counters.publishedSeqNum.setOrdered(cursor.publishedSeqNum());
            }
            if (cursor.isBlocked())
            {
                work += onRefused(cursor.lastResult());
            }
        }
        final long lag = Math.max(0, journalSeqNum - cursor.publishedSeqNum());
        if (lag != lastLag)
        {
            lastLag = lag;
            counters.lag.setOrdered(lag);
        }
        final long consumers = consumers();
        if (consumers != lastConsumers)
        {
            lastConsumers = consumers;
            counters.consumers.setOrdered(consumers);
        }
        return work;
    }

    /** Connected consumers: a lag means something only while there is one to lag behind. */
    private long consumers()
    {
        if (null == publication || !publication.isConnected())
        {
            return 0;
        }
        if (CountersReader.NULL_COUNTER_ID == destinationsCounterId)
        {
            return 1;
        }
        return Math.max(1, aeron.countersReader().getCounterValue(destinationsCounterId));
    }

    /**
     * The driver's count of destinations of a multi-destination channel ({@code control-mode=dynamic}): the counter
     * of that type registered with the publication's channel endpoint, found by type and registration id.
     */
    private int destinationsCounterId(final ExclusivePublication publication)
    {
        if (publication.channelStatusId() < 0)
        {
            return CountersReader.NULL_COUNTER_ID; // IPC has no channel endpoint
        }
        final CountersReader reader = aeron.countersReader();
        final long channelRegistrationId = reader.getCounterRegistrationId(publication.channelStatusId());
        final int[] found = {CountersReader.NULL_COUNTER_ID};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == AeronCounters.MDC_DESTINATIONS_COUNTER_TYPE_ID &&
                reader.getCounterRegistrationId(counterId) == channelRegistrationId)
            {
                found[0] = counterId;
            }
        });
        return found[0];
    }

    private int onRefused(final long result)
    {
        if (result == Publication.BACK_PRESSURED)
        {
            counters.backPressured.incrementOrdered();
        }
        else if (result == Publication.NOT_CONNECTED)
        {
            counters.notConnected.incrementOrdered();
        }
        else if (result == Publication.ADMIN_ACTION)
        {
            // The term rotated: the retry will succeed, so do not let the idle strategy back off.
            counters.adminActions.incrementOrdered();
            return 1;
        }
        else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            replace();
            return 1;
        }
        return 0;
    }

    private void replace()
    {
        CloseHelper.quietClose(publication);
        publication = null;
        cursor.publication(null);
        counters.recreated.incrementOrdered();
    }

    private int awaitReplacement()
    {
        if (Aeron.NULL_VALUE == registrationId)
        {
            if (aeron.isClosed())
            {
                return 0;
            }
            registrationId = aeron.asyncAddExclusivePublication(channel, streamId);
        }
        try
        {
            final ExclusivePublication replacement = aeron.getExclusivePublication(registrationId);
            if (null == replacement)
            {
                return 0;
            }
            publication = replacement;
            cursor.publication(replacement);
            destinationsCounterId = destinationsCounterId(replacement);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
        registrationId = Aeron.NULL_VALUE;
        return 1;
    }

    /**
     * The SeqNum of the last event published.
     *
     * @return the SeqNum.
     */
    long publishedSeqNum()
    {
        return cursor.publishedSeqNum();
    }

    /**
     * The publication, for tests and tools.
     *
     * @return the publication; null while it is being replaced.
     */
    ExclusivePublication publication()
    {
        return publication;
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(publication);
        publication = null;
        if (Aeron.NULL_VALUE != registrationId && !aeron.isClosed())
        {
            aeron.asyncRemovePublication(registrationId);
            registrationId = Aeron.NULL_VALUE;
        }
    }
}
