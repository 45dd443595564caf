package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApexFrameEncoder}: frames whose {@code o} is a JSON string holding the payload, and the standard response
 * with APEX's exact texts (docs/api.md sections 2 and 3); and that {@link ApexFrameDecoder} reads them back.
 */
class ApexFrameEncoderTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(32);
    private final JsonWriter out = new JsonWriter();

    @Test
    void shouldWriteAReplyFrameWithTheStandardErrorResponseInsideO()
    {
        final String detail = "side: 7 is not Buy(0), Sell(1) or Short(2) \"quoted\" \\ 😀";
        ApexFrameEncoder.beginFrame(out.wrap(buffer, 0), ApexFrameDecoder.REPLY, 17, "SendExchangeOrderStateEvent");
        ApexFrameEncoder.beginStandardResponse(out, ApexError.INVALID_REQUEST, detail).endObject();
        ApexFrameEncoder.endFrame(out);

        final Map<String, Object> frame = JsonTree.parseObject(text());
        assertEquals("1", frame.get("m").toString());
        assertEquals("17", frame.get("i").toString());
        assertEquals("SendExchangeOrderStateEvent", frame.get("n"));
        assertTrue(frame.get("o") instanceof String, "o is a JSON string");

        final Map<String, Object> response = JsonTree.parseObject((String)frame.get("o"));
        assertEquals(Boolean.FALSE, response.get("result"));
        assertEquals("Invalid Response", response.get("errormsg"));
        assertEquals("100", response.get("errorcode").toString());
        assertEquals(detail, response.get("detail"));
    }

    @Test
    void shouldWriteSuccessWithNullsAndRoomForExtraKeys()
    {
        final byte[] name = "SendExchangeOrderStateEvent".getBytes(StandardCharsets.US_ASCII);
        ApexFrameEncoder.beginFrame(out.wrap(buffer, 0), ApexFrameDecoder.REPLY, -3, name, name.length);
        ApexFrameEncoder.beginStandardResponse(out, ApexError.NONE, "").key("SeqNum").value(42).endObject();
        ApexFrameEncoder.endFrame(out);

        final Map<String, Object> frame = JsonTree.parseObject(text());
        assertEquals("-3", frame.get("i").toString());
        final Map<String, Object> response = JsonTree.parseObject((String)frame.get("o"));
        assertEquals("{result=true, errormsg=null, errorcode=0, detail=null, SeqNum=42}", response.toString());
    }

    @Test
    void anEventFrameAroundAnEscapedPayloadIsAnApexFrameWhosePayloadIsTheDocumentWritten()
    {
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        out.wrap(payload, 0).beginEmbeddedDocument();
        out.beginObject().key("OrderId").value(7).key("Note").value("a \"quoted\" \\ text, 😀").endObject();
        out.endEmbeddedDocument();
        final int payloadLength = out.position();
        final byte[] name = "OrderStateEvent".getBytes(StandardCharsets.US_ASCII);

        final int length = ApexFrameEncoder.putEventFrame(buffer, 5, -12, name, payload, 0, payloadLength);

        final byte[] frame = new byte[length];
        buffer.getBytes(5, frame);
        final ApexFrameDecoder decoder = new ApexFrameDecoder(4096);
        assertTrue(decoder.decode(frame, 0, length), new String(frame, StandardCharsets.UTF_8));
        assertEquals(ApexFrameDecoder.EVENT, decoder.messageType());
        assertEquals(-12, decoder.sequence());
        assertTrue(decoder.functionIs("OrderStateEvent"));
        assertEquals("{\"OrderId\":7,\"Note\":\"a \\\"quoted\\\" \\\\ text, 😀\"}",
            new String(decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength(),
                StandardCharsets.UTF_8));
        final Map<String, Object> order = JsonTree.parseObject((String)JsonTree.parseObject(
            new String(frame, StandardCharsets.UTF_8)).get("o"));
        assertEquals("a \"quoted\" \\ text, 😀", order.get("Note"));
    }

    @Test
    void shouldUseApexTextsForEveryErrorCode()
    {
        assertNull(ApexError.message(ApexError.NONE));
        assertEquals("Not Authorized", ApexError.message(ApexError.NOT_AUTHORIZED));
        assertEquals("Invalid Response", ApexError.message(ApexError.INVALID_REQUEST));
        assertEquals("Operation Failed", ApexError.message(ApexError.OPERATION_FAILED));
        assertEquals("Server Error", ApexError.message(ApexError.SERVER_ERROR));
        assertEquals("Resource Not Found", ApexError.message(ApexError.NOT_FOUND));
        assertEquals("Operation Not Supported", ApexError.message(ApexError.NOT_SUPPORTED));
    }

    @Test
    void shouldBeReadBackByTheFrameDecoder()
    {
        ApexFrameEncoder.beginFrame(out.wrap(buffer, 0), ApexFrameDecoder.EVENT, 9, "OrderStateEvent");
        out.beginObject().key("Text").value("a \"b\" \\ 😀").endObject();
        ApexFrameEncoder.endFrame(out);

        final ApexFrameDecoder decoder = new ApexFrameDecoder(4096);
        final byte[] frame = new byte[out.position()];
        buffer.getBytes(0, frame);

        assertTrue(decoder.decode(frame, 0, frame.length), () -> decoder.detail().toString());
        assertEquals(ApexFrameDecoder.EVENT, decoder.messageType());
        assertEquals(9, decoder.sequence());
        assertTrue(decoder.functionIs("OrderStateEvent"));
        assertEquals("{\"Text\":\"a \\\"b\\\" \\\\ 😀\"}",
            new String(decoder.payloadBuffer(), decoder.payloadOffset(), decoder.payloadLength(),
                StandardCharsets.UTF_8));
    }

    private String text()
    {
        return buffer.getStringWithoutLengthUtf8(0, out.position());
    }
}
