package io.ordergw.engine.snapshot;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.SnapshotHeaderDecoder;
import io.ordergw.codec.sbe.SnapshotHeaderEncoder;
import io.ordergw.engine.book.OrderBook;
import io.ordergw.engine.book.OrderRecord;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Book snapshots on disk: the latest event of every order the book holds, in SeqNum order, so that restoring them
 * rebuilds the book exactly (see {@link OrderBook#restore}).
 * <p>
 * File layout ({@code snapshot-<SeqNum>.snap}, little-endian):
 * <pre>
 *   +----------------+----------------------------+---------------------------+---------------+
 *   | magic OGWSNAP1 | SBE SnapshotHeader (+hdr)  | (int32 length, event)...  | int64 CRC32C  |
 *   +----------------+----------------------------+---------------------------+---------------+
 * </pre>
 * A snapshot is written to a temporary file, forced to disk and renamed into place, so a crash while writing leaves
 * the previous snapshots intact. A snapshot whose checksum or state hash does not match is skipped on load.
 */
public final class SnapshotStore
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final long MAGIC = 0x31_50_41_4E_53_57_47_4FL; // "OGWSNAP1" little-endian
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path dir;
    private final int keep;
    private final ByteBuffer io = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[64]);
    private final CRC32C crc = new CRC32C();

    /**
     * A store in a directory.
     *
     * @param dir  where snapshots live (created if missing).
     * @param keep how many to keep; older ones are deleted after each write.
     */
    public SnapshotStore(final Path dir, final int keep)
    {
        this.dir = dir;
        this.keep = keep;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, ex);
        }
    }

    /**
     * Write a snapshot of a book.
     *
     * @param book the book, at a consistent point (on its own thread).
     * @return the snapshot's file.
     */
    public Path write(final OrderBook book)
    {
        final long seqNum = book.lastSeqNum();
        final Path target = dir.resolve(fileName(seqNum));
        final Path temp = dir.resolve(fileName(seqNum) + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            crc.reset();
            io.clear();
            io.putLong(MAGIC);
            final SnapshotHeaderEncoder header = new SnapshotHeaderEncoder()
                .wrapAndApplyHeader(headerBuffer, 0, new MessageHeaderEncoder())
                .seqNum(seqNum)
                .orderCount(book.size())
                .maxEventTimeNanos(book.maxEventTimeNanos())
                .stateHash(book.stateHash())
                .decimalScale((short)0);
            final int headerLength = MessageHeaderEncoder.ENCODED_LENGTH + header.encodedLength();
            io.putInt(headerLength);
            io.put(headerBuffer.byteArray(), 0, headerLength);
            book.forEachInSeqNumOrder(record -> putRecord(channel, record));
            flush(channel);
            io.putLong(crc.getValue());
            io.flip();
            while (io.hasRemaining())
            {
                channel.write(io);
            }
            channel.force(true);
        }
        catch (final IOException | UncheckedIOException ex)
        {
            try
            {
                Files.deleteIfExists(temp); // a failed snapshot must not keep eating the journal's disk
            }
            catch (final IOException ignore)
            {
                // the next write truncates it anyway
            }
            throw new UncheckedIOException("cannot write snapshot " + temp,
                ex instanceof UncheckedIOException ? ((UncheckedIOException)ex).getCause() : (IOException)ex);
        }
        moveIntoPlace(temp, target);
        deleteOldSnapshots();
        return target;
    }

    private void putRecord(final FileChannel channel, final OrderRecord record)
    {
        final int length = record.eventLength();
        if (io.remaining() < 4 + length)
        {
            flush(channel);
        }
        io.putInt(length);
        io.put(record.eventBuffer().byteArray(), 0, length);
    }

    /** Write what is buffered, adding it to the checksum. */
    private void flush(final FileChannel channel)
    {
        io.flip();
        crc.update(io.duplicate());
        try
        {
            while (io.hasRemaining())
            {
                channel.write(io);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        io.clear();
    }

    /**
     * Load the newest valid snapshot into a fresh book.
     *
     * @param newBook makes an empty book (a failed load discards its book and tries the next older snapshot).
     * @return the book and the snapshot's SeqNum, or an empty book at SeqNum 0 if there is no valid snapshot.
     */
    public Loaded loadNewest(final Supplier<OrderBook> newBook)
    {
        for (final Path file : listNewestFirst())
        {
            final OrderBook book = newBook.get();
            try
            {
                final long seqNum = load(file, book);
                return new Loaded(book, seqNum, file);
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.warn("skipping snapshot {}: {}", file, ex.getMessage());
            }
        }
        return new Loaded(newBook.get(), 0, null);
    }

    /**
     * Load the oldest valid snapshot at or after a SeqNum (verify-journal starts from it, to re-decide as many of the
     * retained events as it can when older cycles are archived).
     *
     * @param newBook   makes an empty book.
     * @param minSeqNum the smallest SeqNum wanted.
     * @return the book and the snapshot's SeqNum, or null if no valid snapshot is that recent.
     */
    public Loaded loadOldestFrom(final Supplier<OrderBook> newBook, final long minSeqNum)
    {
        final List<Path> files = listNewestFirst();
        for (int i = files.size() - 1; i >= 0; i--)
        {
            final Path file = files.get(i);
            final OrderBook book = newBook.get();
            try
            {
                final long seqNum = load(file, book);
                if (seqNum >= minSeqNum)
                {
                    return new Loaded(book, seqNum, file);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.warn("skipping snapshot {}: {}", file, ex.getMessage());
            }
        }
        return null;
    }

    private long load(final Path file, final OrderBook book) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8 + 4 + 8)
        {
            throw new IOException("too short");
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        crc.reset();
        crc.update(bytes, 0, bytes.length - 8);
        if (crc.getValue() != in.getLong(bytes.length - 8))
        {
            throw new IOException("checksum mismatch");
        }
        if (in.getLong(0) != MAGIC)
        {
            throw new IOException("not a snapshot file");
        }
        final int headerLength = in.getInt(8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final MessageHeaderDecoder messageHeader = new MessageHeaderDecoder().wrap(buffer, 12);
        if (messageHeader.templateId() != SnapshotHeaderDecoder.TEMPLATE_ID ||
            messageHeader.schemaId() != SnapshotHeaderDecoder.SCHEMA_ID)
        {
            throw new IOException("unknown snapshot header");
        }
        final SnapshotHeaderDecoder header = new SnapshotHeaderDecoder().wrap(buffer,
            12 + MessageHeaderDecoder.ENCODED_LENGTH, messageHeader.blockLength(), messageHeader.version());
        int position = 12 + headerLength;
        final int end = bytes.length - 8;
        long count = 0;
        while (position < end)
        {
            final int length = in.getInt(position);
            position += 4;
            if (length <= 0 || length > OrderRecord.MAX_EVENT_LENGTH || position + length > end)
            {
                throw new IOException("bad record length " + length + " at " + position);
            }
            book.restore(buffer, position, length);
            position += length;
            count++;
        }
        if (count != header.orderCount())
        {
            throw new IOException("holds " + count + " orders, header says " + header.orderCount());
        }
        book.restoreMaxEventTime(header.maxEventTimeNanos());
        book.restoreLastSeqNum(header.seqNum());
        if (book.stateHash() != header.stateHash())
        {
            throw new IOException("state hash mismatch");
        }
        return header.seqNum();
    }

    /**
     * Snapshot files, newest first.
     *
     * @return paths.
     */
    public List<Path> listNewestFirst()
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> stream = Files.list(dir))
        {
            stream.filter(p ->
                p.getFileName().toString().startsWith(PREFIX) && p.getFileName().toString().endsWith(SUFFIX))
                .forEach(files::add);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list snapshots in " + dir, ex);
        }
        files.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return files;
    }

    /**
     * The SeqNum of the newest snapshot file, by its name (not loaded: cheap enough for a status page).
     *
     * @return the SeqNum, 0 if there is none.
     */
    public long newestSeqNum()
    {
        for (final Path file : listNewestFirst())
        {
            final String name = file.getFileName().toString();
            try
            {
                return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
            }
            catch (final NumberFormatException ex)
            {
                // not one of ours
            }
        }
        return 0;
    }

    private void deleteOldSnapshots()
    {
        final List<Path> files = listNewestFirst();
        for (int i = keep; i < files.size(); i++)
        {
            try
            {
                Files.deleteIfExists(files.get(i));
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete old snapshot {}: {}", files.get(i), ex.getMessage());
            }
        }
    }

    private void moveIntoPlace(final Path temp, final Path target)
    {
        try
        {
            try
            {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ))
            {
                dirChannel.force(true);
            }
            catch (final IOException ignore)
            {
                // Not every platform can fsync a directory; the rename itself is atomic.
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot move snapshot into place: " + target, ex);
        }
    }

    static String fileName(final long seqNum)
    {
        return PREFIX + String.format("%020d", seqNum) + SUFFIX;
    }

    /** A book loaded from a snapshot. */
    public static final class Loaded
    {
        /** The book. */
        public final OrderBook book;
        /** SeqNum of the snapshot's last event, 0 if none was loaded. */
        public final long seqNum;
        /** The snapshot file, or null. */
        public final Path file;

        Loaded(final OrderBook book, final long seqNum, final Path file)
        {
            this.book = book;
            this.seqNum = seqNum;
            this.file = file;
        }
    }
}
