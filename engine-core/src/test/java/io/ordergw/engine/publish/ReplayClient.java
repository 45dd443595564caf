package io.ordergw.engine.publish;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.Header;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.codec.sbe.ReplayEndDecoder;
import io.ordergw.codec.sbe.ReplayRequestEncoder;
import io.ordergw.codec.sbe.ReplayStatus;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer's side of the replay protocol, by hand, for tests of the service: sends ReplayRequests and records
 * what comes back on one session.
 */
final class ReplayClient implements AutoCloseable
{
    final LongArrayList seqNums = new LongArrayList();
    Subscription responses;
    final ExclusivePublication control;
    final String responseChannel;
    long endCorrelationId = -1;
    long endLastSeqNum = -1;
    long endJournalSeqNum = -1;
    ReplayStatus endStatus;
    int foreignFragments;

    private final String channel;
    private final int responseStreamId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReplayRequestEncoder requestEncoder = new ReplayRequestEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ReplayEndDecoder endDecoder = new ReplayEndDecoder();
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private int sessionId;

    ReplayClient(
        final Aeron aeron,
        final String controlChannel,
        final int controlStreamId,
        final String responseChannel,
        final int responseStreamId)
    {
        this.responses = aeron.addSubscription(responseChannel, responseStreamId);
        this.control = aeron.addExclusivePublication(controlChannel, controlStreamId);
        String resolved = responseChannel;
        if (responseChannel.startsWith("aeron:udp"))
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (null == (resolved = responses.tryResolveChannelEndpointPort()))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("response endpoint not resolved");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        this.responseChannel = resolved;
        this.channel = responseChannel;
        this.responseStreamId = responseStreamId;
    }

    /**
     * Go away and come back: close the response subscription and add a new one on the same channel and stream (a
     * consumer restarted, or cut off for a while), keeping what was received.
     *
     * @param aeron the client to add it with.
     */
    void reconnect(final Aeron aeron)
    {
        CloseHelper.close(responses);
        responses = aeron.addSubscription(channel, responseStreamId);
    }

    long request(final long correlationId, final long from, final long to, final int sessionId)
    {
        this.sessionId = sessionId;
        requestEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .fromSeqNum(from)
            .toSeqNum(to)
            .responseStreamId(responseStreamId)
            .responseSessionId(sessionId)
            .responseChannel(responseChannel);
        return control.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + requestEncoder.encodedLength());
    }

    int poll()
    {
        return poll(100);
    }

    int poll(final int fragmentLimit)
    {
        return responses.poll(assembler, fragmentLimit);
    }

    boolean ended()
    {
        return null != endStatus;
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (header.sessionId() != sessionId)
        {
            foreignFragments++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() == OrderStateEventDecoder.TEMPLATE_ID)
        {
            if (null != endStatus)
            {
                throw new AssertionError("event after ReplayEnd");
            }
            seqNums.addLong(FeedEvents.seqNumOf(buffer, offset));
        }
        else if (headerDecoder.templateId() == ReplayEndDecoder.TEMPLATE_ID)
        {
            endDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
                headerDecoder.blockLength(), headerDecoder.version());
            endCorrelationId = endDecoder.correlationId();
            endLastSeqNum = endDecoder.lastSeqNum();
            endJournalSeqNum = endDecoder.journalSeqNum();
            endStatus = endDecoder.status();
        }
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(responses, control);
    }
}
