package io.ordergw.codec.json;

import io.ordergw.codec.FixedPoint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A garbage-free JSON writer over an Agrona buffer (use an expandable one), with one trick Jackson's
 * generator lacks: it can write a JSON document <em>inside a JSON string</em> in one pass, escaping as it
 * goes. APEX frames carry their payload that way ({@code "o":"{\"OMSId\":1}"}).
 * <p>
 * {@link #beginEmbeddedDocument()} raises the escape level: every character written after it is escaped once
 * more until {@link #endEmbeddedDocument()}. Commas between members and elements are inserted automatically.
 */
public final class JsonWriter
{
    private static final int MAX_DEPTH = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private MutableDirectBuffer buffer;
    private int position;
    private int escapeLevel;
    private int depth;
    // Per depth: whether the container already holds a member, so the next one needs a comma.
    private final boolean[] hasMember = new boolean[MAX_DEPTH];
    private boolean afterKey;

    /**
     * Start writing at an offset of a buffer.
     *
     * @param buffer to write into; it must be large enough or expandable.
     * @param offset where the document starts.
     * @return this.
     */
    public JsonWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.position = offset;
        this.escapeLevel = 0;
        this.depth = 0;
        this.hasMember[0] = false;
        this.afterKey = false;
        return this;
    }

    /**
     * The buffer written to.
     *
     * @return the buffer.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * The offset just past the last byte written.
     *
     * @return position.
     */
    public int position()
    {
        return position;
    }

    /**
     * Open an object (as a value: after a key, in an array, or at the top).
     *
     * @return this.
     */
    public JsonWriter beginObject()
    {
        beforeValue();
        structural('{');
        push();
        return this;
    }

    /**
     * Close the innermost object.
     *
     * @return this.
     */
    public JsonWriter endObject()
    {
        depth--;
        structural('}');
        return this;
    }

    /**
     * Open an array.
     *
     * @return this.
     */
    public JsonWriter beginArray()
    {
        beforeValue();
        structural('[');
        push();
        return this;
    }

    /**
     * Close the innermost array.
     *
     * @return this.
     */
    public JsonWriter endArray()
    {
        depth--;
        structural(']');
        return this;
    }

    /**
     * Write a member name. Names are ASCII constants of the protocol, written without escaping checks beyond
     * the level's.
     *
     * @param name the key.
     * @return this.
     */
    public JsonWriter key(final String name)
    {
        separator();
        structural('"');
        for (int i = 0, n = name.length(); i < n; i++)
        {
            stringChar(name.charAt(i));
        }
        structural('"');
        structural(':');
        afterKey = true;
        return this;
    }

    /**
     * Write a whole number.
     *
     * @param value the number.
     * @return this.
     */
    public JsonWriter value(final long value)
    {
        beforeValue();
        position += buffer.putLongAscii(position, value);
        return this;
    }

    /**
     * Write a fixed-point decimal as a plain number.
     *
     * @param mantissa the value at the scale.
     * @param scale    decimal places.
     * @return this.
     */
    public JsonWriter decimal(final long mantissa, final int scale)
    {
        beforeValue();
        position += FixedPoint.format(mantissa, scale, buffer, position);
        return this;
    }

    /**
     * Write true or false.
     *
     * @param value the boolean.
     * @return this.
     */
    public JsonWriter value(final boolean value)
    {
        beforeValue();
        raw(value ? TRUE : FALSE);
        return this;
    }

    /**
     * Write null.
     *
     * @return this.
     */
    public JsonWriter nullValue()
    {
        beforeValue();
        raw(NULL);
        return this;
    }

    /**
     * Write a string value from characters.
     *
     * @param value the text; null writes JSON null.
     * @return this.
     */
    public JsonWriter value(final CharSequence value)
    {
        if (value == null)
        {
            return nullValue();
        }
        beforeValue();
        structural('"');
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                stringChar(c);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                utf8(Character.toCodePoint(c, value.charAt(++i)));
            }
            else
            {
                utf8(Character.isSurrogate(c) ? 0xFFFD : c);
            }
        }
        structural('"');
        return this;
    }

    /**
     * Write a string value from UTF-8 bytes (as held in an SBE var field), escaping what JSON requires.
     *
     * @param src    the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this.
     */
    public JsonWriter utf8Value(final DirectBuffer src, final int offset, final int length)
    {
        beforeValue();
        structural('"');
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = src.getByte(i);
            if (b >= 0)
            {
                stringChar((char)b);
            }
            else
            {
                // Non-ASCII UTF-8 bytes need no escaping at any level.
                buffer.putByte(position++, b);
            }
        }
        structural('"');
        return this;
    }

    /**
     * Write a string value from UTF-8 bytes in an array.
     *
     * @param src    the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this.
     */
    public JsonWriter utf8Value(final byte[] src, final int offset, final int length)
    {
        beforeValue();
        structural('"');
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final byte b = src[i];
            if (b >= 0)
            {
                stringChar((char)b);
            }
            else
            {
                buffer.putByte(position++, b);
            }
        }
        structural('"');
        return this;
    }

    /**
     * Open a string value whose content is a JSON document written with this writer's own methods, escaped.
     *
     * @return this.
     */
    public JsonWriter beginEmbeddedDocument()
    {
        beforeValue();
        structural('"');
        escapeLevel++;
        push();
        return this;
    }

    /**
     * Close the string opened by {@link #beginEmbeddedDocument()}.
     *
     * @return this.
     */
    public JsonWriter endEmbeddedDocument()
    {
        depth--;
        escapeLevel--;
        structural('"');
        return this;
    }

    private void push()
    {
        depth++;
        hasMember[depth] = false;
    }

    private void separator()
    {
        if (hasMember[depth])
        {
            structural(',');
        }
        hasMember[depth] = true;
    }

    private void beforeValue()
    {
        if (afterKey)
        {
            afterKey = false;
        }
        else if (depth > 0)
        {
            separator();
        }
    }

    private void raw(final byte[] bytes)
    {
        for (final byte b : bytes)
        {
            buffer.putByte(position++, b);
        }
    }

    /** A character of JSON syntax (or a plain digit/letter) at the current escape level. */
    private void structural(final char c)
    {
        emit(c, escapeLevel);
    }

    /** An ASCII character inside a string literal of the current level: JSON-escape it, then emit it. */
    private void stringChar(final char c)
    {
        switch (c)
        {
            case '"':
            case '\\':
                emit('\\', escapeLevel);
                emit(c, escapeLevel);
                break;
            case '\n':
                emit('\\', escapeLevel);
                emit('n', escapeLevel);
                break;
            case '\r':
                emit('\\', escapeLevel);
                emit('r', escapeLevel);
                break;
            case '\t':
                emit('\\', escapeLevel);
                emit('t', escapeLevel);
                break;
            default:
                if (c < 0x20 || c == 0x7F)
                {
                    emit('\\', escapeLevel);
                    emit('u', escapeLevel);
                    emit('0', escapeLevel);
                    emit('0', escapeLevel);
                    emit((char)HEX[(c >> 4) & 0xF], escapeLevel);
                    emit((char)HEX[c & 0xF], escapeLevel);
                }
                else
                {
                    emit(c, escapeLevel);
                }
        }
    }

    /** Emit one character so that it reads as itself after {@code level} rounds of unescaping. */
    private void emit(final char c, final int level)
    {
        if (level == 0 || (c != '"' && c != '\\'))
        {
            buffer.putByte(position++, (byte)c);
        }
        else
        {
            emit('\\', level - 1);
            emit(c, level - 1);
        }
    }

    private void utf8(final int codePoint)
    {
        if (codePoint < 0x800)
        {
            buffer.putByte(position++, (byte)(0xC0 | (codePoint >> 6)));
            buffer.putByte(position++, (byte)(0x80 | (codePoint & 0x3F)));
        }
        else if (codePoint < 0x10000)
        {
            buffer.putByte(position++, (byte)(0xE0 | (codePoint >> 12)));
            buffer.putByte(position++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            buffer.putByte(position++, (byte)(0x80 | (codePoint & 0x3F)));
        }
        else
        {
            buffer.putByte(position++, (byte)(0xF0 | (codePoint >> 18)));
            buffer.putByte(position++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
            buffer.putByte(position++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            buffer.putByte(position++, (byte)(0x80 | (codePoint & 0x3F)));
        }
    }
}
