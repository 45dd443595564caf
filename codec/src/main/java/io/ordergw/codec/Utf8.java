package io.ordergw.codec;

import org.agrona.MutableDirectBuffer;

/**
 * UTF-8 encoding of text into buffers without allocating (String.getBytes allocates; error details are written on
 * paths that must not).
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * Encode text, truncated at a code point boundary to at most {@code maxBytes}.
     *
     * @param text     the text.
     * @param buffer   where to write.
     * @param index    first byte.
     * @param maxBytes most bytes to write.
     * @return bytes written.
     */
    public static int encode(
        final CharSequence text, final MutableDirectBuffer buffer, final int index, final int maxBytes)
    {
        int pos = index;
        final int end = index + maxBytes;
        for (int i = 0, n = text.length(); i < n; i++)
        {
            int codePoint = text.charAt(i);
            if (Character.isHighSurrogate((char)codePoint) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                codePoint = Character.toCodePoint((char)codePoint, text.charAt(++i));
            }
            else if (Character.isSurrogate((char)codePoint))
            {
                codePoint = 0xFFFD;
            }
            final int needed = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (pos + needed > end)
            {
                break;
            }
            switch (needed)
            {
                case 1:
                    buffer.putByte(pos++, (byte)codePoint);
                    break;
                case 2:
                    buffer.putByte(pos++, (byte)(0xC0 | (codePoint >> 6)));
                    buffer.putByte(pos++, (byte)(0x80 | (codePoint & 0x3F)));
                    break;
                case 3:
                    buffer.putByte(pos++, (byte)(0xE0 | (codePoint >> 12)));
                    buffer.putByte(pos++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                    buffer.putByte(pos++, (byte)(0x80 | (codePoint & 0x3F)));
                    break;
                default:
                    buffer.putByte(pos++, (byte)(0xF0 | (codePoint >> 18)));
                    buffer.putByte(pos++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                    buffer.putByte(pos++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                    buffer.putByte(pos++, (byte)(0x80 | (codePoint & 0x3F)));
            }
        }
        return pos - index;
    }
}
