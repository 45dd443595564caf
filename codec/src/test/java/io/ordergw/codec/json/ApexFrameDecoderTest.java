package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.ordergw.codec.json.Payload.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApexFrameDecoder} reads the APEX WebSocket frame of api.md section 2 as real clients send it: {@code o} as a
 * JSON string or an object, any integer {@code i}, {@code m} 0, 2 or 4, keys in any order; and refuses, with 100,
 * what cannot be read as a frame, staying usable for the next frame.
 */
class ApexFrameDecoderTest
{
    private static final int MAX_FRAME = 4096;
    private static final String SUBSCRIBE_PAYLOAD = "{\"AccountId\":7,\"OMSId\":1}";
    private static final String VALID = "{\"m\":0,\"i\":2,\"n\":\"SubscribeAccountEvents\",\"o\":" +
        str(SUBSCRIBE_PAYLOAD) + "}";

    private final ApexFrameDecoder decoder = new ApexFrameDecoder(MAX_FRAME);

    @Test
    void shouldReadTheStandardFrame()
    {
        assertDecodes(VALID);

        assertEquals(ApexFrameDecoder.REQUEST, decoder.messageType());
        assertEquals(2, decoder.sequence());
        assertTrue(decoder.hasSequence());
        assertTrue(decoder.functionIs("SubscribeAccountEvents"));
        assertTrue(decoder.functionIs("subscribeaccountevents"));
        assertFalse(decoder.functionIs("SubscribeAccountEvent"));
        assertFalse(decoder.functionIs("UnSubscribeAccountEvents"));
        assertEquals("SubscribeAccountEvents",
            new String(decoder.functionName(), 0, decoder.functionNameLength(), StandardCharsets.UTF_8));
        assertEquals(SUBSCRIBE_PAYLOAD, payload());
    }

