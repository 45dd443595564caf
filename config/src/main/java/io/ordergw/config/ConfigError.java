package io.ordergw.config;

/**
 * A setting is missing, malformed or out of range. The message names the setting's full path.
 */
public final class ConfigError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error about one setting.
     *
     * @param path    full path, e.g. {@code ordergw.book.max-open-orders}.
     * @param problem what is wrong with it.
     */
    public ConfigError(final String path, final String problem)
    {
        super(path + ": " + problem);
    }

    /**
     * An error with a ready message.
     *
     * @param message the message.
     * @param cause   the underlying exception.
     */
    public ConfigError(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
