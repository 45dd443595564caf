package io.ordergw.codec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.ApexFrameDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link ApexFrameDecoder}, the first code every byte from a client reaches. Any input
 * gives a frame or a clean refusal (100 with a detail): nothing thrown, nothing hanging (the {@link Timeout} is per
 * input, and Jazzer hands it to libFuzzer as {@code -timeout} when fuzzing). An accepted frame says exactly what a
 * strict JSON parser reads in it (see {@link StrictJson}); a long-lived decoder answers exactly as a fresh one and
 * still reads a valid frame afterwards (no state leaks from one message into the next). The payload of an accepted
 * frame is then fed to the SendExchangeOrderStateEvent decoder, as the gateway does, with {@link CommandOracle}'s
 * checks.
 * <p>
 * Under plain JUnit (CI) this replays the regression corpus in
 * {@code src/test/resources/io/ordergw/codec/fuzz/ApexFrameDecoderFuzzTestInputs/frame}; with {@code JAZZER_FUZZ=1}
 * it fuzzes (docs/reliability.md has the command).
 */
class ApexFrameDecoderFuzzTest
{
    /** Small, so that the fuzzer reaches the size limits; the gateway's default is 64 KiB. */
    static final int MAX_FRAME_BYTES = 2048;

    private static final byte[] CANONICAL = ("{\"m\":0,\"i\":2,\"n\":\"SubscribeAccountEvents\"," +
        "\"o\":\"{\\\"AccountId\\\":7,\\\"OMSId\\\":1}\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] CANONICAL_PAYLOAD = "{\"AccountId\":7,\"OMSId\":1}".getBytes(StandardCharsets.UTF_8);

    /** Lives across inputs, like the gateway's decoder on one I/O thread. */
    private static final ApexFrameDecoder SHARED = new ApexFrameDecoder(MAX_FRAME_BYTES);
    private static final CommandOracle COMMANDS = new CommandOracle();

    @BeforeAll
    static void configureJazzer()
    {
        FuzzMode.configure();
    }

    @FuzzTest
    @Timeout(10)
    void frame(final byte[] input)
    {
        check(input);
    }

    /**
     * The properties every input must have.
     *
     * @param input the frame's bytes.
     */
    static void check(final byte[] input)
    {
        // Placed inside a larger array, so that a decoder reading past its range would show.
        final byte[] framed = new byte[input.length + 6];
        Arrays.fill(framed, (byte)'}');
        System.arraycopy(input, 0, framed, 3, input.length);

        final ApexFrameDecoder fresh = new ApexFrameDecoder(MAX_FRAME_BYTES);
        final boolean accepted = fresh.decode(framed, 3, input.length);
        final String outcome = describe(fresh, accepted);
        assertEquals(outcome, describe(SHARED, SHARED.decode(framed, 3, input.length)),
            "a long-lived decoder answers differently from a fresh one");

        if (accepted)
        {
            checkAccepted(input, fresh);
            COMMANDS.check(fresh.payloadBuffer(), fresh.payloadOffset(), fresh.payloadLength());
        }
        else
        {
            assertEquals(ApexError.INVALID_REQUEST, fresh.errorCode(), "refusal code");
            assertTrue(fresh.detail().length() > 0, "refusal without a detail");
            assertTrue(fresh.detail().length() <= 512, "refusal detail of " + fresh.detail().length() + " chars");
        }

        assertTrue(SHARED.decode(CANONICAL, 0, CANONICAL.length), () -> "valid frame refused after the input: " +
            SHARED.detail());
        assertTrue(SHARED.functionIs("SubscribeAccountEvents"));
        assertEquals(2, SHARED.sequence());
        assertArrayEquals(CANONICAL_PAYLOAD, Arrays.copyOfRange(SHARED.payloadBuffer(), SHARED.payloadOffset(),
            SHARED.payloadOffset() + SHARED.payloadLength()));
    }

    private static void checkAccepted(final byte[] input, final ApexFrameDecoder decoder)
    {
        final StrictJson.Value root = StrictJson.parse(input, 0, input.length);
        assertNotNull(root, "accepted a frame that is not strict JSON");
        assertTrue(root.isObject(), "accepted a frame that is not an object");

        final StrictJson.Value n = root.member("n");
        assertNotNull(n, "accepted a frame without n");
        assertTrue(n.isString(), "accepted n that is no string: " + n);
        final byte[] name = n.text.getBytes(StandardCharsets.UTF_8);
        assertTrue(name.length > 0 && name.length <= ApexFrameDecoder.MAX_FUNCTION_NAME_BYTES, "n of " + name.length);
        assertArrayEquals(name, Arrays.copyOf(decoder.functionName(), decoder.functionNameLength()), "n");

        final StrictJson.Value i = root.member("i");
        assertEquals(i != null, decoder.hasSequence(), "i present but not read, or read but absent");
        if (i != null)
        {
            assertEquals(new BigDecimal(i.text).longValueExact(), decoder.sequence(), "i");
        }
        final StrictJson.Value m = root.member("m");
        if (m != null)
        {
            final long type = new BigDecimal(m.text).longValueExact();
            assertTrue(type >= 0 && type <= 255, "m out of range accepted");
            assertEquals(type, decoder.messageType(), "m");
        }

        final byte[] payload = Arrays.copyOfRange(decoder.payloadBuffer(), decoder.payloadOffset(),
            decoder.payloadOffset() + decoder.payloadLength());
        final StrictJson.Value o = root.member("o");
        if (o == null || o.isNull() || (o.isString() && o.text.isEmpty()))
        {
            assertEquals("{}", new String(payload, StandardCharsets.UTF_8), "an absent o is {}");
        }
        else if (o.isString())
        {
            assertArrayEquals(o.text.getBytes(StandardCharsets.UTF_8), payload, "o unescaped");
        }
        else
        {
            assertTrue(o.isObject(), "accepted o that is neither string nor object: " + o);
            // The payload is the object's exact slice of the frame: it parses to the same tree.
            assertEquals(o, StrictJson.parse(payload, 0, payload.length), "o as an object: the slice");
        }
    }

    private static String describe(final ApexFrameDecoder decoder, final boolean accepted)
    {
        if (!accepted)
        {
            return "refused " + decoder.errorCode() + " " + decoder.detail() + " i=" + decoder.sequence();
        }
        return "accepted m=" + decoder.messageType() + " i=" + decoder.sequence() + "/" + decoder.hasSequence() +
            " n=" + new String(decoder.functionName(), 0, decoder.functionNameLength(), StandardCharsets.UTF_8) +
            " o=" + new String(decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength(),
            StandardCharsets.UTF_8);
    }

    /**
     * The canonical frame is accepted (a sanity check of the oracle itself, run with the corpus).
     */
    @org.junit.jupiter.api.Test
    @Timeout(10)
    void oracleAcceptsTheCanonicalFrame()
    {
        check(CANONICAL);
        assertFalse(new ApexFrameDecoder(MAX_FRAME_BYTES).decode(new byte[0], 0, 0));
    }
}
