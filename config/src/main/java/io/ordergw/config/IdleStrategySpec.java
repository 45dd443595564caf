package io.ordergw.config;

import java.time.Duration;

/**
 * Which idle strategy an agent uses when it has no work, as configured. The engine maps it to an Agrona
 * IdleStrategy. Backing off is the default: a busy-spinning thread takes a whole core, and small machines have two.
 */
public final class IdleStrategySpec
{
    /** The kinds of idle strategy. */
    public enum Kind
    {
        /** Spin; lowest latency, one core per agent. */
        BUSY_SPIN,
        /** Thread.yield between polls. */
        YIELDING,
        /** Spin, then yield, then park with exponential back-off up to 1 ms. */
        BACKOFF,
        /** Park for a fixed period. */
        SLEEPING
    }

    /** The kind. */
    public final Kind kind;
    /** Park period for SLEEPING. */
    public final Duration sleep;

    private IdleStrategySpec(final Kind kind, final Duration sleep)
    {
        this.kind = kind;
        this.sleep = sleep;
    }

    /**
     * A spec from its text: {@code busy-spin}, {@code yielding}, {@code backoff}, {@code sleeping} or
     * {@code sleeping:<duration>}.
     *
     * @param text the setting's value.
     * @return the spec.
     * @throws IllegalArgumentException if not one of those.
     */
    public static IdleStrategySpec of(final String text)
    {
        final String value = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (value)
        {
            case "busy-spin":
                return new IdleStrategySpec(Kind.BUSY_SPIN, Duration.ZERO);
            case "yielding":
                return new IdleStrategySpec(Kind.YIELDING, Duration.ZERO);
            case "backoff":
                return new IdleStrategySpec(Kind.BACKOFF, Duration.ZERO);
            case "sleeping":
                return new IdleStrategySpec(Kind.SLEEPING, Duration.ofMillis(1));
            default:
                if (value.startsWith("sleeping:"))
                {
                    final Duration sleep = com.typesafe.config.ConfigFactory
                        .parseString("d = " + value.substring("sleeping:".length())).getDuration("d");
                    if (sleep.isNegative() || sleep.isZero() || sleep.compareTo(Duration.ofSeconds(1)) > 0)
                    {
                        throw new IllegalArgumentException("sleep must be between 1ns and 1s: " + text);
                    }
                    return new IdleStrategySpec(Kind.SLEEPING, sleep);
                }
                throw new IllegalArgumentException(
                    "must be busy-spin, yielding, backoff, sleeping or sleeping:<duration> (got \"" + text + "\")");
        }
    }

    static IdleStrategySpec parse(final Settings s, final String key)
    {
        try
        {
            return of(s.string(key));
        }
        catch (final IllegalArgumentException | com.typesafe.config.ConfigException ex)
        {
            throw new ConfigError(s.path(key), ex.getMessage());
        }
    }

    @Override
    public String toString()
    {
        return kind == Kind.SLEEPING ? "sleeping:" + sleep.toMillis() + "ms" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