    @Test
    void shouldUnescapeAStringPayloadToItsExactBytes()
    {
        final String payload = "{\"UserName\":\"q\\\"u\\\\o\\/te\",\"Text\":\"é€😀 \\u00e9\\ud83d\\ude00\\n\"}";
        assertDecodes("{\"m\":0,\"i\":1,\"n\":\"WebAuthenticateUser\",\"o\":" + str(payload) + "}");
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), payloadBytes());

        final String escaped = "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{\\\"s\\\":\\\"\\u00e9\\ud83d\\ude00\\\"}\"}";
        assertDecodes(escaped);
        assertEquals("{\"s\":\"é😀\"}", payload());
    }

    @Test
    void shouldReadALargeStringPayloadExactly()
    {
        final StringBuilder sb = new StringBuilder("{\"Text\":\"");
        while (sb.length() < 3000)
        {
            sb.append("a\\\"b\\\\c😀é ");
        }
        final String payload = sb.append("\"}").toString();
        assertDecodes("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":" + str(payload) + "}");
        assertEquals(payload, payload());

        assertDecodes("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{\\\"a\\\":1}\"}");
        assertEquals("{\"a\":1}", payload());
    }

    static List<String> objectPayloads()
    {
        return Arrays.asList(
            "{}",
            "{ }",
            SUBSCRIBE_PAYLOAD,
            "{\"a\":{\"b\":[1,{\"c\":{}}]},\"s\":\"}{][\\\"}\"}",
            "{\n  \"AccountId\" : 7 ,\n  \"OMSId\" : 1\n}",
            "{\"Text\":\"é€😀\"}");
    }

    @ParameterizedTest
    @MethodSource("objectPayloads")
    void shouldReadAnObjectPayloadAsTheExactSliceOfTheFrame(final String object)
    {
        final String[] frames = {
            "{\"m\":0,\"i\":3,\"n\":\"GetOpenOrders\",\"o\":" + object + "}",
            "{\"o\":" + object + ",\"n\":\"GetOpenOrders\",\"m\":0,\"i\":3}",
            "{ \"m\" : 0 , \"i\" : 3 , \"n\" : \"GetOpenOrders\" , \"o\" :  \n " + object + " \n }",
            "{\"n\":\"GetOpenOrders\",\"o\":" + object + ",\"x\":{\"y\":1},\"i\":3}",
        };
        for (final String frame : frames)
        {
            for (final int offset : new int[]{0, 1, 17})
            {
                final byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
                final byte[] framed = new byte[bytes.length + offset + 9];
                Arrays.fill(framed, (byte)'#');
                System.arraycopy(bytes, 0, framed, offset, bytes.length);

                assertTrue(decoder.decode(framed, offset, bytes.length), () -> frame + " -> " + decoder.detail());
                assertEquals(object, payload(), frame + " at offset " + offset);
                assertEquals(3, decoder.sequence(), frame);
                assertTrue(decoder.functionIs("GetOpenOrders"), frame);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"m\":0,\"i\":1,\"n\":\"Ping\"}",
        "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"\"}",
        "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":null}",
        "{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}",
        "{\"n\":\"Ping\"}"})
    void shouldTakeAMissingEmptyOrNullPayloadAsAnEmptyObject(final String frame)
    {
        assertDecodes("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{\\\"Long\\\":\\\"payload before\\\"}\"}");
        assertDecodes(frame);
        assertEquals("{}", payload());
        assertTrue(decoder.functionIs("Ping"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2                      | 2",
        "'\"2\"'                | 2",
        "0                      | 0",
        "'\"0\"'                | 0",
        "-5                     | -5",
        "'\"-5\"'               | -5",
        "1                      | 1",
        "4                      | 4",
        "2147483648             | 2147483648",
        "9223372036854775807    | 9223372036854775807",
        "'\"9223372036854775807\"' | 9223372036854775807",
        "-9223372036854775808   | -9223372036854775808",
        "'\"-9223372036854775807\"' | -9223372036854775807",
    })
    void shouldEchoAnyIntegerSequence(final String raw, final long expected)
    {
        assertDecodes("{\"m\":0,\"i\":" + raw + ",\"n\":\"Ping\",\"o\":\"{}\"}");
        assertEquals(expected, decoder.sequence());
        assertTrue(decoder.hasSequence());
    }

    @Test
    void shouldAcceptAFrameWithoutSequence()
    {
        assertDecodes("{\"m\":0,\"n\":\"Ping\",\"o\":\"{}\"}");
        assertEquals(0, decoder.sequence());
        assertFalse(decoder.hasSequence());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0 | 0", "2 | 2", "4 | 4", "1 | 1", "3 | 3", "5 | 5", "'\"2\"' | 2"})
    void shouldReadTheMessageType(final String raw, final int expected)
    {
        assertDecodes("{\"m\":" + raw + ",\"i\":9,\"n\":\"SubscribeAccountEvents\",\"o\":\"{}\"}");
        assertEquals(expected, decoder.messageType());
    }

    @Test
    void shouldTakeAMissingMessageTypeAsARequest()
    {
        assertDecodes("{\"m\":2,\"i\":9,\"n\":\"Ping\"}");
        assertDecodes("{\"i\":9,\"n\":\"Ping\"}");
        assertEquals(ApexFrameDecoder.REQUEST, decoder.messageType());
    }

    @Test
    void shouldReadKeysInAnyOrderAndIgnoreUnknownOnes()
    {
        final String[] frames = {
            "{\"o\":" + str(SUBSCRIBE_PAYLOAD) + ",\"n\":\"SubscribeAccountEvents\",\"i\":2,\"m\":2}",
            "{\"i\":2,\"o\":" + str(SUBSCRIBE_PAYLOAD) + ",\"m\":2,\"n\":\"SubscribeAccountEvents\"}",
            "{\"x\":[1,{\"n\":\"Other\"}],\"m\":2,\"o\":" + str(SUBSCRIBE_PAYLOAD) + ",\"i\":2,\"y\":null," +
                "\"n\":\"SubscribeAccountEvents\",\"z\":\"o\"}",
        };
        for (final String frame : frames)
        {
            assertDecodes(frame);
            assertEquals(2, decoder.messageType(), frame);
            assertEquals(2, decoder.sequence(), frame);
            assertTrue(decoder.functionIs("SubscribeAccountEvents"), frame);
            assertEquals(SUBSCRIBE_PAYLOAD, payload(), frame);
        }
    }

    @Test
    void shouldReadEachFrameOnItsOwn()
    {
        assertDecodes("{\"m\":2,\"i\":5,\"n\":\"SubscribeAccountEvents\",\"o\":" + str(SUBSCRIBE_PAYLOAD) + "}");
        assertDecodes("{\"n\":\"Ping\"}");
        assertEquals(0, decoder.messageType());
        assertEquals(0, decoder.sequence());
        assertFalse(decoder.hasSequence());
        assertEquals("{}", payload());
        assertTrue(decoder.functionIs("Ping"));
    }

    /** A frame that cannot be read, and text its detail must contain. */
    record Unreadable(String name, String frame, String detail)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Unreadable> unreadableFrames()
    {
        final List<Unreadable> cases = new ArrayList<>();
        cases.add(new Unreadable("no n", "{\"m\":0,\"i\":1,\"o\":\"{}\"}", "n: required"));
        cases.add(new Unreadable("n empty", "{\"m\":0,\"i\":1,\"n\":\"\",\"o\":\"{}\"}", "n: required"));
        cases.add(new Unreadable("n null", "{\"m\":0,\"i\":1,\"n\":null}", "n: expected a string, got null"));
        cases.add(new Unreadable("n a number", "{\"m\":0,\"i\":1,\"n\":5}", "n: expected a string, got a number"));
        cases.add(new Unreadable("n an object", "{\"m\":0,\"i\":1,\"n\":{\"a\":1}}",
            "n: expected a string, got an object"));
        cases.add(new Unreadable("n longer than 64 bytes", "{\"n\":" + str("P".repeat(65)) + "}",
            "n: longer than 64 bytes"));
        cases.add(new Unreadable("n twice", "{\"n\":\"Ping\",\"i\":1,\"n\":\"Ping\"}", "n: given twice"));
        cases.add(new Unreadable("o twice", "{\"n\":\"Ping\",\"o\":\"{}\",\"o\":{}}", "o: given twice"));
        cases.add(new Unreadable("i twice", "{\"n\":\"Ping\",\"i\":1,\"i\":1}", "i: given twice"));
        cases.add(new Unreadable("o a number", "{\"n\":\"Ping\",\"o\":5}",
            "o: expected a JSON string or object, got a number"));
        cases.add(new Unreadable("o an array", "{\"n\":\"Ping\",\"o\":[{}]}",
            "o: expected a JSON string or object, got an array"));
        cases.add(new Unreadable("o true", "{\"n\":\"Ping\",\"o\":true}",
            "o: expected a JSON string or object, got a boolean"));
        cases.add(new Unreadable("o longer than the largest frame",
            "{\"n\":\"Ping\",\"o\":" + str("{" + " ".repeat(MAX_FRAME) + "}") + "}",
            "o: longer than 4096 bytes"));
        cases.add(new Unreadable("i with a fraction", "{\"n\":\"Ping\",\"i\":1.5}", "i: 1.5 is not a whole number"));
        cases.add(new Unreadable("i text", "{\"n\":\"Ping\",\"i\":\"abc\"}", "i: \"abc\" is not a whole number"));
        cases.add(new Unreadable("i true", "{\"n\":\"Ping\",\"i\":true}", "i: expected a whole number, got a boolean"));
        cases.add(new Unreadable("i beyond a long", "{\"n\":\"Ping\",\"i\":9223372036854775808}",
            "i: 9223372036854775808 is out of range"));
        cases.add(new Unreadable("i far beyond a long", "{\"n\":\"Ping\",\"i\":99999999999999999999}",
            "i: 99999999999999999999 is out of range"));
        cases.add(new Unreadable("i beyond a long as a string", "{\"n\":\"Ping\",\"i\":\"9999999999999999999\"}",
            "i: \"9999999999999999999\" is out of range"));
        cases.add(new Unreadable("i beyond a long as a negative string",
            "{\"n\":\"Ping\",\"i\":\"-9999999999999999999\"}",
            "i: \"-9999999999999999999\" is out of range"));
        cases.add(new Unreadable("i 21 digits as a string", "{\"n\":\"Ping\",\"i\":\"999999999999999999999\"}", "i: "));
        cases.add(new Unreadable("m 256", "{\"n\":\"Ping\",\"m\":256}", "m: 256 is out of range"));
        cases.add(new Unreadable("m -1", "{\"n\":\"Ping\",\"m\":-1}", "m: -1 must be >= 0"));
        cases.add(new Unreadable("empty", "", "payload: empty"));
        cases.add(new Unreadable("whitespace", " \r\n", "payload: empty"));
        cases.add(new Unreadable("not JSON", "hello", "payload: invalid JSON"));
        cases.add(new Unreadable("a bare string", "\"Ping\"", "payload: expected a JSON object"));
        cases.add(new Unreadable("an array", "[" + VALID + "]", "payload: expected a JSON object"));
        cases.add(new Unreadable("a number", "42", "payload: expected a JSON object"));
        cases.add(new Unreadable("unclosed", "{\"m\":0,\"i\":1,\"n\":\"Ping\"", "payload: truncated JSON"));
        cases.add(new Unreadable("trailing garbage", VALID + " x", "payload:"));
        cases.add(new Unreadable("a trailing number", VALID + " 1",
            "payload: unexpected content after the JSON object"));
        cases.add(new Unreadable("a trailing unterminated string", VALID + "\"",
            "payload: unexpected content after the JSON object"));
        cases.add(new Unreadable("two frames", VALID + VALID, "payload:"));
        cases.add(new Unreadable("a duplicate key, then a newline", "{\"n\":\"Ping\",\"n\":\"Ping\"}\n",
            "n: given twice"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableFrames")
    void shouldRefuseAFrameItCannotReadAndStayUsable(final Unreadable unreadable)
    {
        assertFalse(decode(unreadable.frame()), unreadable.frame());
        assertEquals(ApexError.INVALID_REQUEST, decoder.errorCode());
        assertTrue(decoder.detail().toString().contains(unreadable.detail()),
            () -> "detail \"" + decoder.detail() + "\" lacks \"" + unreadable.detail() + "\"");

        assertDecodes(VALID);
        assertEquals(SUBSCRIBE_PAYLOAD, payload());
        assertEquals(2, decoder.sequence());
        assertTrue(decoder.functionIs("SubscribeAccountEvents"));
    }

    @Test
    void shouldRefuseEveryTruncationOfAFrameAndStayUsable()
    {
        for (final String frame : new String[]{VALID, "{\"n\":\"Ping\",\"o\":" + SUBSCRIBE_PAYLOAD + ",\"i\":4}"})
        {
            for (int length = 1; length < frame.length(); length++)
            {
                final String truncated = frame.substring(0, length);
                assertFalse(decode(truncated), truncated);
                assertEquals(ApexError.INVALID_REQUEST, decoder.errorCode(), truncated);
                assertDecodes(frame);
            }
        }
        assertDecodes(VALID);
        assertEquals(SUBSCRIBE_PAYLOAD, payload());
    }

    @Test
    void shouldEchoTheSequenceOfAFrameItCannotReadWhenTheSequenceIsReadable()
    {
        assertFalse(decode("{\"m\":0,\"i\":7,\"o\":\"{}\"}"));
        assertEquals(7, decoder.sequence());
        assertTrue(decoder.hasSequence());

        assertFalse(decode("{\"i\":8,\"n\":null}"));
        assertEquals(8, decoder.sequence());

        assertFalse(decode("{\"n\":null,\"i\":9}"));
        assertEquals(9, decoder.sequence(), "i after the broken n is still readable");
        assertTrue(decoder.hasSequence());

        assertFalse(decode("{\"o\":5,\"n\":\"Ping\",\"i\":10}"));
        assertEquals(10, decoder.sequence());

        assertFalse(decode("{\"i\":\"x\",\"n\":\"Ping\"}"));
        assertEquals(0, decoder.sequence());
        assertFalse(decoder.hasSequence());

        assertFalse(decode("not json"));
        assertEquals(0, decoder.sequence());
        assertFalse(decoder.hasSequence());
    }

    @Test
    void shouldAnswerAReadableFrameWhoseMOrOBreaksARuleWithAReply()
    {
        // api.md section 2: a request with a readable i and n gets an m=1 reply; m=5 is for frames that cannot be read.
        for (final String frame : new String[]{
            "{\"m\":0,\"i\":3,\"n\":\"Ping\",\"o\":5}",
            "{\"o\":[1],\"n\":\"Ping\",\"i\":4}",
            "{\"m\":256,\"i\":5,\"n\":\"Ping\"}",
            "{\"i\":6,\"n\":\"Ping\",\"o\":true}",
            "{\"i\":7,\"n\":\"Ping\",\"o\":5,\"n\":\"Ping\"}"})
        {
            assertFalse(decode(frame), frame);
            assertTrue(decoder.answerAsReply(), frame);
            assertEquals(ApexError.INVALID_REQUEST, decoder.errorCode(), frame);
        }
        for (final String frame : new String[]{
            "{\"n\":\"Ping\",\"o\":5}",
            "{\"i\":8,\"o\":5}",
            "{\"i\":9,\"n\":\"Ping\",\"n\":\"Ping\",\"o\":5}",
            "{\"i\":10,\"n\":\"Ping\",\"o\":5",
            "{\"i\":\"x\",\"n\":\"Ping\",\"o\":5}",
            "{\"i\":11,\"n\":5}",
            "hello"})
        {
            assertFalse(decode(frame), frame);
            assertFalse(decoder.answerAsReply(), frame);
        }
        assertDecodes(VALID);
        assertFalse(decoder.answerAsReply());
    }

    private boolean decode(final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length);
    }

    private void assertDecodes(final String frame)
    {
        assertTrue(decode(frame), () -> "refused (" + decoder.errorCode() + " " + decoder.detail() + "): " + frame);
    }

    private byte[] payloadBytes()
    {
        return Arrays.copyOfRange(decoder.payloadBuffer(), decoder.payloadOffset(),
            decoder.payloadOffset() + decoder.payloadLength());
    }

    private String payload()
    {
        return new String(payloadBytes(), StandardCharsets.UTF_8);
    }
}
