package io.ordergw.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one line per event an operator must be able to answer for later, on a logger of its own,
 * {@value #LOGGER_NAME}, so it can be kept apart from the rest of the log (the gateway's logback.xml writes it to
 * {@code ordergw.log.audit-file} when that is set, and always keeps it at INFO).
 * <p>
 * Lines are {@code <what> key=value ...}: {@code login ok}, {@code login failed}, {@code login refused} (locked
 * out), {@code lockout}, {@code slow-consumer closed}, {@code disk refusing} and {@code disk accepting}. The coming
 * outbox writes its dead letters here as {@code dead-letter ...} through {@link #logger()}.
 * <p>
 * Never call it per event on the engine's hot path: callers write at most one line per state change (a lockout
 * starting, the disk guard starting or stopping refusing), never one per refused request. No credential ever goes
 * into a line: a user name is written only once it is known to be a configured user (a name that matched no user may
 * be a password typed into the wrong field).
 */
public final class Audit
{
    /** The audit logger's name. */
    public static final String LOGGER_NAME = "ordergw.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private Audit()
    {
    }

    /**
     * The audit logger, for audit lines that have no method here.
     *
     * @return the logger named {@value #LOGGER_NAME}.
     */
    public static Logger logger()
    {
        return LOG;
    }

    /**
     * A successful login.
     *
     * @param user          the user's name.
     * @param method        how: {@code password}, {@code api-key} or {@code token}.
     * @param remoteAddress the client's address, or null.
     */
    public static void loginOk(final String user, final String method, final String remoteAddress)
    {
        LOG.info("login ok user={} method={} from={}", user, method, remoteAddress);
    }

    /**
     * A login refused for bad credentials.
     *
     * @param knownUser     the configured user the name or API key belongs to, or null if it matched none (then
     *                      the name is not written: it may be a mistyped password).
     * @param method        how: {@code password}, {@code api-key} or {@code token}.
     * @param remoteAddress the client's address, or null.
     */
    public static void loginFailed(final String knownUser, final String method, final String remoteAddress)
    {
        LOG.warn("login failed user={} method={} from={}", knownUser == null ? "(unknown)" : knownUser, method,
            remoteAddress);
    }

    /**
     * A login refused without checking its credentials because its user, API key or address is locked out.
     *
     * @param knownUser     the configured user, or null if the name matched none.
     * @param method        how: {@code password} or {@code api-key}.
     * @param remoteAddress the client's address, or null.
     */
    public static void loginLocked(final String knownUser, final String method, final String remoteAddress)
    {
        LOG.warn("login refused user={} method={} from={} reason=locked-out",
            knownUser == null ? "(unknown)" : knownUser, method, remoteAddress);
    }

    /**
     * A lockout starting: too many failed logins for a user (or API key) or an address.
     *
     * @param what          {@code user}, {@code api-key} or {@code address}.
     * @param knownUser     the configured user locked out, or null for an address or an unknown name.
     * @param remoteAddress the address of the failure that locked it.
     * @param failures      failures that led to it.
     * @param lockMillis    how long logins are refused.
     */
    public static void lockout(
        final String what,
        final String knownUser,
        final String remoteAddress,
        final int failures,
        final long lockMillis)
    {
        LOG.warn("lockout {} user={} from={} failures={} for={}s", what, knownUser == null ? "(unknown)" : knownUser,
            remoteAddress, failures, lockMillis / 1000);
    }

    /**
     * A subscriber closed because it did not keep up: its unsent live data passed
     * ordergw.gateway.session-outbound-limit, or its replay took nothing for ordergw.gateway.replay-stall-timeout.
     *
     * @param user           the session's user, or null.
     * @param remoteAddress  the client's address.
     * @param accountId      the account it subscribed to.
     * @param lastSentSeqNum the last SeqNum it was sent (it resumes from the next).
     * @param reason         why, as the close frame says it.
     */
    public static void slowConsumerClosed(
        final String user, final String remoteAddress, final int accountId, final long lastSentSeqNum,
        final String reason)
    {
        LOG.warn("slow-consumer closed user={} from={} account={} lastSentSeqNum={} reason={}", user, remoteAddress,
            accountId, lastSentSeqNum, reason);
    }

    /**
     * The disk-space guard starting to refuse new events.
     *
     * @param location      the directory whose file system is full.
     * @param usableBytes   usable bytes measured.
     * @param minFreeBytes  the configured minimum.
     */
    public static void diskRefusing(final String location, final long usableBytes, final long minFreeBytes)
    {
        LOG.error("disk refusing location={} free={}MiB min-free-space={}MiB: new events are refused (102)",
            location, usableBytes >> 20, minFreeBytes >> 20);
    }

    /**
     * The disk-space guard accepting events again.
     *
     * @param location     the directory.
     * @param usableBytes  usable bytes measured.
     * @param minFreeBytes the configured minimum.
     */
    public static void diskAccepting(final String location, final long usableBytes, final long minFreeBytes)
    {
        LOG.warn("disk accepting location={} free={}MiB min-free-space={}MiB", location, usableBytes >> 20,
            minFreeBytes >> 20);
    }
}
