package io.ordergw.gateway.net;

import io.netty.channel.Channel;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Sessions by id, for the router thread to find the session a reply or event belongs to without a map lookup or
 * boxing: an id is {@code generation << 32 | slot}, and a slot's session is compared by id, so a reply for a session
 * that has gone (and whose slot was reused) is dropped.
 * <p>
 * Opening and closing (rare) synchronise; {@link #get(long)} (every reply) is a volatile array read.
 */
public final class SessionRegistry
{
    private final AtomicReferenceArray<ClientSession> slots;
    private final int[] freeSlots;
    private final int[] generations;
    private int freeCount;
    private int open;

    /**
     * A registry with a fixed number of slots.
     *
     * @param capacity most sessions open at once.
     */
    public SessionRegistry(final int capacity)
    {
        slots = new AtomicReferenceArray<>(capacity);
        freeSlots = new int[capacity];
        generations = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /**
     * Open a session for a channel.
     *
     * @param channel       the channel.
     * @param webSocket     whether it is a WebSocket.
     * @param remoteAddress the peer.
     * @return the session, or null when every slot is taken.
     */
    public synchronized ClientSession open(final Channel channel, final boolean webSocket, final String remoteAddress)
    {
        if (freeCount == 0)
        {
            return null;
        }
        final int slot = freeSlots[--freeCount];
        final int generation = ++generations[slot];
        final ClientSession session = new ClientSession(((long)generation << 32) | slot, channel, webSocket,
            remoteAddress);
        slots.set(slot, session);
        open++;
        return session;
    }

    /**
     * Close a session: its slot becomes free and replies still in flight for it are dropped.
     *
     * @param session the session.
     */
    public synchronized void close(final ClientSession session)
    {
        final int slot = (int)session.id();
        if (slots.get(slot) == session)
        {
            session.markClosed();
            slots.set(slot, null);
            freeSlots[freeCount++] = slot;
            open--;
        }
    }

    /**
     * The session with an id.
     *
     * @param id the id.
     * @return the session, or null if it has closed.
     */
    public ClientSession get(final long id)
    {
        final int slot = (int)id;
        if (slot < 0 || slot >= slots.length())
        {
            return null;
        }
        final ClientSession session = slots.get(slot);
        return session != null && session.id() == id ? session : null;
    }

    /**
     * Visit every open session (for logout of a token on all its connections); not for hot paths.
     *
     * @param visitor called per session.
     */
    public void forEach(final Consumer<ClientSession> visitor)
    {
        for (int i = 0; i < slots.length(); i++)
        {
            final ClientSession session = slots.get(i);
            if (session != null)
            {
                visitor.accept(session);
            }
        }
    }

    /**
     * Sessions open now.
     *
     * @return count.
     */
    public synchronized int openCount()
    {
        return open;
    }
}
