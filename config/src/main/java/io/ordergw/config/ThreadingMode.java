package io.ordergw.config;

/**
 * How the process's agents are put on threads ({@code ordergw.threading-mode}), in the manner of Aeron's
 * {@code ThreadingMode}. One class applies it: {@code io.ordergw.engine.EngineScheduler}.
 */
public enum ThreadingMode
{
    /** Every agent on its own thread: the engine, the journal read-ahead, the snapshot follower, the feed, the
     * router and the housekeeping each get an {@code AgentRunner}. For hosts with a core per busy agent. */
    DEDICATED,

    /** The engine alone on its thread; every other agent composed with {@code CompositeAgent} on one other thread.
     * Two runnable threads: the layout for small (2-core) hosts. */
    SHARED,

    /** No thread at all: the agents are composed into one {@code AgentInvoker} that the owner (a test) drives with
     * {@code invoke()}. */
    INVOKER;

    /**
     * Parse a setting's value.
     *
     * @param setting the setting's path, for the message.
     * @param value   the configured text (case-insensitive).
     * @return the mode.
     * @throws ConfigError naming the setting and the accepted values.
     */
    public static ThreadingMode parse(final String setting, final String value)
    {
        for (final ThreadingMode mode : values())
        {
            if (mode.name().equalsIgnoreCase(value))
            {
                return mode;
            }
        }
        throw new ConfigError(setting, "must be DEDICATED, SHARED or INVOKER (got \"" + value + "\")");
    }
}
