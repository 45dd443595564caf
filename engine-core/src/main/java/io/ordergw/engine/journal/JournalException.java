package io.ordergw.engine.journal;

/**
 * The journal could not do what was asked: a fault, not a business refusal.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A fault with a cause.
     *
     * @param message what failed.
     * @param cause   why.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /**
     * A fault.
     *
     * @param message what failed.
     */
    public JournalException(final String message)
    {
        super(message);
    }
}
