package io.ordergw.gateway.auth;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The last nonce accepted for each API key, kept in a file so that a signed login captured before a restart cannot
 * be replayed after it.
 * <p>
 * A nonce is written to storage (a new file, forced, then moved over the old one) before the login that carries it
 * is accepted: if the write fails the login is refused, never accepted with a nonce that a restart would forget. The
 * file holds key ids and numbers only, never a secret or a signature. Logins are rare and slow by design, so one lock
 * serialises them here; nothing on the event path comes near it.
 */
public final class ApiKeyNonces
{
    private final Path file;
    private final Map<String, Long> lastByKey = new HashMap<>();

    private ApiKeyNonces(final Path file)
    {
        this.file = file;
    }

    /**
     * Nonces kept in memory only (a restart forgets them): for tests and tools.
     *
     * @return the store.
     */
    public static ApiKeyNonces inMemory()
    {
        return new ApiKeyNonces(null);
    }

    /**
     * Nonces kept in a file, loaded now if it exists.
     *
     * @param file the file (its directory is created if missing).
     * @return the store.
     * @throws UncheckedIOException if the file exists but cannot be read.
     */
    public static ApiKeyNonces inFile(final Path file)
    {
        final ApiKeyNonces nonces = new ApiKeyNonces(file);
        final Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            saved.load(in);
        }
        catch (final NoSuchFileException ex)
        {
            return nonces;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the API-key nonces in " + file, ex);
        }
        for (final String key : saved.stringPropertyNames())
        {
            try
            {
                nonces.lastByKey.put(key, Long.parseLong(saved.getProperty(key).trim()));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalStateException("API-key nonces in " + file + ": not a number for key " + key, ex);
            }
        }
        return nonces;
    }

    /**
     * Accept a nonce for a key if it is greater than the last one accepted, and keep it durably first.
     *
     * @param apiKey the key id.
     * @param nonce  the nonce, >= 0.
     * @return {@link #ACCEPTED}, {@link #NOT_GREATER} or {@link #NOT_KEPT} (the file could not be written: the nonce
     * did not move on).
     */
    public synchronized int accept(final String apiKey, final long nonce)
    {
        final Long last = lastByKey.get(apiKey);
        if (last != null && nonce <= last)
        {
            return NOT_GREATER;
        }
        lastByKey.put(apiKey, nonce);
        if (file != null)
        {
            try
            {
                save();
            }
            catch (final IOException | RuntimeException ex)
            {
                if (last == null)
                {
                    lastByKey.remove(apiKey);
                }
                else
                {
                    lastByKey.put(apiKey, last);
                }
                return NOT_KEPT;
            }
        }
        return ACCEPTED;
    }

    /** {@link #accept}: the nonce is the key's new last one, durably. */
    public static final int ACCEPTED = 0;
    /** {@link #accept}: the nonce is not greater than the last one accepted (a replay, or out of order). */
    public static final int NOT_GREATER = 1;
    /** {@link #accept}: the nonce could not be kept on storage, so it was not accepted. */
    public static final int NOT_KEPT = 2;

    /**
     * The last nonce accepted for a key.
     *
     * @param apiKey the key id.
     * @return the nonce, or -1 if none.
     */
    public synchronized long last(final String apiKey)
    {
        final Long last = lastByKey.get(apiKey);
        return last == null ? -1 : last;
    }

    private void save() throws IOException
    {
        final Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final Properties all = new Properties();
        lastByKey.forEach((key, nonce) -> all.setProperty(key, Long.toString(nonce)));
        final StringWriter text = new StringWriter();
        all.store(text, "last nonce accepted per API key (key ids only, no secrets)");
        final Path temp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ))
        {
            directory.force(true); // the rename itself reaches storage
        }
        catch (final IOException ex)
        {
            // not every platform can open a directory; the file's own content was forced above
        }
    }
}
