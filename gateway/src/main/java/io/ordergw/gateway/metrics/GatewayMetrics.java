package io.ordergw.gateway.metrics;

import io.ordergw.engine.EngineCounters;
import io.ordergw.engine.EngineLatency;
import io.ordergw.engine.publish.EventFeed;
import io.ordergw.engine.publish.FeedCounters;
import io.ordergw.gateway.GatewayCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Everything {@code /metrics} serves, in one Prometheus registry. The Agrona counters stay the source of truth: the
 * threads that own them update them as before, and every family here is a callback that reads them when scraped, so
 * the hot path never touches a Prometheus object. Latency comes from HdrHistogram recorders the same way
 * ({@link LatencyHistogram}). JVM and process metrics come from the client library's instrumentation. Every family
 * is listed, with its meaning and labels, in docs/metrics.md.
 */
public final class GatewayMetrics
{
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final String[] FEED_LABELS = {"transport", "stream"};
    private static final String[] REFUSAL_CODES = {"100", "101", "102", "104"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Supplier<EventFeed> feed;

    /**
     * Register every family.
     *
     * @param engine       the engine's counters.
     * @param latency      the engine's latency recorders.
     * @param feed         the feed now (it is rebuilt when the media driver restarts), or null while there is none.
     * @param gateway      the gateway's counters.
     * @param journalDir   the journal's directory, whose file system's free space is reported.
     * @param minFreeBytes {@code ordergw.journal.min-free-space}.
     * @param readiness    the parts' readiness.
     */
    public GatewayMetrics(
        final EngineCounters engine,
        final EngineLatency latency,
        final Supplier<EventFeed> feed,
        final GatewayCounters gateway,
        final Path journalDir,
        final long minFreeBytes,
        final Readiness readiness)
    {
        this.feed = feed;
        engineFamilies(engine, latency);
        gatewayFamilies(gateway);
        feedFamilies();
        GaugeWithCallback.builder().name("ordergw_journal_disk_free_bytes").unit(Unit.BYTES)
            .help("Usable bytes on the file system holding the journal; appends are refused (102) below " +
                "ordergw_journal_min_free_bytes.")
            .callback(cb ->
            {
                try
                {
                    cb.call(Files.getFileStore(journalDir).getUsableSpace());
                }
                catch (final IOException | RuntimeException ex)
                {
                    // no sample: a file system that cannot be measured is not reported as empty or as full
                }
            })
            .register(registry);
        GaugeWithCallback.builder().name("ordergw_journal_min_free_bytes").unit(Unit.BYTES)
            .help("ordergw.journal.min-free-space: below this the engine refuses appends (0 = no check).")
            .callback(cb -> cb.call(minFreeBytes))
            .register(registry);
        GaugeWithCallback.builder().name("ordergw_up")
            .help("1 while a part of the gateway is ready (what /ready reports), else 0.")
            .labelNames("component")
            .callback(cb ->
            {
                for (int i = 0; i < Readiness.COMPONENTS.length; i++)
                {
                    cb.call(readiness.isReady(i) ? 1 : 0, Readiness.COMPONENTS[i]);
                }
            })
            .register(registry);
        jvmFamilies();
    }

    /**
     * What the library's {@code JvmMetrics} registers, less two: the memory pool allocation counter, which adds a GC
     * listener that is never removed and a thread of its own (a stopped gateway would leave both behind), and the
     * native memory metrics, which ask the JVM for a report on every scrape that without
     * {@code -XX:NativeMemoryTracking} is always empty. Everything here is read when scraped.
     */
    private void jvmFamilies()
    {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    private void engineFamilies(final EngineCounters c, final EngineLatency latency)
    {
        counter("ordergw_engine_commands_received", "Order commands the engine took from its ingress ring.",
            c.commandsReceived);
        counter("ordergw_engine_events_applied", "Events journaled and applied to the book.", c.eventsApplied);
        counter("ordergw_engine_repeats_acknowledged", "Exact repeats of an applied event, acknowledged again.",
            c.repeatsAcknowledged);
        final AtomicCounter[] refused = {c.refusedInvalid, c.refusedOperationFailed, c.refusedServerError,
            c.refusedNotFound};
        CounterWithCallback.builder().name("ordergw_refused")
            .help("Order commands the engine refused, by APEX error code (100 invalid, 101 operation failed, " +
                "102 server error: book bounds, journal, disk; 104 not found).")
            .labelNames("code")
            .callback(cb ->
            {
                for (int i = 0; i < refused.length; i++)
                {
                    cb.call(refused[i].get(), REFUSAL_CODES[i]);
                }
            })
            .register(registry);
        counter("ordergw_engine_queries", "Queries the engine answered.", c.queries);
        counter("ordergw_engine_egress_back_pressure", "Replies that waited for room in the egress ring.",
            c.egressBackPressure);
        counter("ordergw_engine_snapshots", "Snapshots of the book written.", c.snapshots);
        counter("ordergw_engine_journal_faults", "Journal append failures.", c.journalFaults);
        counter("ordergw_engine_unknown_commands", "Ingress ring messages the engine skipped as not a known command.",
            c.unknownCommands);
        gauge("ordergw_engine_journal_seqnum", "SeqNum of the last journaled event.", c.journalSeqNum);
        gauge("ordergw_engine_open_orders", "Open orders in the book.", c.openOrders);
        gauge("ordergw_engine_retained_orders", "Terminal orders the book still holds.", c.retainedOrders);
        gauge("ordergw_engine_snapshot_follower_seqnum",
            "SeqNum the snapshot follower's book is at (0 when the engine thread writes snapshots).",
            c.snapshotFollowerSeqNum);
        registry.register(new LatencyHistogram("ordergw_engine_latency_seconds",
            "Engine thread time per order command by stage: decide (look-up, state machine, limits), journal " +
            "(append of an accepted event), reply (apply to the book, write the reply).", "stage")
            .series("decide", latency.decide)
            .series("journal", latency.journal)
            .series("reply", latency.reply));
    }

    private void gatewayFamilies(final GatewayCounters c)
    {
        counter("ordergw_gateway_requests", "Requests received (WebSocket frames and HTTP requests).", c.requests);
        counter("ordergw_gateway_bad_frames", "Frames that could not be read as APEX frames.", c.badFrames);
        counter("ordergw_gateway_edge_refusals",
            "SendExchangeOrderStateEvent refused at the edge before the engine (malformed, unknown OMS or exchange).",
            c.refusedAtEdge);
        counter("ordergw_gateway_ingress_full", "Requests refused (102) because the engine's ingress ring was full.",
            c.ingressFull);
        counter("ordergw_gateway_logins", "Successful logins.", c.logins);
        counter("ordergw_gateway_login_failures", "Failed logins.", c.failedLogins);
        counter("ordergw_gateway_events_sent", "Account events sent to subscribers.", c.eventsSent);
        counter("ordergw_gateway_slow_consumer_closes",
            "Sessions closed because their unsent data passed ordergw.gateway.session-outbound-limit.",
            c.slowConsumerCloses);
        counter("ordergw_gateway_orphan_responses", "Replies and events dropped because their session had gone.",
            c.orphanResponses);
        counter("ordergw_gateway_feed_reconnects",
            "Times the feed was rebuilt on a new Aeron client (after a media driver restart).", c.feedReconnects);
        counter("ordergw_gateway_router_queue_full",
            "Subscription changes refused because the router's command queue was full (answered 102).",
            c.routerQueueFull);
        gauge("ordergw_gateway_sessions", "Open connections (sessions).", c.sessions);
        gauge("ordergw_gateway_subscriptions", "Active account event subscriptions.", c.subscriptions);
        gauge("ordergw_gateway_routed_seqnum", "SeqNum of the last event the router sent on to sessions.",
            c.routedSeqNum);
        registry.register(new LatencyHistogram("ordergw_gateway_round_trip_seconds",
            "SendExchangeOrderStateEvent round trip inside the gateway: request decoded at the edge to its reply " +
            "written to the connection.", null)
            .series(null, c.roundTrip));
    }

    private void feedFamilies()
    {
        feedGauge("ordergw_feed_published_seqnum", "SeqNum of the last event a feed publication took.",
            p -> p.publishedSeqNum.get());
        feedGauge("ordergw_feed_consumers",
            "Consumers connected to a feed publication (receivers of a dynamic multi-destination UDP channel).",
            p -> p.consumers.get());
        GaugeWithCallback.builder().name("ordergw_feed_lag_events")
            .help("Events journaled but not yet on a feed publication; only while it has a consumer (without one " +
                "nothing can be published and there is no series).")
            .labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication((p, transport, stream) ->
            {
                if (p.consumers.get() > 0)
                {
                    cb.call(p.lag.get(), transport, stream);
                }
            }))
            .register(registry);
        feedCounter("ordergw_feed_events_published", "Events a feed publication took.", p -> p.eventsPublished);
        feedCounter("ordergw_feed_back_pressured",
            "Publisher duty cycles that ended on back pressure: the fastest consumer is a window behind.",
            p -> p.backPressured);
        feedCounter("ordergw_feed_admin_actions", "Publisher duty cycles that ended on a term rotation.",
            p -> p.adminActions);
        feedCounter("ordergw_feed_publications_recreated",
            "Publications recreated after CLOSED or MAX_POSITION_EXCEEDED.", p -> p.recreated);

        replayCounter("ordergw_feed_replay_requests", "Replay requests received.", f -> f.replayRequests);
        replayCounter("ordergw_feed_replays_completed", "Replays that ended with a ReplayEnd.",
            f -> f.replaysCompleted);
        replayCounter("ordergw_feed_replays_failed",
            "Replays abandoned: the consumer went away, never connected, or its channel was refused.",
            f -> f.replaysFailed);
        replayCounter("ordergw_feed_replays_rejected",
            "Replay requests dropped: too many replays at once, or not a usable request.", f -> f.replaysRejected);
        replayCounter("ordergw_feed_replay_events", "Events sent by replays.", f -> f.replayEvents);
        replayCounter("ordergw_feed_replay_back_pressured", "Replay duty cycles that ended on back pressure.",
            f -> f.replayBackPressured);
        GaugeWithCallback.builder().name("ordergw_feed_replays_active").help("Replays being served now.")
            .callback(cb ->
            {
                final EventFeed current = feed.get();
                if (current != null)
                {
                    cb.call(current.counters().replaysActive.get());
                }
            })
            .register(registry);
    }

    /** A publication's counters with its labels. */
    private interface PublicationVisitor
    {
        void visit(FeedCounters.PublicationCounters counters, String transport, String stream);
    }

    private void forEachPublication(final PublicationVisitor visitor)
    {
        final EventFeed current = feed.get();
        if (current == null)
        {
            return;
        }
        final FeedCounters counters = current.counters();
        visitor.visit(counters.ipc, "ipc", Integer.toString(current.context().ipcStreamId()));
        if (counters.udp != null)
        {
            visitor.visit(counters.udp, "udp", Integer.toString(current.context().udpStreamId()));
        }
    }

    private void feedGauge(
        final String name, final String help, final ToLongFunction<FeedCounters.PublicationCounters> value)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication((p, transport, stream) ->
                cb.call(value.applyAsLong(p), transport, stream)))
            .register(registry);
    }

    private void feedCounter(
        final String name, final String help, final Function<FeedCounters.PublicationCounters, AtomicCounter> counter)
    {
        CounterWithCallback.builder().name(name).help(help).labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication((p, transport, stream) ->
                cb.call(counter.apply(p).get(), transport, stream)))
            .register(registry);
    }

    private void replayCounter(
        final String name, final String help, final Function<FeedCounters, AtomicCounter> counter)
    {
        CounterWithCallback.builder().name(name).help(help)
            .callback(cb ->
            {
                final EventFeed current = feed.get();
                if (current != null)
                {
                    cb.call(counter.apply(current.counters()).get());
                }
            })
            .register(registry);
    }

    private void counter(final String name, final String help, final AtomicCounter counter)
    {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(counter.get())).register(registry);
    }

    private void gauge(final String name, final String help, final AtomicCounter counter)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(counter.get())).register(registry);
    }

    /**
     * The registry, for tests and for anything else that wants to read the same families.
     *
     * @return the registry.
     */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /**
     * One scrape in the Prometheus text format (version 0.0.4).
     *
     * @return the text, UTF-8.
     */
    public byte[] scrape()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
