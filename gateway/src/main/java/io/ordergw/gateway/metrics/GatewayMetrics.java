package io.ordergw.gateway.metrics;

import io.ordergw.codec.OrderGwCounters;
import io.ordergw.engine.EngineLatency;
import io.ordergw.engine.LatencyRecorder;
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
import org.agrona.concurrent.status.CountersReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything {@code /metrics} serves, in one Prometheus registry. The Agrona counters stay the source of truth: the
 * threads that own them update them as before, and every family here is a callback that reads them when scraped, so
 * the hot path never touches a Prometheus object. A family finds its counters in the counters buffer by type id and
 * key ({@link OrderGwCounters}), never by label, at every scrape: the feed's counters are allocated again when it is
 * rebuilt on a new Aeron client, and a counter that is not there has no sample. Latency comes from HdrHistogram
 * recorders the same way ({@link LatencyHistogram}). JVM and process metrics come from the client library's
 * instrumentation. Every family is listed, with its meaning and labels, in docs/metrics.md.
 */
public final class GatewayMetrics
{
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final String[] FEED_LABELS = {"transport", "stream"};
    private static final int[] REFUSAL_CODES = {100, 101, 102, 104};
    private static final int[] RINGS = {OrderGwCounters.RING_INGRESS, OrderGwCounters.RING_EGRESS};
    private static final String[] RING_NAMES = {"ingress", "egress"};
    private static final int[] CONSUMERS =
        {OrderGwCounters.CONSUMER_ROUTER, OrderGwCounters.CONSUMER_SNAPSHOT_FOLLOWER};
    private static final String[] CONSUMER_NAMES = {"router", "snapshot_follower"};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final CountersReader counters;

