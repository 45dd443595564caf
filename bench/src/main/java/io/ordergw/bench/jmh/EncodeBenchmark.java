package io.ordergw.bench.jmh;

import io.ordergw.bench.fixture.SampleEvents;
import io.ordergw.codec.json.ApexFrameEncoder;
import io.ordergw.codec.json.JsonWriter;
import io.ordergw.codec.json.OrderJsonEncoder;
import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Encoding one OrderStateEvent as the APEX order object (docs/api.md section 6, 45 keys): {@link #orderObject} is the
 * payload alone; {@link #eventFrame} is the whole m=3 frame a subscriber receives, the payload written escaped
 * inside the frame's {@code o} string in the same pass.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeBenchmark
{
    private static final String EVENT_NAME = "OrderStateEvent";

    private UnsafeBuffer event;
    private final OrderStateEventDecoder decoder = new OrderStateEventDecoder();
    private final OrderJsonEncoder encoder = new OrderJsonEncoder();
    private final JsonWriter writer = new JsonWriter();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);

    /** Make the event and check the output. */
    @Setup
    public void setup()
    {
        event = SampleEvents.partlyFilled();
        final int length = orderObject();
        final String json = out.getStringWithoutLengthUtf8(0, length);
        if (!json.startsWith("{\"OMSId\":1") || !json.contains("\"OrderState\":\"Working\"") || eventFrame() <= length)
        {
            throw new IllegalStateException("unexpected encoding: " + json);
        }
    }

    /**
     * The order object alone.
     *
     * @return bytes written.
     */
    @Benchmark
    public int orderObject()
    {
        writer.wrap(out, 0);
        encoder.encode(wrapEvent(), writer);
        return writer.position();
    }

    /**
     * The m=3 frame around it, as sent to a WebSocket subscriber.
     *
     * @return bytes written.
     */
    @Benchmark
    public int eventFrame()
    {
        writer.wrap(out, 0);
        ApexFrameEncoder.beginFrame(writer, 3, 7, EVENT_NAME);
        encoder.encode(wrapEvent(), writer);
        ApexFrameEncoder.endFrame(writer);
        return writer.position();
    }

    private OrderStateEventDecoder wrapEvent()
    {
        return decoder.wrap(event, MessageHeaderDecoder.ENCODED_LENGTH, OrderStateEventDecoder.BLOCK_LENGTH,
            OrderStateEventDecoder.SCHEMA_VERSION);
    }
}
