package io.ordergw.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigMemorySize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Typed, validated reads of one section of the configuration: every error names the full path of the setting.
 */
public final class Settings
{
    private final Config config;
    private final String prefix;

    /**
     * A view of a section.
     *
     * @param config the whole configuration.
     * @param prefix the section's path, e.g. {@code ordergw.book}.
     */
    public Settings(final Config config, final String prefix)
    {
        this.config = config;
        this.prefix = prefix;
    }

    /**
     * A nested section.
     *
     * @param name the section's key.
     * @return its settings.
     */
    public Settings section(final String name)
    {
        return new Settings(config, path(name));
    }

    /**
     * The full path of a key.
     *
     * @param key relative key.
     * @return full path.
     */
    public String path(final String key)
    {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /**
     * Whether a key is set.
     *
     * @param key relative key.
     * @return true if present and not null.
     */
    public boolean has(final String key)
    {
        return config.hasPath(path(key));
    }

    /**
     * An int within bounds.
     *
     * @param key relative key.
     * @param min smallest allowed.
     * @param max largest allowed.
     * @return the value.
     */
    public int intIn(final String key, final int min, final int max)
    {
        final long value = read(key, () -> config.getLong(path(key)));
        return (int)checkRange(key, value, min, max);
    }

    /**
     * A long within bounds.
     *
     * @param key relative key.
     * @param min smallest allowed.
     * @param max largest allowed.
     * @return the value.
     */
    public long longIn(final String key, final long min, final long max)
    {
        return checkRange(key, read(key, () -> config.getLong(path(key))), min, max);
    }

    /**
     * A size in bytes ({@code 4 MiB}, {@code 65536}) within bounds.
     *
     * @param key relative key.
     * @param min smallest allowed.
     * @param max largest allowed.
     * @return bytes.
     */
    public long bytesIn(final String key, final long min, final long max)
    {
        final ConfigMemorySize size = read(key, () -> config.getMemorySize(path(key)));
        return checkRange(key, size.toBytes(), min, max);
    }

    /**
     * A duration ({@code 100ms}, {@code 5m}) within bounds.
     *
     * @param key relative key.
     * @param min shortest allowed.
     * @param max longest allowed.
     * @return the duration.
     */
    public Duration durationIn(final String key, final Duration min, final Duration max)
    {
        final Duration value = read(key, () -> config.getDuration(path(key)));
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            throw new ConfigError(path(key), "must be between " + min + " and " + max + " (got " + value + ")");
        }
        return value;
    }

    /**
     * A non-empty string.
     *
     * @param key relative key.
     * @return the value.
     */
    public String string(final String key)
    {
        final String value = read(key, () -> config.getString(path(key)));
        if (value.isBlank())
        {
            throw new ConfigError(path(key), "must not be empty");
        }
        return value;
    }

    /**
     * A string that may be empty.
     *
     * @param key relative key.
     * @return the value, "" if unset.
     */
    public String optionalString(final String key)
    {
        return has(key) ? read(key, () -> config.getString(path(key))) : "";
    }

    /**
     * A boolean.
     *
     * @param key relative key.
     * @return the value.
     */
    public boolean bool(final String key)
    {
        return read(key, () -> config.getBoolean(path(key)));
    }

    /**
     * A file system path.
     *
     * @param key relative key.
     * @return the path.
     */
    public Path pathOf(final String key)
    {
        return Path.of(string(key));
    }

    /**
     * A list of ints within bounds.
     *
     * @param key relative key.
     * @param min smallest allowed.
     * @param max largest allowed.
     * @return the values.
     */
    public int[] intList(final String key, final int min, final int max)
    {
        final List<Integer> values = read(key, () -> config.getIntList(path(key)));
        final int[] result = new int[values.size()];
        for (int i = 0; i < result.length; i++)
        {
            result[i] = (int)checkRange(key, values.get(i), min, max);
        }
        return result;
    }

    /**
     * One of a fixed set of words, letter case ignored.
     *
     * @param key     relative key.
     * @param choices allowed values.
     * @return the value as given in choices.
     */
    public String oneOf(final String key, final String... choices)
    {
        final String value = string(key);
        for (final String choice : choices)
        {
            if (choice.equalsIgnoreCase(value))
            {
                return choice;
            }
        }
        throw new ConfigError(path(key), "must be one of " + String.join(", ", choices) + " (got \"" + value + "\")");
    }

    /**
     * The underlying configuration, for sections with free-form content.
     *
     * @return the config.
     */
    public Config config()
    {
        return config;
    }

    private long checkRange(final String key, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            final String rule;
            if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE)
            {
                rule = min == 1 ? "must be > 0" : "must be >= " + min;
            }
            else
            {
                rule = "must be between " + min + " and " + max;
            }
            throw new ConfigError(path(key), rule + " (got " + value + ")");
        }
        return value;
    }

    private <T> T read(final String key, final Supplier<T> reader)
    {
        try
        {
            return reader.get();
        }
        catch (final ConfigException.Missing ex)
        {
            throw new ConfigError(path(key), "is required");
        }
        catch (final ConfigException.WrongType | ConfigException.BadValue ex)
        {
            throw new ConfigError(path(key), "has a bad value: " + ex.getMessage());
        }
    }
}
