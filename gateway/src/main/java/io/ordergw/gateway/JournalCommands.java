package io.ordergw.gateway;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.ordergw.config.ConfigError;
import io.ordergw.config.OrderGwConfig;
import io.ordergw.engine.EngineContext;
import io.ordergw.engine.JournalVerifier;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.journal.ChronicleEventJournal;
import io.ordergw.engine.journal.JournalArchive;
import io.ordergw.engine.journal.JournalException;
import io.ordergw.engine.journal.JournalUsers;
import io.ordergw.engine.snapshot.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The offline journal tools: {@code ordergw archive} moves the cycle files nothing needs any more out of the journal,
 * {@code ordergw verify-journal} checks a journal. Both read the same settings as the gateway (the journal, snapshot
 * and book sections), and answer in one line per finding; the exit status is 0 on success, 1 when the check or the
 * archive fails, 2 for bad settings.
 */
final class JournalCommands
{
    private JournalCommands()
    {
    }

    /** The settings both commands take. */
    static class Settings
    {
        @Option(names = {"-c", "--config"}, description = "HOCON settings file (overrides reference.conf).")
        Path configFile;

        @Option(names = "--data-dir", description = "Journal and snapshot root (ordergw.data-dir).")
        Path dataDir;

        OrderGwConfig load()
        {
            final Map<String, Object> values = new HashMap<>();
            if (dataDir != null)
            {
                values.put("ordergw.data-dir", dataDir.toString());
            }
            return OrderGwConfig.load(configFile, ConfigFactory.parseMap(values));
        }
    }

