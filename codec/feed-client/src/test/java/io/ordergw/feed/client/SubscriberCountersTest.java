package io.ordergw.feed.client;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateEventEncoder;
import io.ordergw.codec.sbe.ReplayRequestDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The subscriber's statistics are counters another reader sees, found by type id and subscriber id (no label),
 * with nothing but the client's own dependencies and a media driver: a publisher of hand-made events stands in for
 * the gateway, and a subscription on the control s@Tag("system")
tream for its replay service.
 */
class SubscriberCountersTest
{
    private static final int LIVE_STREAM = 1001;
    private static final int CONTROL_STREAM = 1003;
    private static final int REPLAY_STREAM = 1004;

    @TempDir
    Path dir;

    private MediaDriver driver;
    private Aeron aeron;
    private ExclusivePublication publisher;
    private Subscription replayService;
    private final List<Long> delivered = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @BeforeEach
    void launch()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(dir.resolve("aeron").toString())
            .threadingMode(ThreadingMode.SHARED)
            .ipcTermBufferLength(64 * 1024)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        publisher = aeron.addExclusivePublication(CommonContext.IPC_CHANNEL, LIVE_STREAM);
        replayService = aeron.addSubscription(CommonContext.IPC_CHANNEL, CONTROL_STREAM);
    }

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(publisher, replayService, aeron, driver);
    }

    @Test
    @Timeout(30)
    void statisticsAreCountersInTheDriverFoundByTypeIdAndSubscriberIdAndFreedOnClose()
    {
        final FeedSubscriber subscriber = subscribe(null);
        final long id = subscriber.counters().subscriberId();
        final CountersReader counters = aeron.countersReader();

        publish(1, 1);
        publish(2, 2);
        publish(2, 2);
        publish(3, 1);
        await(subscriber, () -> subscriber.lastSeqNum() == 3);

        assertEquals(List.of(1L, 3L), delivered, "account 1 only");
        assertEquals(2, valueOf(counters, SubscriberCounters.EVENTS_DELIVERED_TYPE_ID, id));
        assertEquals(1, valueOf(counters, SubscriberCounters.EVENTS_FILTERED_TYPE_ID, id));
        assertEquals(1, valueOf(counters, SubscriberCounters.DUPLICATES_DROPPED_TYPE_ID, id));
        assertEquals(3, valueOf(counters, SubscriberCounters.LAST_SEQ_NUM_TYPE_ID, id));
        assertEquals(0, valueOf(counters, SubscriberCounters.GAPS_DETECTED_TYPE_ID, id));

        publish(5, 1);
        final long[] replayFrom = {0};
        await(subscriber, () ->
        {
            replayService.poll((buf, offset, length, header) -> replayFrom[0] = replayFromOf(buf, offset), 1);
            return replayFrom[0] != 0;
        });
        assertEquals(4, replayFrom[0], "the gap is asked for");
        assertEquals(1, valueOf(counters, SubscriberCounters.GAPS_DETECTED_TYPE_ID, id));
        assertEquals(1, valueOf(counters, SubscriberCounters.REPLAYS_REQUESTED_TYPE_ID, id));
        assertEquals(1, subscriber.replaysRequested(), "the accessor reads the counter");
        assertEquals(List.of(1L, 3L), delivered, "nothing past the gap before the replay fills it");

        subscriber.close();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counterIdOf(counters, SubscriberCounters.EVENTS_DELIVERED_TYPE_ID, id) != CountersReader.NULL_COUNTER_ID)
        {
            assertTrue(System.nanoTime() < deadlineNs, "the counters are freed on close");
            Thread.yield();
        }
    }

    @Test
    @Timeout(30)
    void countersGoToTheManagerTheConsumerGives()
    {
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(new byte[64 * 1024]), new UnsafeBuffer(new byte[16 * 1024]));
        final FeedSubscriber subscriber = subscribe(manager);
        final long id = subscriber.counters().subscriberId();

        publish(1, 1);
        publish(2, 1);
        await(subscriber, () -> subscriber.lastSeqNum() == 2);

        assertEquals(2, valueOf(manager, SubscriberCounters.EVENTS_DELIVERED_TYPE_ID, id));
        assertEquals(CountersReader.NULL_COUNTER_ID,
            counterIdOf(aeron.countersReader(), SubscriberCounters.EVENTS_DELIVERED_TYPE_ID, id), "not in the driver");
        subscriber.close();
        assertEquals(CountersReader.NULL_COUNTER_ID,
            counterIdOf(manager, SubscriberCounters.EVENTS_DELIVERED_TYPE_ID, id), "freed on close");
    }

    private FeedSubscriber subscribe(final CountersManager manager)
    {
        final FeedSubscriber subscriber = new FeedSubscriber(
            FeedSubscriber.Context.ipc(LIVE_STREAM, CONTROL_STREAM, REPLAY_STREAM)
                .aeron(aeron)
                .accountId(1)
                .countersManager(manager)
                .errorHandler(ex -> fail(ex))
                .listener((seqNum, event, buf, offset, length) -> delivered.add(seqNum)));
        await(subscriber, () -> subscriber.isConnected() && publisher.isConnected());
        return subscriber;
    }

    private void publish(final long seqNum, final int accountId)
    {
        final OrderStateEventEncoder encoder = new OrderStateEventEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seqNum(seqNum)
            .accountId(accountId);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (publisher.offer(buffer, 0, length) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "offer");
            Thread.yield();
        }
    }

    private static long replayFromOf(final DirectBuffer buffer, final int offset)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        return new ReplayRequestDecoder()
            .wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version())
            .fromSeqNum();
    }

    private static void await(final FeedSubscriber subscriber, final BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadlineNs, "within 10 s");
            subscriber.doWork();
            Thread.yield();
        }
    }

    private static long valueOf(final CountersReader reader, final int typeId, final long subscriberId)
    {
        final int counterId = counterIdOf(reader, typeId, subscriberId);
        assertTrue(counterId != CountersReader.NULL_COUNTER_ID, "a counter of type " + typeId);
        return reader.getCounterValue(counterId);
    }

    private static int counterIdOf(final CountersReader reader, final int typeId, final long subscriberId)
    {
        final int[] found = {CountersReader.NULL_COUNTER_ID};
        reader.forEach((counterId, type, key, label) ->
        {
            if (type == typeId && key.getLong(SubscriberCounters.SUBSCRIBER_ID_KEY_OFFSET) == subscriberId)
            {
                found[0] = counterId;
            }
        });
        return found[0];
    }
}
