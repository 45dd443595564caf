package io.ordergw.gateway.reliability;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.Engine;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.JournalVerifier;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.JournalReader;
import io.ordergw.engine.snapshot.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads what a gateway left on disk, with the gateway stopped (or dead): the journal event by event, the book as
 * recovery rebuilds it (on a copy of the snapshots, so the check never changes what the next start recovers from),
 * and the {@link JournalVerifier}'s replay of every event's request.
 */
final class JournalCheck
{
    /** One journaled event, as far as the checks need it. */
    static final class Event
    {
        final long seqNum;
        final long orderId;
        final int accountId;

        Event(final long seqNum, final long orderId, final int accountId)
        {
            this.seqNum = seqNum;
            this.orderId = orderId;
            this.accountId = accountId;
        }
    }

    /** The book as the gateway would recover it. */
    static final class Recovered
    {
        final long lastSeqNum;
        final long stateHash;
        final long snapshotSeqNum;
        final List<Long> missingOrders;

        Recovered(
            final long lastSeqNum, final long stateHash, final long snapshotSeqNum, final List<Long> missingOrders)
        {
            this.lastSeqNum = lastSeqNum;
            this.stateHash = stateHash;
            this.snapshotSeqNum = snapshotSeqNum;
            this.missingOrders = missingOrders;
        }
    }

    private JournalCheck()
    {
    }

    /**
     * Every event of the journal under a data directory, checked to run 1, 2, ... N with no gap and no repeat, N
     * being the journal's own last SeqNum.
     *
     * @param dataDir the gateway's data directory.
     * @return the events in SeqNum order.
     */
    static List<Event> readJournal(final Path dataDir)
    {
        final List<Event> events = new ArrayList<>();
        final OrderStateEventDecoder event = new OrderStateEventDecoder();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dataDir.resolve("journal"), "FAST_DAILY", false);
            JournalReader reader = journal.newReader())
        {
            reader.seek(1);
            final JournalReader.EventHandler handler = (seqNum, buffer, offset, length) ->
            {
                header.wrap(buffer, offset);
                event.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
                assertEquals(events.size() + 1, seqNum, "journal SeqNums must run 1, 2, 3... without gap or repeat");
                assertEquals(seqNum, event.seqNum(), "the event's own SeqNum");
                events.add(new Event(seqNum, event.orderId(), event.accountId()));
            };
            while (reader.poll(handler, 4096) > 0)
            {
                // read on
            }
            assertEquals(journal.lastSeqNum(), events.size(), "events read vs the journal's last SeqNum");
        }
        return Collections.unmodifiableList(events);
    }

    /**
     * Recover the book as the gateway would at its next start, from a copy of the snapshots and the journal.
     *
     * @param dataDir  the data directory.
     * @param scratch  an empty directory for the snapshot copy.
     * @param orderIds orders that must be in the book.
     * @return what recovery rebuilt.
     */
    static Recovered recover(final Path dataDir, final Path scratch, final Iterable<Long> orderIds)
    {
        copySnapshots(dataDir.resolve("snapshots"), scratch);
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dataDir + "\"\n" +
            "ordergw.journal.min-free-space = 0\n");
        final EngineContext context = new EngineContext().config(config)
            .snapshotStore(new SnapshotStore(scratch, config.snapshot.keep))
            .snapshotInterval(Duration.ZERO);
        try (Engine engine = Engine.open(context))
        {
            final List<Long> missing = new ArrayList<>();
            for (final long orderId : orderIds)
            {
                if (engine.agent().book().find(orderId) == null)
                {
                    missing.add(orderId);
                }
            }
            return new Recovered(engine.agent().book().lastSeqNum(), engine.agent().book().stateHash(),
                engine.recovery().snapshotSeqNum, missing);
        }
    }

    /**
     * Decide every journaled event's request again against a fresh book: each must give the journaled event byte for
     * byte.
     *
     * @param dataDir the data directory.
     * @return events checked and the rebuilt state hash.
     */
    static JournalVerifier.Result verify(final Path dataDir)
    {
        final OrderGwConfig config = OrderGwConfig.parse("ordergw.data-dir = \"" + dataDir + "\"\n");
        try (ChronicleEventJournal journal = new ChronicleEventJournal(dataDir.resolve("journal"), "FAST_DAILY", false))
        {
            return new JournalVerifier().verify(journal, EngineContext.bookFactory(config), config.decimalScale);
        }
    }

    private static void copySnapshots(final Path from, final Path to)
    {
        try
        {
            Files.createDirectories(to);
            if (!Files.isDirectory(from))
            {
                return;
            }
            try (Stream<Path> files = Files.list(from))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    if (Files.isRegularFile(file))
                    {
                        Files.copy(file, to.resolve(file.getFileName()));
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
