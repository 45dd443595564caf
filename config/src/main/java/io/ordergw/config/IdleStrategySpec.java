package io.ordergw.config;

import java.time.Duration;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Locale;

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
        /** Spin, then yield, then park with exponential back-off up to a longest park (1 ms unless given). */
        BACKOFF,
        /** Park for a fixed period. */
        SLEEPING
    }

    /** The kind. */
    public final Kind kind;
    /** Park period for SLEEPING; the longest park for BACKOFF. */
    public final Duration sleep;

    private IdleStrategySpec(final Kind kind, final Duration sleep)
    {
        this.kind = kind;
        this.sleep = sleep;
    }

    /**
     * A spec from its text: {@code busy-spin}, {@code yielding}, {@code backoff}, {@code backoff:<longest park>},
     * {@code sleeping} or {@code sleeping:<duration>}.
     *
     * @param text the setting's value.
     * @return the spec.
     * @throws IllegalArgumentException if not one of those.
     */
    public static IdleStrategySpec of(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        switch (value)
        {
            case "busy-spin":
                return new IdleStrategySpec(Kind.BUSY_SPIN, Duration.ZERO);
            case "yielding":
                return new IdleStrategySpec(Kind.YIELDING, Duration.ZERO);
            case "backoff":
                return new IdleStrategySpec(Kind.BACKOFF, Duration.ofMillis(1));
            case "sleeping":
                return new IdleStrategySpec(Kind.SLEEPING, Duration.ofMillis(1));
            default:
                if (value.startsWith("sleeping:"))
                {
                    return new IdleStrategySpec(Kind.SLEEPING, duration(text, value.substring("sleeping:".length())));
                }
                if (value.startsWith("backoff:"))
                {
                    return new IdleStrategySpec(Kind.BACKOFF, duration(text, value.substring("backoff:".length())));
                }
                throw new IllegalArgumentException("must be busy-spin, yielding, backoff, backoff:<longest park>, " +
                    "sleeping or sleeping:<duration> (got \"" + text + "\")");
        }
    }

    static IdleStrategySpec parse(final Settings s, final String key)
    {
        try
        {
            return of(s.string(key));
        }
        catch (final IllegalArgumentException | ConfigException ex)
        {
            throw new ConfigError(s.path(key), ex.getMessage());
        }
    }

    @Override
    public String toString()
    {
        return kind == Kind.SLEEPING ? "sleeping:" + sleep.toMillis() + "ms" : kind.name().toLowerCase(Locale.ROOT);
    }

    private static Duration duration(final String text, final String value)
    {
        final Duration duration = ConfigFactory.parseString("d = " + value).getDuration("d");
        if (duration.compareTo(Duration.ofNanos(1000)) < 0 || duration.compareTo(Duration.ofSeconds(1)) > 0)
        {
            throw new IllegalArgumentException("the duration must be between 1us and 1s: " + text);
        }
        return duration;
    }
}
