package io.ordergw.bench.load;

import io.ordergw.bench.fixture.SamplePayloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WsFramesTest
{
    @Test
    void shouldSpliceTheSequenceAndOrderIdIntoTheTemplate()
    {
        final String payload = SamplePayloads.newOrder(0);
        final WsFrames.Template template = new WsFrames.Template("SendExchangeOrderStateEvent",
            payload.substring(0, payload.length() - 2));
        final byte[] out = new byte[4096];
        final int end = template.write(out, 3, 1234, 9_876_543_210L);
        final String frame = new String(out, 3, end - 3, StandardCharsets.UTF_8);

        assertEquals(template.length(1234, 9_876_543_210L), end - 3);
        assertEquals("{\"m\":0,\"i\":1234,\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"" +
            WsFrames.escape(SamplePayloads.newOrder(9_876_543_210L)) + "\"}", frame);
    }

    @Test
    void shouldReadTheSequenceAndResultOfAReply()
    {
        final byte[] ok = ("{\"m\":1,\"i\":42,\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"{\\\"result\\\":true," +
            "\\\"errormsg\\\":null,\\\"errorcode\\\":0,\\\"detail\\\":null,\\\"SeqNum\\\":7}\"}")
            .getBytes(StandardCharsets.UTF_8);
        final byte[] refused = ("{\"m\":1,\"i\":43,\"n\":\"SendExchangeOrderStateEvent\",\"o\":\"" +
            "{\\\"result\\\":false," +
            "\\\"errormsg\\\":\\\"Server Error\\\",\\\"errorcode\\\":102,\\\"detail\\\":\\\"i: 1\\\"}\"}")
            .getBytes(StandardCharsets.UTF_8);

        assertEquals(42, WsFrames.sequence(ok, 0, ok.length));
        assertEquals(1, WsFrames.messageType(ok, 0, ok.length));
        assertTrue(WsFrames.isSuccess(ok, 0, ok.length));
        assertEquals(43, WsFrames.sequence(refused, 0, refused.length));
        assertFalse(WsFrames.isSuccess(refused, 0, refused.length));
    }

    @Test
    void shouldReadOnlyWithinTheGivenRange()
    {
        final byte[] text = "xx{\"m\":5,\"i\":-3}yy{\"m\":1,\"i\":99}".getBytes(StandardCharsets.UTF_8);
        assertEquals(-3, WsFrames.sequence(text, 2, 15));
        assertEquals(5, WsFrames.messageType(text, 2, 15));
        assertEquals(99, WsFrames.sequence(text, 19, text.length - 19));
        assertEquals(Long.MIN_VALUE, WsFrames.sequence(text, 0, 2));
    }

    @Test
    void shouldWriteDigits()
    {
        final byte[] out = new byte[32];
        for (final long value : new long[]{0, 7, 10, 99, 100, 123_456_789, Long.MAX_VALUE})
        {
            final int end = WsFrames.putLong(out, 1, value);
            assertEquals(Long.toString(value), new String(out, 1, end - 1, StandardCharsets.US_ASCII));
            assertEquals(Long.toString(value).length(), WsFrames.digits(value));
        }
    }

    @Test
    void shouldComputeTheWebSocketAcceptKeyOfTheRfcExample()
    {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsConnection.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