    /** {@code ordergw archive}: move the oldest cycle files that nothing needs to the archive directory. */
    @Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Move the journal's oldest cycle files that nothing needs any more (covered by the newest valid "
            + "snapshot, ended at least ordergw.journal.archive.min-age ago, not the current cycle) to "
            + "ordergw.journal.archive.dir. Refuses while another process uses the journal.")
    static final class Archive extends Settings implements Callable<Integer>
    {
        @Option(names = "--to", description = "Archive directory (default ordergw.journal.archive.dir).")
        private Path target;

        @Option(names = "--min-age", description = "Override ordergw.journal.archive.min-age (e.g. 7d, 1h, 0s).")
        private String minAge;

        @Option(names = "--dry-run", description = "Say what would be moved; move nothing.")
        private boolean dryRun;

        @Option(names = "--assume-stopped", description = "Where other processes' open files cannot be seen "
            + "(no /proc): the operator vouches that no gateway uses the journal.")
        private boolean assumeStopped;

        private PrintStream out = System.out;
        private PrintStream err = System.err;

        Archive output(final PrintStream out, final PrintStream err)
        {
            this.out = out;
            this.err = err;
            return this;
        }

        @Override
        public Integer call() throws Exception
        {
            final OrderGwConfig config;
            final Duration age;
            try
            {
                config = load();
                age = minAge == null ? config.journal.archiveMinAge :
                    ConfigFactory.parseString("a = " + minAge).getDuration("a");
            }
            catch (final ConfigError | ConfigException ex)
            {
                err.println("ordergw: bad setting: " + ex.getMessage());
                return 2;
            }
            final Path journalDir = config.journal.dir;
            if (!Files.isDirectory(journalDir))
            {
                err.println("ordergw: archive: no journal at " + journalDir.toAbsolutePath() +
                    " (ordergw.journal.dir)");
                return 1;
            }
            if (JournalUsers.canDetect())
            {
                final OptionalLong user = JournalUsers.find(journalDir);
                if (user.isPresent())
                {
                    err.println("ordergw: archive: process " + user.getAsLong() + " uses the journal " +
                        journalDir.toAbsolutePath() + " (a running gateway?): stop it first; nothing was moved");
                    return 1;
                }
            }
            else if (!assumeStopped)
            {
                err.println("ordergw: archive: cannot see which processes use " + journalDir.toAbsolutePath() +
                    " on this system: stop the gateway and pass --assume-stopped; nothing was moved");
                return 1;
            }

            // Loaded, not just named: only a snapshot that recovery would accept may stand in for the files.
            final SnapshotStore.Loaded snapshot = new SnapshotStore(config.snapshot.dir, config.snapshot.keep)
                .loadNewest(EngineContext.bookFactory(config));
            final JournalArchive.Plan plan;
            try (ChronicleEventJournal journal =
                ChronicleEventJournal.openReadOnly(journalDir, config.journal.rollCycle))
            {
                if (snapshot.seqNum > journal.lastSeqNum())
                {
                    err.println("ordergw: archive: snapshot " + snapshot.file + " is at SeqNum " + snapshot.seqNum +
                        " but the journal ends at " + journal.lastSeqNum() + ": not archiving a journal that " +
                        "does not match its snapshots");
                    return 1;
                }
                plan = JournalArchive.plan(JournalArchive.cycles(journal), snapshot.seqNum, age,
                    System.currentTimeMillis());
            }
            final Path to = target == null ? config.journal.archiveDir : target;
            for (final JournalArchive.Cycle c : plan.archivable)
            {
                out.println((dryRun ? "would archive " : "archiving ") + c);
            }
            if (plan.keptBecause != null)
            {
                out.println("keeping the rest: " + plan.keptBecause);
            }
            if (plan.archivable.isEmpty() || dryRun)
            {
                out.println(plan.archivable.isEmpty() ? "nothing to archive" :
                    "dry run: " + plan.archivable.size() + " cycle files (through SeqNum " + plan.safeThroughSeqNum() +
                    ") would go to " + to.toAbsolutePath());
                return 0;
            }
            final List<Path> moved = JournalArchive.move(plan, to);
            // Opened once for writing so that the queue's cached listing of cycles forgets the moved files.
            final long oldest;
            try (ChronicleEventJournal journal = new ChronicleEventJournal(journalDir, config.journal.rollCycle, false))
            {
                oldest = journal.firstSeqNum();
            }
            out.println("archived " + moved.size() + " cycle files (through SeqNum " + plan.safeThroughSeqNum() +
                ") to " + to.toAbsolutePath() + "; the journal now starts at SeqNum " + oldest);
            return 0;
        }
    }

    /** {@code ordergw verify-journal}: check a journal offline. */
    @Command(name = "verify-journal", mixinStandardHelpOptions = true,
        description = "Check a journal offline: its SeqNums follow each other, every event decodes, and the state "
            + "machine decides each event's request again to the same event. A journal whose oldest cycles are "
            + "archived is checked from the newest valid snapshot that covers them.")
    static final class Verify extends Settings implements Callable<Integer>
    {
        @Option(names = "--journal", description = "The journal directory (default ordergw.journal.dir).")
        private Path journalDir;

        private PrintStream out = System.out;
        private PrintStream err = System.err;

        Verify output(final PrintStream out, final PrintStream err)
        {
            this.out = out;
            this.err = err;
            return this;
        }

        @Override
        public Integer call()
        {
            final OrderGwConfig config;
            try
            {
                config = load();
            }
            catch (final ConfigError ex)
            {
                err.println("ordergw: bad setting: " + ex.getMessage());
                return 2;
            }
            final Path dir = journalDir == null ? config.journal.dir : journalDir;
            if (!Files.isDirectory(dir))
            {
                err.println("ordergw: verify-journal: no journal at " + dir.toAbsolutePath());
                return 1;
            }
            final Supplier<OrderBook> newBook = EngineContext.bookFactory(config);
            try (ChronicleEventJournal journal = ChronicleEventJournal.openReadOnly(dir, config.journal.rollCycle))
            {
                final long first = journal.firstSeqNum();
                OrderBook book = newBook.get();
                String from = "";
                if (first > 1)
                {
                    // The oldest snapshot that covers the archived cycles: the most retained events get re-decided.
                    final SnapshotStore store = new SnapshotStore(config.snapshot.dir, config.snapshot.keep);
                    final SnapshotStore.Loaded snapshot = store.loadOldestFrom(newBook, first - 1);
                    if (snapshot == null)
                    {
                        final long newest = store.loadNewest(newBook).seqNum;
                        err.println("ordergw: journal " + dir.toAbsolutePath() + " FAILED verification: it starts at " +
                            "SeqNum " + first + " (older cycles archived) and the newest valid snapshot is at SeqNum " +
                            newest + ": events " + (newest + 1) + ".." + (first - 1) + " are missing");
                        return 1;
                    }
                    book = snapshot.book;
                    from = " from snapshot " + snapshot.file.getFileName();
                }
                final JournalVerifier.Result result =
                    new JournalVerifier().verifyFrom(journal, book, config.decimalScale);
                out.println("journal " + dir.toAbsolutePath() + " verified" + from + ": " + result.events +
                    " events" + (result.events == 0 ? " after it" : ", SeqNum " + result.firstSeqNum + ".." +
                    result.lastSeqNum) + ", state hash " + Long.toHexString(result.stateHash));
                return 0;
            }
            catch (final JournalException ex)
            {
                err.println("ordergw: journal " + dir.toAbsolutePath() + " FAILED verification: " + ex.getMessage());
                return 1;
            }
        }
    }
}
