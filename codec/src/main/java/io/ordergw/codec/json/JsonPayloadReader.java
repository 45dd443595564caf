package io.ordergw.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.FixedPoint;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Reads one flat JSON object payload, key by key, over a reused non-blocking Jackson parser, so that a warm read
 * allocates nothing.
 * <p>
 * A decoder drives it: {@link #begin}, then {@link #nextField()} until it returns {@link #END} or {@link #FAILED},
 * reading each value with a typed {@code read*} method, then {@link #finish()}. The first rule broken is kept as an
 * APEX error code and a {@link #detail()} naming the field and the rule; after it the rest of the object is still
 * read to its end (later errors are not kept), so the parser stays usable for the next message. Malformed JSON and
 * truncated input throw the parser away and a fresh one is made for the next message: that path allocates, the valid
 * path does not.
 * <p>
 * Keys given twice (in any letter case) are refused. Unknown keys are skipped with their values.
 */
public final class JsonPayloadReader
{
    /** {@link #nextField()}: the object ended. */
    public static final int END = -2;
    /** {@link #nextField()}: the payload is broken; see {@link #errorCode()} and {@link #detail()}. */
    public static final int FAILED = -3;

    private static final int MAX_VALUE_ECHO = 48;
    private static final OutputStream DISCARD = OutputStream.nullOutputStream();
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(64)
            .maxStringLength(64 * 1024)
            .maxNameLength(1024)
            .build())
        .build();

    private final FixedPoint.Parser decimalParser = new FixedPoint.Parser();
    private final StringBuilder detail = new StringBuilder(128);
    private final byte[] utf8Scratch;
    private FieldTable table;
    private FieldTable.Lookup lookup;
    private final FieldTable.Lookup[] lookups = new FieldTable.Lookup[8];
    private final FieldTable[] lookupTables = new FieldTable[8];
    private boolean[] seen = new boolean[64];
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private boolean parserBroken = true;
    private int errorCode;
    private int depth;
    private JsonToken valueToken;
    private long longValue;
    private int utf8Length;
    private byte[] input;
    private int inputOffset;
    private int inputLength;
    private int rangeOffset;
    private int rangeLength;

    /**
     * A reader whose string values may be at most {@code maxStringBytes} of UTF-8.
     *
     * @param maxStringBytes largest string value accepted by {@link #readString}.
     */
    public JsonPayloadReader(final int maxStringBytes)
    {
        this.utf8Scratch = new byte[maxStringBytes];
    }

    /**
     * Start reading a payload that must be one JSON object.
     *
     * @param table  the keys it may have.
     * @param buffer the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return false if it is not an object (see {@link #detail()}).
     */
    public boolean begin(final FieldTable table, final byte[] buffer, final int offset, final int length)
    {
        selectTable(table);
        errorCode = 0;
        detail.setLength(0);
        depth = 0;
        valueToken = null;
        Arrays.fill(seen, 0, table.size(), false);
        input = buffer;
        inputOffset = offset;
        inputLength = length;

        if (isBlank(buffer, offset, length))
        {
            return failed("payload: empty, expected a JSON object");
        }
        if (startsWithByteOrderMark(buffer, offset, length))
        {
            // A fresh parser skips a UTF-8 byte order mark but a reused one does not, so accepting it would make the
            // answer depend on the message before. RFC 8259 forbids sending one: refuse it, always.
            return failed("payload: expected a JSON object, got a byte order mark");
        }
        try
        {
            if (parserBroken)
            {
                parser = FACTORY.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
                parserBroken = false;
            }
            feeder.feedInput(buffer, offset, offset + length);
            final JsonToken first = next();
            if (first != JsonToken.START_OBJECT)
            {
                parserBroken = true; // mid-value at the root: start over next time
                return failed("payload: expected a JSON object");
            }
            depth = 1;
            return true;
        }
        catch (final IOException ex)
        {
            return syntaxError(ex);
        }
    }

    /**
     * Advance to the next key of the object.
     *
     * @return the field index, {@link FieldTable#UNKNOWN} is never returned (unknown keys are skipped), {@link #END}
     * at the end of the object, {@link #FAILED} at the end of an object that broke a rule, or as soon as the JSON is
     * found malformed. Fields after a broken rule are still returned (later errors are not kept), so that a frame can
     * still echo an {@code i} that follows a bad {@code n}.
     */
    public int nextField()
    {
        if (parserBroken)
        {
            // A read* call found the JSON malformed: the parser is past the error, not at a key, so stop here.
            return FAILED;
        }
        try
        {
            while (true)
            {
                skipUnreadContainer();
                final JsonToken token = next();
                if (token == null)
                {
                    return truncated();
                }
                if (token == JsonToken.END_OBJECT)
                {
                    depth = 0;
                    checkNothingFollows();
                    return errorCode == 0 ? END : FAILED;
                }
                // token is FIELD_NAME at depth 1
                final String name = parser.currentName();
                valueToken = next();
                if (valueToken == null)
                {
                    return truncated();
                }
                final int index = lookup.indexOf(name);
                if (index == FieldTable.UNKNOWN)
                {
                    continue;
                }
                if (seen[index])
                {
                    fail(ApexError.INVALID_REQUEST, table.name(index)).append(": given twice");
                    continue;
                }
                seen[index] = true;
                return index;
            }
        }
        catch (final IOException ex)
        {
            syntaxError(ex);
            return FAILED;
        }
    }

    /**
     * After {@link #END}: whether the payload was one object, with nothing but whitespace after it, and every rule
     * held. (What follows the object is checked as soon as it closes, on the {@link #FAILED} path too.)
     *
     * @return true if the payload was one object and every rule held.
     */
    public boolean finish()
    {
        return !parserBroken && errorCode == 0;
    }

    /**
     * After {@link #FAILED}: whether the payload was still well-formed JSON, one object read to its end, so that the
     * failure is a broken rule (a wrong type, a value out of range, a key given twice), not malformed input.
     *
     * @return true if only a rule was broken.
     */
    public boolean wellFormed()
    {
        return !parserBroken;
    }

    /**
     * Whether a field was present (since {@link #begin}).
     *
     * @param index field index.
     * @return true if given.
     */
    public boolean has(final int index)
    {
        return seen[index];
    }

    /**
     * Whether the current value is JSON null.
     *
     * @return true for null.
     */
    public boolean isNull()
    {
        return valueToken == JsonToken.VALUE_NULL;
    }

    /**
     * The current value's token.
     *
     * @return the token.
     */
    public JsonToken valueToken()
    {
        return valueToken;
    }

    /**
     * Read the current value as a whole number within bounds.
     *
     * @param field field index for the detail.
     * @param min   smallest allowed.
     * @param max   largest allowed.
     * @return false (with the error recorded) if it is not a whole number or out of bounds; else see
     * {@link #longValue()}.
     */
    public boolean readLong(final int field, final long min, final long max)
    {
        if (valueToken == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER)
                {
                    return refuseValue(field, "is out of range");
                }
                final long value = parser.getLongValue();
                return checkRange(field, value, min, max);
            }
            catch (final IOException ex)
            {
                return refuseValue(field, "is out of range");
            }
        }
        if (valueToken == JsonToken.VALUE_NUMBER_FLOAT)
        {
            return refuseValue(field, "is not a whole number");
        }
        return wrongType(field, "a whole number");
    }

    /**
     * Read the current value as a whole number given either as a JSON number or as a string of digits (APEX
     * clients send some ids as strings).
     *
     * @param field field index for the detail.
     * @param min   smallest allowed.
     * @param max   largest allowed.
     * @return false with the error recorded, else see {@link #longValue()}.
     */
    public boolean readLongOrNumericString(final int field, final long min, final long max)
    {
        if (valueToken != JsonToken.VALUE_STRING)
        {
            return readLong(field, min, max);
        }
        try
        {
            final char[] text = parser.getTextCharacters();
            final int offset = parser.getTextOffset();
            final int length = parser.getTextLength();
            if (length == 0 || length > 20)
            {
                return refuseValue(field, "is not a whole number");
            }
            long value = 0;
            int i = offset;
            final boolean negative = text[i] == '-';
            if (negative && length > 1)
            {
                i++;
            }
            for (; i < offset + length; i++)
            {
                final char c = text[i];
                if (c < '0' || c > '9')
                {
                    return refuseValue(field, "is not a whole number");
                }
                final int digit = c - '0';
                if (value > (Long.MAX_VALUE - digit) / 10)
                {
                    return refuseValue(field, "is out of range");
                }
                value = value * 10 + digit;
            }
            return checkRange(field, negative ? -value : value, min, max);
        }
        catch (final IOException ex)
        {
            return syntaxError(ex);
        }
    }

    /**
     * Skip the current value, which must be an object, and report where it lies in the payload, so that a frame can
     * carry its payload as an object instead of a string.
     *
     * @param field field index for the detail.
     * @return false with the error recorded, else {@link #rangeOffset()} and {@link #rangeLength()} are set
     * relative to the start of the payload given to {@link #begin}.
     */
    public boolean readObjectRange(final int field)
    {
        if (valueToken != JsonToken.START_OBJECT)
        {
            return wrongType(field, "a JSON string or object");
        }
        try
        {
            // The parser stops right after the token it returns: after the '{' now, after the matching '}' once
            // skipped. (Its token locations are no help: the non-blocking parser stamps them one byte past the token.)
            final int start = consumed() - 1;
            skipUnreadContainer();
            rangeOffset = start;
            rangeLength = consumed() - start;
            return true;
        }
        catch (final IOException ex)
        {
            return syntaxError(ex);
        }
    }

    /**
     * Start of the range found by {@link #readObjectRange}, relative to the payload's first byte.
     *
     * @return offset.
     */
    public int rangeOffset()
    {
        return rangeOffset;
    }

    /**
     * Length of the range found by {@link #readObjectRange}.
     *
     * @return length in bytes.
     */
    public int rangeLength()
    {
        return rangeLength;
    }

    /**
     * The value of the last successful whole-number, decimal, enum or boolean read (booleans as 0 or 1).
     *
     * @return the value.
     */
    public long longValue()
    {
        return longValue;
    }

    /**
     * Read the current value as an exact non-negative decimal, from a JSON number or a numeric string.
     *
     * @param field field index for the detail.
     * @param scale decimal places to hold.
     * @return false with the error recorded, else the mantissa is {@link #longValue()}.
     */
    public boolean readDecimal(final int field, final int scale)
    {
        if (valueToken != JsonToken.VALUE_NUMBER_INT && valueToken != JsonToken.VALUE_NUMBER_FLOAT &&
            valueToken != JsonToken.VALUE_STRING)
        {
            return wrongType(field, "a decimal number");
        }
        try
        {
            if (valueToken == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT)
            {
                // Small whole numbers are read as numbers: the parser holds 0 as a String, and asking for its
                // characters would copy them. Negative or too large ones go on to the text, for the detail.
                final long units = parser.getIntValue();
                if (units >= 0 && units <= Long.MAX_VALUE / FixedPoint.pow10(scale))
                {
                    longValue = units * FixedPoint.pow10(scale);
                    return true;
                }
            }
            final int result = decimalParser.parse(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), scale);
            switch (result)
            {
                case FixedPoint.OK:
                    if (decimalParser.negative())
                    {
                        return refuseValue(field, "must be >= 0");
                    }
                    longValue = decimalParser.value();
                    return true;
                case FixedPoint.TOO_MANY_PLACES:
                    failWithValue(field, "has more than ").append(scale).append(" decimal places");
                    return false;
                case FixedPoint.TOO_LARGE:
                    appendMaxDecimal(failWithValue(field, "is too large (at most "), scale).append(')');
                    return false;
                default:
                    return valueToken == JsonToken.VALUE_STRING ?
                        wrongType(field, "a decimal number") : refuseValue(field, "is not a decimal number");
            }
        }
        catch (final IOException ex)
        {
            return syntaxError(ex);
        }
    }

    /**
     * Read true or false.
     *
     * @param field field index for the detail.
     * @return false with the error recorded, else {@link #longValue()} is 1 for true.
     */
    public boolean readBoolean(final int field)
    {
        if (valueToken == JsonToken.VALUE_TRUE || valueToken == JsonToken.VALUE_FALSE)
        {
            longValue = valueToken == JsonToken.VALUE_TRUE ? 1 : 0;
            return true;
        }
        return wrongType(field, "true or false");
    }

    /**
     * Read an enumerated value given as its number or its name (letter case ignored).
     *
     * @param field  field index for the detail.
     * @param values the allowed values.
     * @return false with the error recorded, else the value is {@link #longValue()}.
     */
    public boolean readEnum(final int field, final ApexEnum values)
    {
        if (valueToken == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                if (parser.getNumberType() == JsonParser.NumberType.INT && values.isAllowed(parser.getIntValue()))
                {
                    longValue = parser.getIntValue();
                    return true;
                }
            }
            catch (final IOException ex)
            {
                return syntaxError(ex);
            }
            values.describeAllowed(failWithValue(field, "is not "));
            return false;
        }
        if (valueToken == JsonToken.VALUE_STRING)
        {
            try
            {
                final int value = values.valueOf(parser.getTextCharacters(), parser.getTextOffset(),
                    parser.getTextLength());
                if (value != ApexEnum.NO_VALUE && values.isAllowed(value))
                {
                    longValue = value;
                    return true;
                }
            }
            catch (final IOException ex)
            {
                return syntaxError(ex);
            }
            values.describeAllowed(failWithValue(field, "is not "));
            return false;
        }
        return wrongType(field, "a number or a name");
    }

    /**
     * Read a string value as UTF-8 of at most a number of bytes, into {@link #utf8Bytes()}.
     *
     * @param field    field index for the detail.
     * @param maxBytes largest allowed UTF-8 length (at most the constructor's limit).
     * @return false with the error recorded.
     */
    public boolean readString(final int field, final int maxBytes)
    {
        if (valueToken != JsonToken.VALUE_STRING)
        {
            return wrongType(field, "a string");
        }
        try
        {
            final char[] text = parser.getTextCharacters();
            final int offset = parser.getTextOffset();
            final int end = offset + parser.getTextLength();
            final int limit = Math.min(maxBytes, utf8Scratch.length);
            int length = 0;
            for (int i = offset; i < end; i++)
            {
                final char c = text[i];
                int codePoint = c;
                if (Character.isSurrogate(c))
                {
                    if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1]))
                    {
                        codePoint = Character.toCodePoint(c, text[++i]);
                    }
                    else
                    {
                        fail(ApexError.INVALID_REQUEST, table.name(field))
                            .append(": is not valid Unicode (unpaired surrogate)");
                        return false;
                    }
                }
                final int needed = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
                if (length + needed > limit)
                {
                    fail(ApexError.INVALID_REQUEST, table.name(field)).append(": longer than ")
                        .append(limit).append(" bytes of UTF-8");
                    return false;
                }
                length += putUtf8(codePoint, length, needed);
            }
            utf8Length = length;
            return true;
        }
        catch (final IOException ex)
        {
            return syntaxError(ex);
        }
    }

    /**
     * The bytes of the last {@link #readString}.
     *
     * @return scratch array, valid until the next read.
     */
    public byte[] utf8Bytes()
    {
        return utf8Scratch;
    }

    /**
     * The length of the last {@link #readString}.
     *
     * @return UTF-8 byte count.
     */
    public int utf8Length()
    {
        return utf8Length;
    }

    /**
     * The current string value's characters, for callers that compare text (e.g. flag names).
     *
     * @return the parser's text buffer.
     * @throws IOException from the parser.
     */
    public char[] textCharacters() throws IOException
    {
        return parser.getTextCharacters();
    }

    /**
     * Offset into {@link #textCharacters()}.
     *
     * @return offset.
     * @throws IOException from the parser.
     */
    public int textOffset() throws IOException
    {
        return parser.getTextOffset();
    }

    /**
     * Length of the text in {@link #textCharacters()}.
     *
     * @return length.
     * @throws IOException from the parser.
     */
    public int textLength() throws IOException
    {
        return parser.getTextLength();
    }

    /**
     * Record a missing required field.
     *
     * @param field field index.
     * @return false.
     */
    public boolean missing(final int field)
    {
        fail(ApexError.INVALID_REQUEST, table.name(field)).append(": required");
        return false;
    }

    /**
     * Record the first broken rule.
     *
     * @param code   APEX error code.
     * @param prefix start of the detail (usually the field name).
     * @return the detail builder to append the rest to (a throwaway one if an error is already recorded).
     */
    public StringBuilder fail(final int code, final CharSequence prefix)
    {
        if (errorCode != 0)
        {
            // Keep the first error: hand back a builder whose content is thrown away.
            return discardBuilder();
        }
        errorCode = code;
        detail.setLength(0);
        detail.append(prefix);
        return detail;
    }

    /**
     * Record a broken rule about the current value: {@code "<field>: <value> <rule>"}.
     *
     * @param field field index.
     * @param rule  what is wrong.
     * @return the detail builder.
     */
    public StringBuilder failField(final int field, final CharSequence rule)
    {
        return fail(ApexError.INVALID_REQUEST, table.name(field)).append(": ").append(rule);
    }

    /**
     * The first error's APEX code, 0 if none.
     *
     * @return the code.
     */
    public int errorCode()
    {
        return errorCode;
    }

    /**
     * The first error's detail.
     *
     * @return text naming the field and the rule; empty if none.
     */
    public CharSequence detail()
    {
        return errorCode == 0 ? "" : detail;
    }

    private StringBuilder discard;

    private StringBuilder discardBuilder()
    {
        if (discard == null)
        {
            discard = new StringBuilder();
        }
        discard.setLength(0);
        return discard;
    }

    private void selectTable(final FieldTable table)
    {
        if (this.table == table)
        {
            return;
        }
        this.table = table;
        if (seen.length < table.size())
        {
            seen = new boolean[table.size()];
        }
        for (int i = 0; i < lookupTables.length; i++)
        {
            if (lookupTables[i] == table)
            {
                lookup = lookups[i];
                return;
            }
            if (lookupTables[i] == null)
            {
                lookupTables[i] = table;
                lookups[i] = table.newLookup();
                lookup = lookups[i];
                return;
            }
        }
        lookup = table.newLookup();
    }

    /**
     * Only whitespace may follow the root object. The parser cannot tell: it reads a stream of root values, and a
     * trailing number or unterminated string is to it merely incomplete, so left in it that would become the start of
     * the next message. Trailing whitespace is consumed, so that the next message can be fed.
     */
    private void checkNothingFollows() throws IOException
    {
        final int end = inputOffset + inputLength;
        final int trailing = parser.releaseBuffered(DISCARD);
        for (int i = end - trailing; i < end; i++)
        {
            if (!isWhitespace(input[i]))
            {
                parserBroken = true;
                failed("payload: unexpected content after the JSON object");
                return;
            }
        }
        if (trailing > 0 && next() != null)
        {
            parserBroken = true;
        }
    }

    /** Bytes of the payload the parser has consumed: it stops right after the token it returned. */
    private int consumed() throws IOException
    {
        return inputLength - parser.releaseBuffered(DISCARD);
    }

    private JsonToken next() throws IOException
    {
        final JsonToken token = parser.nextToken();
        return token == JsonToken.NOT_AVAILABLE ? null : token;
    }

    private void skipUnreadContainer() throws IOException
    {
        if (valueToken == JsonToken.START_OBJECT || valueToken == JsonToken.START_ARRAY)
        {
            valueToken = null;
            int nested = 1;
            while (nested > 0)
            {
                final JsonToken token = next();
                if (token == null)
                {
                    throw new TruncatedException();
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
                {
                    nested++;
                }
                else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY)
                {
                    nested--;
                }
            }
        }
        valueToken = null;
    }

    private int truncated()
    {
        parserBroken = true;
        errorCode = 0;
        fail(ApexError.INVALID_REQUEST, "payload: truncated JSON (the object is not closed)");
        return FAILED;
    }

    private boolean syntaxError(final IOException ex)
    {
        parserBroken = true;
        if (ex instanceof TruncatedException)
        {
            truncated();
            return false;
        }
        errorCode = 0;
        final String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        final int newline = message.indexOf('\n');
        fail(ApexError.INVALID_REQUEST, "payload: invalid JSON: ")
            .append(message, 0, newline < 0 ? Math.min(message.length(), 160) : Math.min(newline, 160));
        return false;
    }

    private boolean checkRange(final int field, final long value, final long min, final long max)
    {
        if (value < min)
        {
            final StringBuilder sb = fail(ApexError.INVALID_REQUEST, table.name(field)).append(": ").append(value);
            if (min == 1)
            {
                sb.append(" must be > 0");
            }
            else
            {
                sb.append(" must be >= ").append(min);
            }
            return false;
        }
        if (value > max)
        {
            fail(ApexError.INVALID_REQUEST, table.name(field)).append(": ").append(value)
                .append(" is out of range (at most ").append(max).append(')');
            return false;
        }
        longValue = value;
        return true;
    }

    private StringBuilder failWithValue(final int field, final String rule)
    {
        return appendValueEcho(fail(ApexError.INVALID_REQUEST, table.name(field)).append(": "))
            .append(' ').append(rule);
    }

    private boolean refuseValue(final int field, final String rule)
    {
        failWithValue(field, rule);
        return false;
    }

    private StringBuilder appendValueEcho(final StringBuilder sb)
    {
        try
        {
            final char[] text = parser.getTextCharacters();
            final int offset = parser.getTextOffset();
            final int length = parser.getTextLength();
            final boolean quote = valueToken == JsonToken.VALUE_STRING;
            if (quote)
            {
                sb.append('"');
            }
            sb.append(text, offset, Math.min(length, MAX_VALUE_ECHO));
            if (length > MAX_VALUE_ECHO)
            {
                sb.append("...");
            }
            if (quote)
            {
                sb.append('"');
            }
        }
        catch (final IOException ignore)
        {
            sb.append("the value");
        }
        return sb;
    }

    private boolean wrongType(final int field, final String expected)
    {
        fail(ApexError.INVALID_REQUEST, table.name(field)).append(": expected ").append(expected)
            .append(", got ").append(describe(valueToken));
        return false;
    }

    private static String describe(final JsonToken token)
    {
        if (token == null)
        {
            return "nothing";
        }
        switch (token)
        {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            default:
                return token.asString() == null ? token.name() : token.asString();
        }
    }

    private static StringBuilder appendMaxDecimal(final StringBuilder sb, final int scale)
    {
        final long factor = FixedPoint.pow10(scale);
        sb.append(Long.MAX_VALUE / factor);
        if (scale > 0)
        {
            final long fraction = Long.MAX_VALUE % factor;
            final String digits = Long.toString(fraction + factor).substring(1);
            sb.append('.').append(digits);
        }
        return sb;
    }

    private int putUtf8(final int codePoint, final int at, final int length)
    {
        final byte[] out = utf8Scratch;
        switch (length)
        {
            case 1:
                out[at] = (byte)codePoint;
                break;
            case 2:
                out[at] = (byte)(0xC0 | (codePoint >> 6));
                out[at + 1] = (byte)(0x80 | (codePoint & 0x3F));
                break;
            case 3:
                out[at] = (byte)(0xE0 | (codePoint >> 12));
                out[at + 1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                out[at + 2] = (byte)(0x80 | (codePoint & 0x3F));
                break;
            default:
                out[at] = (byte)(0xF0 | (codePoint >> 18));
                out[at + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                out[at + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                out[at + 3] = (byte)(0x80 | (codePoint & 0x3F));
        }
        return length;
    }

    private static boolean startsWithByteOrderMark(final byte[] buffer, final int offset, final int length)
    {
        int i = offset;
        final int end = offset + length;
        while (i < end && isWhitespace(buffer[i]))
        {
            i++;
        }
        return i < end && (buffer[i] & 0xFF) == 0xEF;
    }

    private static boolean isBlank(final byte[] buffer, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (!isWhitespace(buffer[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private boolean failed(final String message)
    {
        fail(ApexError.INVALID_REQUEST, message);
        return false;
    }

    /** Input ended inside a value being skipped. */
    private static final class TruncatedException extends IOException
    {
        private static final long serialVersionUID = 1L;

        TruncatedException()
        {
            super("truncated", null);
        }
    }
}
