package io.ordergw.engine;

/**
 * How long the engine thread spends on each order command, by stage, recorded on the engine thread (see
 * {@link LatencyRecorder}) and read elsewhere:
 * <ul>
 *   <li>{@link #decide}: from taking the command off the ingress ring to the decision (book look-up, state
 *   machine, book and disk-space limits);</li>
 *   <li>{@link #journal}: the journal append of an accepted event (a refused or repeated command has none);</li>
 *   <li>{@link #reply}: applying the event to the book and writing the reply to the egress ring.</li>
 * </ul>
 * Queries are not timed.
 */
public final class EngineLatency
{
    /** Decision time. */
    public final LatencyRecorder decide = new LatencyRecorder();
    /** Journal append time. */
    public final LatencyRecorder journal = new LatencyRecorder();
    /** Apply and reply time. */
    public final LatencyRecorder reply = new LatencyRecorder();
}
