package io.ordergw.engine.publish;

import io.aeron.ExclusivePublication;
import io.aeron.logbuffer.BufferClaim;
import io.ordergw.engine.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Moves journaled events, in SeqNum order, into one Aeron publication without ever waiting for it.
 * <p>
 * An event the publication refuses (back pressure, not connected, admin action, closed) is parked: copied aside and
 * offered again, before anything newer, on the next call. The journal reader has already moved past it, and a
 * {@link JournalReader} cannot step back, so the copy is what keeps the stream gap-free. Parking is the only copy and
 * happens only when the publication refuses; the buffer is allocated once.
 * <pre>
 *   journal: ... | n-1 | n | n+1 | ...            reader.nextSeqNum() = n+1
 *                      ^    ^
 *     publishedSeqNum -+    +- parked (refused once, offered first on the next call)
 * </pre>
 * Events that fit one frame ({@link ExclusivePublication#maxPayloadLength()}) go through {@code tryClaim}; larger ones
 * through {@code offer}, which fragments them. One thread only.
 */
final class JournalCursor implements JournalReader.EventHandler
{
    private final BufferClaim bufferClaim = new BufferClaim();
    private final ExpandableArrayBuffer parked = new ExpandableArrayBuffer(1024);
    private JournalReader reader;
    private ExclusivePublication publication;
    private int parkedLength;
    private long parkedSeqNum;
    private long publishedSeqNum;
    private long lastResult;
    private boolean caughtUp;

    /**
     * A cursor whose first event will be fromSeqNum.
     *
     * @param fromSeqNum the first SeqNum to publish.
     */
    JournalCursor(final long fromSeqNum)
    {
        this.publishedSeqNum = fromSeqNum - 1;
    }

    void reader(final JournalReader reader)
    {
        this.reader = reader;
    }

    JournalReader reader()
    {
        return reader;
    }

    void publication(final ExclusivePublication publication)
    {
        this.publication = publication;
    }

    /**
     * Publish up to a number of events, the parked one first.
     *
     * @param limit      most events to publish.
     * @param lastSeqNum the last SeqNum to publish ({@link Long#MAX_VALUE} for no end).
     * @return events the publication took.
     */
    int publish(final int limit, final long lastSeqNum)
    {
        caughtUp = false;
        int published = 0;
        if (parkedLength > 0)
        {
            if (!send(parkedSeqNum, parked, 0, parkedLength))
            {
                return 0;
            }
            parkedLength = 0;
            published++;
        }
        // One event per poll: the reader cannot stop half way through a batch, so a refusal must end the batch.
        while (published < limit && publishedSeqNum < lastSeqNum)
        {
            if (reader.poll(this, 1) == 0)
            {
                caughtUp = true;
                break;
            }
            if (parkedLength > 0)
            {
                break;
            }
            published++;
        }
        return published;
    }

    @Override
    public void onEvent(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!send(seqNum, buffer, offset, length))
        {
            parked.putBytes(0, buffer, offset, length);
            parkedLength = length;
            parkedSeqNum = seqNum;
        }
    }

    private boolean send(final long seqNum, final DirectBuffer buffer, final int offset, final int length)
    {
        final ExclusivePublication publication = this.publication;
        final long result;
        if (length <= publication.maxPayloadLength())
        {
            result = publication.tryClaim(length, bufferClaim);
            if (result > 0)
            {
                bufferClaim.putBytes(buffer, offset, length).commit();
            }
        }
        else
        {
            result = publication.offer(buffer, offset, length);
        }
        lastResult = result;
        if (result > 0)
        {
            publishedSeqNum = seqNum;
            return true;
        }
        return false;
    }

    /**
     * The SeqNum of the last event the publication took.
     *
     * @return the SeqNum; fromSeqNum - 1 before the first.
     */
    long publishedSeqNum()
    {
        return publishedSeqNum;
    }

    /**
     * Whether an event waits for the publication to take it.
     *
     * @return true when one is parked.
     */
    boolean isBlocked()
    {
        return parkedLength > 0;
    }

    /**
     * The publication's answer to the last offer: a position, or one of Publication's negative codes.
     *
     * @return the result.
     */
    long lastResult()
    {
        return lastResult;
    }

    /**
     * Whether the last {@link #publish} reached the end of the journal.
     *
     * @return true if the reader had nothing more.
     */
    boolean isCaughtUp()
    {
        return caughtUp;
    }
}
