package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes APEX frames {@code {"m":1,"i":2,"n":"Ping","o":"{...}"}} and the standard response, with the payload
 * escaped into the {@code o} string in the same pass (see {@link JsonWriter#beginEmbeddedDocument()}), and event
 * frames around a payload escaped once and framed for many subscribers ({@link #putEventFrame}).
 */
public final class ApexFrameEncoder
{
    private ApexFrameEncoder()
    {
    }

    /**
     * Open a frame up to the start of the payload document inside {@code o}.
     *
     * @param out          the writer, wrapped at the frame's start.
     * @param messageType  m.
     * @param sequence     i.
     * @param functionName n as ASCII/UTF-8 bytes.
     * @param nameLength   bytes of n.
     * @return the writer, positioned to write the payload document.
     */
    public static JsonWriter beginFrame(
        final JsonWriter out,
        final int messageType,
        final long sequence,
        final byte[] functionName,
        final int nameLength)
    {
        out.beginObject();
        out.key("m").value(messageType);
        out.key("i").value(sequence);
        out.key("n").utf8Value(functionName, 0, nameLength);
        out.key("o").beginEmbeddedDocument();
        return out;
    }

    /**
     * Open a frame whose function name is a constant.
     *
     * @param out          the writer, wrapped at the frame's start.
     * @param messageType  m.
     * @param sequence     i.
     * @param functionName n.
     * @return the writer, positioned to write the payload document.
     */
    public static JsonWriter beginFrame(
        final JsonWriter out, final int messageType, final long sequence, final String functionName)
    {
        out.beginObject();
        out.key("m").value(messageType);
        out.key("i").value(sequence);
        out.key("n").value(functionName);
        out.key("o").beginEmbeddedDocument();
        return out;
    }

    /**
     * Close the payload string and the frame.
     *
     * @param out the writer.
     * @return the writer.
     */
    public static JsonWriter endFrame(final JsonWriter out)
    {
        out.endEmbeddedDocument();
        out.endObject();
        return out;
    }

    /**
     * Open the standard response {@code {"result":..,"errormsg":..,"errorcode":..,"detail":..}} and leave it open
     * for extra keys (such as SeqNum); close it with {@link JsonWriter#endObject()}.
     *
     * @param out       the writer.
     * @param errorCode 0 for success.
     * @param detail    the explanation, or null.
     * @return the writer.
     */
    public static JsonWriter beginStandardResponse(final JsonWriter out, final int errorCode, final CharSequence detail)
    {
        out.beginObject();
        out.key("result").value(errorCode == ApexError.NONE);
        out.key("errormsg").value(ApexError.message(errorCode));
        out.key("errorcode").value(errorCode);
        out.key("detail");
        if (detail == null || detail.length() == 0)
        {
            out.nullValue();
        }
        else
        {
            out.value(detail);
        }
        return out;
    }

    /**
     * Write an event frame (m=3) around a payload already escaped as a JSON string, its quotes included, as a
     * {@link JsonWriter} leaves it between {@link JsonWriter#beginEmbeddedDocument()} and
     * {@link JsonWriter#endEmbeddedDocument()}: the payload is escaped once per event and copied into the frame of
     * each subscription, which differ only in {@code i}.
     * <pre>
     *   {"m":3,"i":&lt;sequence&gt;,"n":"&lt;functionName&gt;","o":&lt;escapedPayload&gt;}
     * </pre>
     *
     * @param frame          where the frame goes (it must have room: the payload and 64 bytes more).
     * @param offset         where in frame.
     * @param sequence       i: the Subscribe request's sequence number.
     * @param functionName   n, ASCII without characters that need escaping.
     * @param escapedPayload holding the escaped payload.
     * @param payloadOffset  where in escapedPayload.
     * @param payloadLength  its length, quotes included.
     * @return the frame's length.
     */
    public static int putEventFrame(
        final MutableDirectBuffer frame,
        final int offset,
        final long sequence,
        final byte[] functionName,
        final DirectBuffer escapedPayload,
        final int payloadOffset,
        final int payloadLength)
    {
        int pos = offset;
        pos += frame.putStringWithoutLengthAscii(pos, "{\"m\":3,\"i\":");
        pos += frame.putLongAscii(pos, sequence);
        pos += frame.putStringWithoutLengthAscii(pos, ",\"n\":\"");
        frame.putBytes(pos, functionName);
        pos += functionName.length;
        pos += frame.putStringWithoutLengthAscii(pos, "\",\"o\":");
        frame.putBytes(pos, escapedPayload, payloadOffset, payloadLength);
        pos += payloadLength;
        frame.putByte(pos++, (byte)'}');
        return pos - offset;
    }
}
