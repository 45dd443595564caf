package io.ordergw.gateway;

/**
 * The gateway cannot start because of something on the host or in the settings: a port or data directory in use, a
 * journal that cannot be opened. The message is one line that names the setting or the resource first
 * ({@code ordergw.data-dir: /srv/ordergw is in use by another gateway (pid 4242)}), so that {@link Main} can print it
 * as it is and an operator knows what to change without reading a stack trace.
 */
public final class StartupFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure about one setting or resource.
     *
     * @param resource the setting's full path (e.g. {@code ordergw.publisher.udp-channel}) or the resource.
     * @param problem  what is wrong with it, one line.
     * @param cause    the underlying exception, or null; it goes to the log, not to the operator's console.
     */
    public StartupFailure(final String resource, final String problem, final Throwable cause)
    {
        super(resource + ": " + oneLine(problem), cause);
    }

    /**
     * A failure about one setting or resource, without an underlying exception.
     *
     * @param resource the setting's full path or the resource.
     * @param problem  what is wrong with it, one line.
     */
    public StartupFailure(final String resource, final String problem)
    {
        this(resource, problem, null);
    }

    /**
     * The first line of a message (exception messages from libraries may span several), never null.
     *
     * @param message a message, or null.
     * @return its first line, trimmed.
     */
    public static String oneLine(final String message)
    {
        if (message == null)
        {
            return "";
        }
        final int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
