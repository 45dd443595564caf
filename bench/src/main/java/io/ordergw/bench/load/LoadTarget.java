package io.ordergw.bench.load;

/**
 * What the open-loop generator drives: something that takes numbered requests without waiting for their answers
 * (pipelined) and reports each answer with the request's number. Every method is called from the generator's one
 * thread.
 */
public interface LoadTarget extends AutoCloseable
{
    /** Receives answers. */
    @FunctionalInterface
    interface ReplyHandler
    {
        /**
         * One answer.
         *
         * @param k             the request's number.
         * @param ok            whether it succeeded (the event was journaled).
         * @param receivedNanos {@link System#nanoTime()} when it was read.
         */
        void onReply(long k, boolean ok, long receivedNanos);
    }

    /**
     * A name for reports.
     *
     * @return the name.
     */
    String name();

    /**
     * Prepare a new run whose requests are numbered from 0 again (fresh order ids, so nothing collides with an
     * earlier run).
     *
     * @param requests how many requests the run may send.
     */
    void startRun(long requests);

    /**
     * Send request {@code k} (numbers come in order, each once, none skipped) without waiting for its answer.
     *
     * @param k the request's number.
     * @return false if the transport cannot take it now (it will be offered again).
     */
    boolean send(long k);

    /** Push out what {@link #send} buffered. */
    default void flush()
    {
    }

    /**
     * Hand over the answers that have arrived.
     *
     * @param handler receives them.
     * @return answers handed over.
     */
    int poll(ReplyHandler handler);

    @Override
    void close();
}
