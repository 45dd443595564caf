package io.ordergw.codec.json;

import io.ordergw.codec.ApexError;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the APEX WebSocket frame {@code {"m":0,"i":2,"n":"Ping","o":"{}"}} (docs/api.md section 2).
 * <p>
 * Lenient where real clients differ: any integer {@code i} (a numeric string too), any {@code m}, {@code o} as a JSON
 * string (the standard) or as an object, {@code o} missing or empty meaning {@code {}}. A frame that fails gets an
 * answer with {@link #errorCode()} and {@link #detail()}: an m=1 reply when {@link #answerAsReply()} (the frame was
 * JSON and its {@code i} and {@code n} could be read, so the client is waiting for that reply, docs/api.md section 2),
 * else m=5, with {@link #sequence()} if it could be read.
 * <p>
 * After a successful decode the payload's bytes are at {@link #payloadBuffer()}, {@link #payloadOffset()},
 * {@link #payloadLength()}: unescaped from the string, or a slice of the frame for an object. Garbage-free when warm
 * for string payloads.
 */
public final class ApexFrameDecoder
{
    /** m: request. */
    public static final int REQUEST = 0;
    /** m: reply. */
    public static final int REPLY = 1;
    /** m: subscribe request. */
    public static final int SUBSCRIBE = 2;
    /** m: event. */
    public static final int EVENT = 3;
    /** m: unsubscribe request. */
    public static final int UNSUBSCRIBE = 4;
    /** m: error. */
    public static final int ERROR = 5;

    /** Longest function name accepted. */
    public static final int MAX_FUNCTION_NAME_BYTES = 64;

    private static final int M = 0;
    private static final int I = 1;
    private static final int N = 2;
    private static final int O = 3;
    private static final FieldTable FIELDS = FieldTable.of("m", "i", "n", "o");
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final JsonPayloadReader reader;
    private final byte[] payloadScratch;
    private final byte[] functionName = new byte[MAX_FUNCTION_NAME_BYTES];
    private int functionNameLength;
    private boolean answerAsReply;
    private int messageType;
    private long sequence;
    private boolean hasSequence;
    private byte[] payloadBuffer;
    private int payloadOffset;
    private int payloadLength;

    /**
     * A decoder for frames up to a size.
     *
     * @param maxFrameBytes the largest frame the server accepts (bounds the unescaped payload).
     */
    public ApexFrameDecoder(final int maxFrameBytes)
    {
        reader = new JsonPayloadReader(Math.max(maxFrameBytes, MAX_FUNCTION_NAME_BYTES));
        payloadScratch = new byte[Math.max(maxFrameBytes, MAX_FUNCTION_NAME_BYTES)];
    }

    /**
     * Decode a frame.
     *
     * @param frame  the bytes of one text frame.
     * @param offset first byte.
     * @param length number of bytes.
     * @return true if the frame has a function name and a payload; false for an m=5 answer.
     */
    public boolean decode(final byte[] frame, final int offset, final int length)
    {
        messageType = REQUEST;
        answerAsReply = false;
        sequence = 0;
        hasSequence = false;
        functionNameLength = 0;
        payloadBuffer = EMPTY_OBJECT;
        payloadOffset = 0;
        payloadLength = EMPTY_OBJECT.length;

        final JsonPayloadReader in = reader;
        if (!in.begin(FIELDS, frame, offset, length))
        {
            return false;
        }
        boolean payloadIsScratch = false;
        boolean valueRuleBrokenFirst = false;
        boolean cleanBefore;
        int field;
        while ((field = in.nextField()) >= 0)
        {
            switch (field)
            {
                case M:
                    cleanBefore = in.errorCode() == 0;
                    if (in.readLongOrNumericString(field, 0, 255))
                    {
                        messageType = (int)in.longValue();
                    }
                    else
                    {
                        valueRuleBrokenFirst |= cleanBefore;
                    }
                    break;
                case I:
                    if (in.readLongOrNumericString(field, Long.MIN_VALUE, Long.MAX_VALUE))
                    {
                        sequence = in.longValue();
                        hasSequence = true;
                    }
                    break;
                case N:
                    if (in.readString(field, MAX_FUNCTION_NAME_BYTES))
                    {
                        functionNameLength = in.utf8Length();
                        System.arraycopy(in.utf8Bytes(), 0, functionName, 0, functionNameLength);
                    }
                    break;
                case O:
                    cleanBefore = in.errorCode() == 0;
                    if (in.isNull())
                    {
                        break;
                    }
                    if (in.valueToken() == JsonToken.VALUE_STRING)
                    {
                        if (!in.readString(field, payloadScratch.length))
                        {
                            valueRuleBrokenFirst |= cleanBefore;
                        }
                        else if (in.utf8Length() > 0)
                        {
                            // Copied: reading n after o would overwrite the reader's scratch.
                            payloadIsScratch = true;
                            payloadLength = in.utf8Length();
                            System.arraycopy(in.utf8Bytes(), 0, payloadScratch, 0, payloadLength);
                        }
                    }
                    else if (in.readObjectRange(field))
                    {
                        payloadBuffer = frame;
                        payloadOffset = offset + in.rangeOffset();
                        payloadLength = in.rangeLength();
                    }
                    else
                    {
                        valueRuleBrokenFirst |= cleanBefore;
                    }
                    break;
                default:
                    break;
            }
        }
        if (field == JsonPayloadReader.FAILED || !in.finish())
        {
            // The client waits for a reply to i and n when they were read and only the value of m or o broke a rule;
            // a frame that is not JSON, or names a frame key twice, cannot be read as a frame at all: m=5.
            answerAsReply = valueRuleBrokenFirst && in.wellFormed() && hasSequence && functionNameLength > 0;
            return false;
        }
        if (functionNameLength == 0)
        {
            in.fail(ApexError.INVALID_REQUEST, "n: required (the function name)");
            return false;
        }
        if (payloadIsScratch)
        {
            payloadBuffer = payloadScratch;
            payloadOffset = 0;
        }
        return true;
    }

    /**
     * After a failed {@link #decode}: whether the answer is an m=1 reply (the frame was well-formed JSON with a
     * readable {@code i} and {@code n}, and broke a rule, such as {@code o} being a number) rather than m=5.
     *
     * @return true for an m=1 reply.
     */
    public boolean answerAsReply()
    {
        return answerAsReply;
    }

    /**
     * m of the last frame (0 if absent).
     *
     * @return message type.
     */
    public int messageType()
    {
        return messageType;
    }

    /**
     * i of the last frame, 0 if it could not be read.
     *
     * @return the client's sequence number.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * Whether i could be read.
     *
     * @return true if present and an integer.
     */
    public boolean hasSequence()
    {
        return hasSequence;
    }

    /**
     * n's UTF-8 bytes.
     *
     * @return scratch array, valid until the next decode.
     */
    public byte[] functionName()
    {
        return functionName;
    }

    /**
     * Length of {@link #functionName()}.
     *
     * @return bytes.
     */
    public int functionNameLength()
    {
        return functionNameLength;
    }

    /**
     * Whether n equals a name, letter case ignored, without allocating.
     *
     * @param name an ASCII function name.
     * @return true if equal.
     */
    public boolean functionIs(final String name)
    {
        if (name.length() != functionNameLength)
        {
            return false;
        }
        for (int i = 0; i < functionNameLength; i++)
        {
            final int a = functionName[i];
            final int b = name.charAt(i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The payload's bytes.
     *
     * @return array holding the payload.
     */
    public byte[] payloadBuffer()
    {
        return payloadBuffer;
    }

    /**
     * Offset of the payload in {@link #payloadBuffer()}.
     *
     * @return offset.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * Length of the payload.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * Error code of a frame that could not be read.
     *
     * @return 100.
     */
    public int errorCode()
    {
        return reader.errorCode();
    }

    /**
     * Why the frame could not be read.
     *
     * @return detail text (reused).
     */
    public CharSequence detail()
    {
        return reader.detail();
    }
}
