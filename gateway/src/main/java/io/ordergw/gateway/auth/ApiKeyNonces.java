package io.ordergw.gateway.auth;

import org.agrona.collections.LongHashSet;

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
 * The nonces accepted for each API key, with a mark kept in a file so that a signed login or request captured before
 * a restart cannot be replayed after it.
 * <p>
 * Two rules share one record per key, because both sign the same text (Nonce + UserId + APIKey) and a signature
 * captured from one must not pass as the other:
 * <ul>
 *     <li><b>Logins</b> ({@link #accept}): the nonce must be greater than every nonce accepted for the key.</li>
 *     <li><b>Signed requests</b> ({@link #acceptRequest}, the API-key headers on any HTTP request): the nonce must be
 *     greater than the key's floor, within {@value #WINDOW} of the greatest accepted, and not accepted before. So
 *     requests a client sends at once may arrive out of order (ccxt's nonce is the time in milliseconds) and each
 *     nonce still works once only: the ones within the window are remembered in memory, the ones below it refused.</li>
 * </ul>
 * The file holds, per key, a <b>durable mark</b>: a restart sets the floor to it, so every nonce at or below it is
 * refused after the restart. Every accepted nonce is at or below the mark before it is accepted, so no accepted nonce
 * can be replayed after a restart. A login writes the mark to its nonce. A signed request above the mark moves the mark
 * to its nonce plus {@value #RESERVE} (written to storage, forced, before it is accepted), so requests write the file
 * once per {@value #RESERVE} of nonce, not once each: with millisecond nonces, at most once every ten seconds per key.
 * The price is that after a restart a key's nonces must pass the reserved mark: a millisecond-nonce client is refused
 * for at most ten seconds after the gateway restarts.
 * <p>
 * If the file cannot be written the login or request is refused, never accepted with a mark that a restart would
 * forget. The file holds key ids and numbers only, never a secret or a signature. One lock serialises the checks; they
 * run on the login threads, never on the event path.
 */
public final class ApiKeyNonces
{
    /** How far below the greatest accepted nonce a signed request's nonce may be. */
    public static final long WINDOW = 10_000;
    /** How far above a signed request's nonce the durable mark is set when the request passes it. */
    public static final long RESERVE = 10_000;
    /** Remembered nonces of a key past which the ones below the window are dropped. */
    private static final int PRUNE_AT = 256;

    /** What is known of one key. */
    private static final class KeyState
    {
        long floor = -1;
        long highest = -1;
        long durable = -1;
        final LongHashSet seen = new LongHashSet();
    }

    private final Path file;
    private final Map<String, KeyState> byKey = new HashMap<>();

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
                final KeyState state = new KeyState();
                state.durable = Long.parseLong(saved.getProperty(key).trim());
                state.floor = state.durable;
                state.highest = state.durable;
                nonces.byKey.put(key, state);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalStateException("API-key nonces in " + file + ": not a number for key " + key, ex);
            }
        }
        return nonces;
    }

    /**
     * Accept a login's nonce for a key if it is greater than every nonce accepted for the key, and keep it durably
     * first.
     *
     * @param apiKey the key id.
     * @param nonce  the nonce, >= 0.
     * @return {@link #ACCEPTED}, {@link #NOT_GREATER} or {@link #NOT_KEPT} (the file could not be written: the nonce
     * did not move on).
     */
    public synchronized int accept(final String apiKey, final long nonce)
    {
        final KeyState state = byKey.computeIfAbsent(apiKey, k -> new KeyState());
        if (nonce <= state.highest || nonce <= state.floor)
        {
            return NOT_GREATER;
        }
        if (!keep(apiKey, state, nonce))
        {
            return NOT_KEPT;
        }
        remember(state, nonce);
        return ACCEPTED;
    }

    /**
     * Accept a signed request's nonce for a key: greater than the key's floor, within {@link #WINDOW} of the greatest
     * accepted, and never accepted before. The durable mark moves (one forced write) only when the nonce passes it.
     *
     * @param apiKey the key id.
     * @param nonce  the nonce, >= 0.
     * @return {@link #ACCEPTED}, {@link #NOT_GREATER} (a replay, or too old) or {@link #NOT_KEPT}.
     */
    public synchronized int acceptRequest(final String apiKey, final long nonce)
    {
        final KeyState state = byKey.computeIfAbsent(apiKey, k -> new KeyState());
        if (nonce <= state.floor || (state.highest >= 0 && nonce <= state.highest - WINDOW) ||
            state.seen.contains(nonce))
        {
            return NOT_GREATER;
        }
        if (nonce > state.durable && !keep(apiKey, state, nonce > Long.MAX_VALUE - RESERVE ? nonce : nonce + RESERVE))
        {
            return NOT_KEPT;
        }
        remember(state, nonce);
        return ACCEPTED;
    }

    private static void remember(final KeyState state, final long nonce)
    {
        state.highest = Math.max(state.highest, nonce);
        state.seen.add(nonce);
        if (state.seen.size() > PRUNE_AT)
        {
            final long below = state.highest - WINDOW;
            state.seen.removeIfLong(n -> n <= below);
        }
    }

    /** Move the durable mark to {@code mark} (if higher), on storage first; false (nothing moved) if it fails. */
    private boolean keep(final String apiKey, final KeyState state, final long mark)
    {
        if (mark <= state.durable)
        {
            return true;
        }
        final long previous = state.durable;
        state.durable = mark;
        if (file != null)
        {
            try
            {
                save();
            }
            catch (final IOException | RuntimeException ex)
            {
                state.durable = previous;
                return false;
            }
        }
        return true;
    }

    /** {@link #accept}: the nonce is the key's new last one, durably. */
    public static final int ACCEPTED = 0;
    /** {@link #accept}: the nonce is not greater than the last one accepted (a replay, or out of order). */
    public static final int NOT_GREATER = 1;
    /** {@link #accept}: the nonce could not be kept on storage, so it was not accepted. */
    public static final int NOT_KEPT = 2;

    /**
     * The greatest nonce accepted for a key (or, after a restart, its durable mark).
     *
     * @param apiKey the key id.
     * @return the nonce, or -1 if none.
     */
    public synchronized long last(final String apiKey)
    {
        final KeyState state = byKey.get(apiKey);
        return state == null ? -1 : state.highest;
    }

    private void save() throws IOException
    {
        final Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final Properties all = new Properties();
        byKey.forEach((key, state) ->
        {
            if (state.durable >= 0)
            {
                all.setProperty(key, Long.toString(state.durable));
            }
        });
        final StringWriter text = new StringWriter();
        all.store(text, "per API key, the mark every nonce must pass after a restart (key ids only, no secrets)");
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
