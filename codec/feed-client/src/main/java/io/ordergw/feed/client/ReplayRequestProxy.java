package io.ordergw.feed.client;

import io.aeron.Publication;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.ReplayRequestEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends {@code ReplayRequest}s to the feed's replay service over its control stream. It reuses one buffer and its
 * encoders; offers never block: the caller retries on the next duty cycle when the result is negative.
 */
public final class ReplayRequestProxy
{
    private final Publication publication;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReplayRequestEncoder requestEncoder = new ReplayRequestEncoder();

    /**
     * A proxy over the control publication.
     *
     * @param publication to the replay service's control stream.
     */
    public ReplayRequestProxy(final Publication publication)
    {
        this.publication = publication;
    }

    /**
     * Ask for the journaled events from a SeqNum.
     *
     * @param correlationId     echoed in the ReplayEnd.
     * @param fromSeqNum        the first SeqNum wanted.
     * @param toSeqNum          the last SeqNum wanted, 0 for up to the journal's end.
     * @param responseChannel   the channel the replay is sent to (one this consumer subscribes to).
     * @param responseStreamId  the stream it is sent on.
     * @param responseSessionId the session id of the replay publication, to tell it from other replays.
     * @return the publication's result: a position, or a negative Publication code.
     */
    public long replay(
        final long correlationId,
        final long fromSeqNum,
        final long toSeqNum,
        final String responseChannel,
        final int responseStreamId,
        final int responseSessionId)
    {
        requestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .fromSeqNum(fromSeqNum)
            .toSeqNum(toSeqNum)
            .responseStreamId(responseStreamId)
            .responseSessionId(responseSessionId)
            .responseChannel(responseChannel);
        return publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength());
    }
}