    /**
     * Register every family.
     *
     * @param counters     the counters buffer the engine, the gateway and the feed allocate in.
     * @param latency      the engine's latency recorders.
     * @param roundTrip    the gateway's round-trip recorder.
     * @param journalDir   the journal's directory, whose file system's free space is reported.
     * @param minFreeBytes {@code ordergw.journal.min-free-space}.
     * @param readiness    the parts' readiness.
     */
    public GatewayMetrics(
        final CountersReader counters,
        final EngineLatency latency,
        final LatencyRecorder roundTrip,
        final Path journalDir,
        final long minFreeBytes,
        final Readiness readiness)
    {
        this.counters = counters;
        engineFamilies(latency);
        gatewayFamilies(roundTrip);
        feedFamilies();
        pipelineFamilies();
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

    private void engineFamilies(final EngineLatency latency)
    {
        counter("ordergw_engine_commands_received", "Order commands the engine took from its ingress ring.",
            OrderGwCounters.ENGINE_COMMANDS_RECEIVED_TYPE_ID);
        counter("ordergw_engine_events_applied", "Events journaled and applied to the book.",
            OrderGwCounters.ENGINE_EVENTS_APPLIED_TYPE_ID);
        counter("ordergw_engine_repeats_acknowledged", "Exact repeats of an applied event, acknowledged again.",
            OrderGwCounters.ENGINE_REPEATS_ACKNOWLEDGED_TYPE_ID);
        CounterWithCallback.builder().name("ordergw_refused")
            .help("Order commands the engine refused, by APEX error code (100 invalid, 101 operation failed, " +
                "102 server error: book bounds, journal, disk; 104 not found).")
            .labelNames("code")
            .callback(cb ->
            {
                for (final int code : REFUSAL_CODES)
                {
                    final int id = OrderGwCounters.find(counters, OrderGwCounters.ENGINE_REFUSED_TYPE_ID, code);
                    if (CountersReader.NULL_COUNTER_ID != id)
                    {
                        cb.call(counters.getCounterValue(id), Integer.toString(code));
                    }
                }
            })
            .register(registry);
        counter("ordergw_engine_queries", "Queries the engine answered.", OrderGwCounters.ENGINE_QUERIES_TYPE_ID);
        counter("ordergw_engine_egress_back_pressure", "Replies that waited for room in the egress ring.",
            OrderGwCounters.ENGINE_EGRESS_BACK_PRESSURE_TYPE_ID);
        counter("ordergw_engine_snapshots", "Snapshots of the book written.", OrderGwCounters.ENGINE_SNAPSHOTS_TYPE_ID);
        counter("ordergw_engine_journal_faults", "Journal append failures.",
            OrderGwCounters.ENGINE_JOURNAL_FAULTS_TYPE_ID);
        counter("ordergw_engine_unknown_commands", "Ingress ring messages the engine skipped as not a known command.",
            OrderGwCounters.ENGINE_UNKNOWN_COMMANDS_TYPE_ID);
        gauge("ordergw_engine_journal_seqnum", "SeqNum of the last journaled event.",
            OrderGwCounters.ENGINE_JOURNAL_SEQNUM_TYPE_ID);
        gauge("ordergw_engine_open_orders", "Open orders in the book.", OrderGwCounters.ENGINE_OPEN_ORDERS_TYPE_ID);
        gauge("ordergw_engine_retained_orders", "Terminal orders the book still holds.",
            OrderGwCounters.ENGINE_RETAINED_ORDERS_TYPE_ID);
        gauge("ordergw_engine_snapshot_follower_seqnum",
            "SeqNum the snapshot follower's book is at (0 when the engine thread writes snapshots).",
            OrderGwCounters.SNAPSHOT_FOLLOWER_SEQNUM_TYPE_ID);
        registry.register(new LatencyHistogram("ordergw_engine_latency_seconds",
            "Engine thread time per order command by stage: decide (look-up, state machine, limits), journal " +
            "(append of an accepted event), reply (apply to the book, write the reply).", "stage")
            .series("decide", latency.decide)
            .series("journal", latency.journal)
            .series("reply", latency.reply));
    }

    private void gatewayFamilies(final LatencyRecorder roundTrip)
    {
        counter("ordergw_gateway_requests", "Requests received (WebSocket frames and HTTP requests).",
            OrderGwCounters.GATEWAY_REQUESTS_TYPE_ID);
        counter("ordergw_gateway_bad_frames", "Frames that could not be read as APEX frames.",
            OrderGwCounters.GATEWAY_BAD_FRAMES_TYPE_ID);
        counter("ordergw_gateway_edge_refusals",
            "SendExchangeOrderStateEvent refused at the edge before the engine (malformed, unknown OMS or exchange).",
            OrderGwCounters.GATEWAY_EDGE_REFUSALS_TYPE_ID);
        counter("ordergw_gateway_ingress_full", "Requests refused (102) because the engine's ingress ring was full.",
            OrderGwCounters.GATEWAY_INGRESS_FULL_TYPE_ID);
        counter("ordergw_gateway_logins", "Successful logins.", OrderGwCounters.GATEWAY_LOGINS_TYPE_ID);
        counter("ordergw_gateway_login_failures", "Failed logins.", OrderGwCounters.GATEWAY_LOGIN_FAILURES_TYPE_ID);
        counter("ordergw_gateway_events_sent", "Account events sent to subscribers.",
            OrderGwCounters.GATEWAY_EVENTS_SENT_TYPE_ID);
        counter("ordergw_gateway_slow_consumer_closes",
            "Sessions closed because their unsent data passed ordergw.gateway.session-outbound-limit.",
            OrderGwCounters.GATEWAY_SLOW_CONSUMER_CLOSES_TYPE_ID);
        counter("ordergw_gateway_orphan_responses", "Replies and events dropped because their session had gone.",
            OrderGwCounters.GATEWAY_ORPHAN_RESPONSES_TYPE_ID);
        counter("ordergw_gateway_feed_reconnects",
            "Times the feed was rebuilt on a new Aeron client (after a media driver restart).",
            OrderGwCounters.GATEWAY_FEED_RECONNECTS_TYPE_ID);
        counter("ordergw_gateway_router_queue_full",
            "Subscription changes refused because the router's command queue was full (answered 102).",
            OrderGwCounters.GATEWAY_ROUTER_QUEUE_FULL_TYPE_ID);
        gauge("ordergw_gateway_sessions", "Open connections (sessions).", OrderGwCounters.GATEWAY_SESSIONS_TYPE_ID);
        gauge("ordergw_gateway_subscriptions", "Active account event subscriptions.",
            OrderGwCounters.GATEWAY_SUBSCRIPTIONS_TYPE_ID);
        gauge("ordergw_gateway_routed_seqnum", "SeqNum of the last event the router sent on to sessions.",
            OrderGwCounters.GATEWAY_ROUTED_SEQNUM_TYPE_ID);
        registry.register(new LatencyHistogram("ordergw_gateway_round_trip_seconds",
            "SendExchangeOrderStateEvent round trip inside the gateway: request decoded at the edge to its reply " +
            "written to the connection.", null)
            .series(null, roundTrip));
    }

    /** The rings between the edge, the engine and the router, and how far each journal consumer is behind. */
    private void pipelineFamilies()
    {
        keyedGauge("ordergw_ring_depth_bytes",
            "Bytes waiting in a ring, sampled once per duty cycle by the thread that reads it: ingress (edge to " +
            "engine), egress (engine to router).", "ring", OrderGwCounters.RING_DEPTH_TYPE_ID, RINGS, RING_NAMES);
        keyedGauge("ordergw_ring_capacity_bytes", "Capacity of a ring in bytes.", "ring",
            OrderGwCounters.RING_CAPACITY_TYPE_ID, RINGS, RING_NAMES);
        keyedGauge("ordergw_journal_lag_events",
            "Journal SeqNum minus the last SeqNum a consumer of the journal has taken: the router (events on to " +
            "sessions), the snapshot follower (only with ordergw.snapshot.writer = follower).", "consumer",
            OrderGwCounters.JOURNAL_LAG_TYPE_ID, CONSUMERS, CONSUMER_NAMES);
    }

    private void keyedGauge(
        final String name,
        final String help,
        final String labelName,
        final int typeId,
        final int[] keys,
        final String[] labelValues)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelName)
            .callback(cb ->
            {
                for (int i = 0; i < keys.length; i++)
                {
                    final int id = OrderGwCounters.find(counters, typeId, keys[i]);
                    if (CountersReader.NULL_COUNTER_ID != id)
                    {
                        cb.call(counters.getCounterValue(id), labelValues[i]);
                    }
                }
            })
            .register(registry);
    }

    private void feedFamilies()
    {
        feedGauge("ordergw_feed_published_seqnum", "SeqNum of the last event a feed publication took.",
            OrderGwCounters.FEED_PUBLISHED_SEQNUM_TYPE_ID);
        feedGauge("ordergw_feed_consumers",
            "Consumers connected to a feed publication (receivers of a dynamic multi-destination UDP channel).",
            OrderGwCounters.FEED_CONSUMERS_TYPE_ID);
        GaugeWithCallback.builder().name("ordergw_feed_lag_events")
            .help("Events journaled but not yet on a feed publication; only while it has a consumer (without one " +
                "nothing can be published and there is no series).")
            .labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication(OrderGwCounters.FEED_LAG_TYPE_ID, (id, streamId, transport) ->
            {
                final int consumers = OrderGwCounters.find(
                    counters, OrderGwCounters.FEED_CONSUMERS_TYPE_ID, streamId, transport);
                if (CountersReader.NULL_COUNTER_ID != consumers && counters.getCounterValue(consumers) > 0)
                {
                    cb.call(counters.getCounterValue(id), OrderGwCounters.transportName(transport),
                        Integer.toString(streamId));
                }
            }))
            .register(registry);
        feedCounter("ordergw_feed_events_published", "Events a feed publication took.",
            OrderGwCounters.FEED_EVENTS_PUBLISHED_TYPE_ID);
        feedCounter("ordergw_feed_back_pressured",
            "Publisher duty cycles that ended on back pressure: the fastest consumer is a window behind.",
            OrderGwCounters.FEED_BACK_PRESSURED_TYPE_ID);
        feedCounter("ordergw_feed_admin_actions", "Publisher duty cycles that ended on a term rotation.",
            OrderGwCounters.FEED_ADMIN_ACTIONS_TYPE_ID);
        feedCounter("ordergw_feed_publications_recreated",
            "Publications recreated after CLOSED or MAX_POSITION_EXCEEDED.",
            OrderGwCounters.FEED_PUBLICATIONS_RECREATED_TYPE_ID);

        counter("ordergw_feed_replay_requests", "Replay requests received.",
            OrderGwCounters.FEED_REPLAY_REQUESTS_TYPE_ID);
        counter("ordergw_feed_replays_completed", "Replays that ended with a ReplayEnd.",
            OrderGwCounters.FEED_REPLAYS_COMPLETED_TYPE_ID);
        counter("ordergw_feed_replays_failed",
            "Replays abandoned: the consumer went away, never connected, or its channel was refused.",
            OrderGwCounters.FEED_REPLAYS_FAILED_TYPE_ID);
        counter("ordergw_feed_replays_rejected",
            "Replay requests dropped: too many replays at once, or not a usable request.",
            OrderGwCounters.FEED_REPLAYS_REJECTED_TYPE_ID);
        counter("ordergw_feed_replay_events", "Events sent by replays.", OrderGwCounters.FEED_REPLAY_EVENTS_TYPE_ID);
        counter("ordergw_feed_replay_back_pressured", "Replay duty cycles that ended on back pressure.",
            OrderGwCounters.FEED_REPLAY_BACK_PRESSURED_TYPE_ID);
        gauge("ordergw_feed_replays_active", "Replays being served now.", OrderGwCounters.FEED_REPLAYS_ACTIVE_TYPE_ID);
    }

    /** A feed publication's counter of one type, with the stream id and transport of its key. */
    private interface PublicationVisitor
    {
        void visit(int counterId, int streamId, int transport);
    }

    /** Each allocated counter of a feed publication type, in counter id order (IPC is allocated before UDP). */
    private void forEachPublication(final int typeId, final PublicationVisitor visitor)
    {
        final int maxCounterId = counters.maxCounterId();
        for (int id = 0; id < maxCounterId; id++)
        {
            final int state = counters.getCounterState(id);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            if (CountersReader.RECORD_ALLOCATED == state && counters.getCounterTypeId(id) == typeId)
            {
                visitor.visit(id, OrderGwCounters.keyFirst(counters, id), OrderGwCounters.keySecond(counters, id));
            }
        }
    }

    private void feedGauge(final String name, final String help, final int typeId)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication(typeId, (id, streamId, transport) ->
                cb.call(counters.getCounterValue(id), OrderGwCounters.transportName(transport),
                    Integer.toString(streamId))))
            .register(registry);
    }

    private void feedCounter(final String name, final String help, final int typeId)
    {
        CounterWithCallback.builder().name(name).help(help).labelNames(FEED_LABELS)
            .callback(cb -> forEachPublication(typeId, (id, streamId, transport) ->
                cb.call(counters.getCounterValue(id), OrderGwCounters.transportName(transport),
                    Integer.toString(streamId))))
            .register(registry);
    }

    /** A family of the one counter of a type; no sample while it is not allocated (a feed being rebuilt). */
    private void counter(final String name, final String help, final int typeId)
    {
        CounterWithCallback.builder().name(name).help(help).callback(cb ->
        {
            final int id = OrderGwCounters.find(counters, typeId);
            if (CountersReader.NULL_COUNTER_ID != id)
            {
                cb.call(counters.getCounterValue(id));
            }
        }).register(registry);
    }

    private void gauge(final String name, final String help, final int typeId)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(cb ->
        {
            final int id = OrderGwCounters.find(counters, typeId);
            if (CountersReader.NULL_COUNTER_ID != id)
            {
                cb.call(counters.getCounterValue(id));
            }
        }).register(registry);
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
