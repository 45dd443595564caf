package io.ordergw.codec.json;

import io.ordergw.codec.sbe.MessageHeaderDecoder;
import io.ordergw.codec.sbe.MessageHeaderEncoder;
import io.ordergw.codec.sbe.OrderStateCommandEncoder;
import io.ordergw.codec.sbe.OrderStateEventDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hot path allocates nothing per message once warm: decoding a SendExchangeOrderStateEvent payload, reading a
 * frame with a string payload, and writing the order object into a frame. Measured with the JVM's per-thread
 * allocation counter around {@value #MESSAGES} messages; a single object per message would show as
 * {@value #MESSAGES} x 16 bytes or more, far above the tolerance, which only absorbs one-off noise.
 */
class AllocationTest
{
    private static final int WARM_UP = 50_000;
    private static final int ATTEMPTS = 5;
    private static final int MESSAGES = 10_000;
    private static final long TOLERANCE_BYTES = 640;

    private static com.sun.management.ThreadMXBean threads;

    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final OrderStateCommandEncoder commandEncoder = new OrderStateCommandEncoder();

    @BeforeAll
    static void allocationCounter()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "this JVM has no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void shouldDecodeOrderStateCommandsWithoutAllocating()
    {
        final OrderStateCommandJsonDecoder decoder = new OrderStateCommandJsonDecoder(8, 1, new int[]{0, 1, 2});
        final byte[] limitSell = utf8(CommandDecoding.LIMIT_SELL.json());
        final byte[] trailingShort = utf8(CommandDecoding.TRAILING_SHORT.json());

        for (int i = 0; i < WARM_UP; i++)
        {
            decodeCommand(decoder, (i & 1) == 0 ? limitSell : trailingShort);
        }

        int decoded = 0;
        long allocated = Long.MAX_VALUE;
        // Steady state is what counts: a window disturbed by a late JIT compilation on a loaded machine is
        // measured again; an allocation per message shows in every window.
        for (int attempt = 0; attempt < ATTEMPTS && allocated >= TOLERANCE_BYTES; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            decoded = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                decoded += decodeCommand(decoder, (i & 1) == 0 ? limitSell : trailingShort) ? 1 : 0;
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(MESSAGES, decoded);
        assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes allocated by " + MESSAGES + " decodes");
    }

    @Test
    void shouldReadFramesWithAStringPayloadWithoutAllocating()
    {
        final ApexFrameDecoder decoder = new ApexFrameDecoder(64 * 1024);
        final byte[] frame = utf8("{\"m\":0,\"i\":12345,\"n\":\"SendExchangeOrderStateEvent\",\"o\":" +
            str(CommandDecoding.TRAILING_SHORT.json()) + "}");
        final byte[] ping = utf8("{\"m\":0,\"i\":\"7\",\"n\":\"Ping\",\"o\":\"{}\"}");

        for (int i = 0; i < WARM_UP; i++)
        {
            decoder.decode(frame, 0, frame.length);
            decoder.decode(ping, 0, ping.length);
        }

        int decoded = 0;
        long allocated = Long.MAX_VALUE;
        // Steady state is what counts: a window disturbed by a late JIT compilation on a loaded machine is
        // measured again; an allocation per message shows in every window.
        for (int attempt = 0; attempt < ATTEMPTS && allocated >= TOLERANCE_BYTES; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            decoded = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                final byte[] next = (i & 1) == 0 ? frame : ping;
                decoded += decoder.decode(next, 0, next.length) ? 1 : 0;
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(MESSAGES, decoded);
        assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes allocated by " + MESSAGES + " frame decodes");
    }

    @Test
    void shouldDecodeAFrameAndItsCommandWithoutAllocating()
    {
        final ApexFrameDecoder frames = new ApexFrameDecoder(64 * 1024);
        final OrderStateCommandJsonDecoder decoder = new OrderStateCommandJsonDecoder(8, 1, new int[0]);
        final byte[] frame = utf8("{\"m\":0,\"i\":1,\"n\":\"SendExchangeOrderStateEvent\",\"o\":" +
            str(CommandDecoding.LIMIT_SELL.json()) + "}");

        for (int i = 0; i < WARM_UP; i++)
        {
            frames.decode(frame, 0, frame.length);
            decoder.decode(frames.payloadBuffer(), frames.payloadOffset(), frames.payloadLength(),
                commandEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder));
        }

        int decoded = 0;
        long allocated = Long.MAX_VALUE;
        // Steady state is what counts: a window disturbed by a late JIT compilation on a loaded machine is
        // measured again; an allocation per message shows in every window.
        for (int attempt = 0; attempt < ATTEMPTS && allocated >= TOLERANCE_BYTES; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            decoded = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                if (frames.decode(frame, 0, frame.length) && frames.functionIs("SendExchangeOrderStateEvent") &&
                    decoder.decode(frames.payloadBuffer(), frames.payloadOffset(), frames.payloadLength(),
                    commandEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder)))
                {
                    decoded++;
                }
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(MESSAGES, decoded);
        assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes allocated by " + MESSAGES + " frames and commands");
    }

    @Test
    void shouldWriteOrderObjectsIntoFramesWithoutAllocating()
    {
        final CommandDecoding decoding = new CommandDecoding();
        final OrderStateEventFromCommand events = new OrderStateEventFromCommand();
        final ExpandableArrayBuffer eventBuffer = new ExpandableArrayBuffer(512);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderStateEventDecoder event = new OrderStateEventDecoder();
        final OrderJsonEncoder encoder = new OrderJsonEncoder();
        final JsonWriter out = new JsonWriter();
        final ExpandableArrayBuffer jsonBuffer = new ExpandableArrayBuffer(64);
        decoding.assertDecodes(CommandDecoding.TRAILING_SHORT.with("Reason", str("a \"reason\" 😀")));
        events.write(decoding.rewound(), eventBuffer, 0);

        int length = 0;
        for (int i = 0; i < WARM_UP; i++)
        {
            length = writeEventFrame(eventBuffer, header, event, encoder, out, jsonBuffer, i);
        }

        long written = 0;
        long allocated = Long.MAX_VALUE;
        // Steady state is what counts: a window disturbed by a late JIT compilation on a loaded machine is
        // measured again; an allocation per message shows in every window.
        for (int attempt = 0; attempt < ATTEMPTS && allocated >= TOLERANCE_BYTES; attempt++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            written = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                written += writeEventFrame(eventBuffer, header, event, encoder, out, jsonBuffer, i);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertTrue(written >= (long)MESSAGES * (length - 8), "every frame written");
        assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes allocated by " + MESSAGES + " order frames");
        JsonTree.parse(jsonBuffer.getStringWithoutLengthUtf8(0, out.position()));
    }

    private static int writeEventFrame(
        final ExpandableArrayBuffer eventBuffer,
        final MessageHeaderDecoder header,
        final OrderStateEventDecoder event,
        final OrderJsonEncoder encoder,
        final JsonWriter out,
        final ExpandableArrayBuffer jsonBuffer,
        final int sequence)
    {
        event.wrapAndApplyHeader(eventBuffer, 0, header);
        ApexFrameEncoder.beginFrame(out.wrap(jsonBuffer, 0), ApexFrameDecoder.EVENT, sequence, "OrderStateEvent");
        encoder.encode(event, out);
        ApexFrameEncoder.endFrame(out);
        return out.position();
    }

    private boolean decodeCommand(final OrderStateCommandJsonDecoder decoder, final byte[] payload)
    {
        return decoder.decode(payload, 0, payload.length,
            commandEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder));
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
