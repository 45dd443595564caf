package io.ordergw.gateway.apex;

import com.fasterxml.jackson.core.JsonToken;
import io.ordergw.codec.ApexError;
import io.ordergw.codec.json.FieldTable;
import io.ordergw.codec.json.JsonPayloadReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the payloads of every function but SendExchangeOrderStateEvent: a flat object of known keys (matched
 * case-insensitively), each read with its type, absent keys remembered. One instance per thread.
 */
public final class RequestFields
{
    static final int OMS_ID = 0;
    static final int ACCOUNT_ID = 1;
    static final int ORDER_ID = 2;
    static final int INSTRUMENT_ID = 3;
    static final int DEPTH = 4;
    static final int START_INDEX = 5;
    static final int FROM_SEQ_NUM = 6;
    static final int USER_NAME = 7;
    static final int PASSWORD = 8;
    static final int SESSION_TOKEN = 9;
    static final int API_KEY = 10;
    static final int SIGNATURE = 11;
    static final int USER_ID = 12;
    static final int NONCE = 13;

    private static final FieldTable FIELDS = FieldTable.of("OMSId", "AccountId", "OrderId", "InstrumentId", "Depth",
        "StartIndex", "FromSeqNum", "UserName", "Password", "SessionToken", "APIKey", "Signature", "UserId", "Nonce");
    private static final int COUNT = 14;
    private static final int MAX_TEXT_BYTES = 512;

    private final JsonPayloadReader reader = new JsonPayloadReader(MAX_TEXT_BYTES);
    private final long[] numbers = new long[COUNT];
    private final String[] texts = new String[COUNT];
    private final boolean[] present = new boolean[COUNT];

    /**
     * Decode a payload.
     *
     * @param payload bytes.
     * @param offset  first byte.
     * @param length  byte count.
     * @return false with {@link #errorCode()} and {@link #detail()} set if it is malformed.
     */
    public boolean decode(final byte[] payload, final int offset, final int length)
    {
        Arrays.fill(present, false);
        Arrays.fill(texts, null);
        if (!reader.begin(FIELDS, payload, offset, length))
        {
            return false;
        }
        int field;
        while ((field = reader.nextField()) >= 0)
        {
            if (reader.isNull())
            {
                continue;
            }
            switch (field)
            {
                case ACCOUNT_ID:
                    // 0 is no account: never "any account", which would skip the per-account permission check.
                    read(field, reader.readLongOrNumericString(field, 1, Integer.MAX_VALUE));
                    break;
                case OMS_ID:
                case INSTRUMENT_ID:
                    read(field, reader.readLongOrNumericString(field, 0, Integer.MAX_VALUE));
                    break;
                case DEPTH:
                case START_INDEX:
                    read(field, reader.readLongOrNumericString(field, 0, Integer.MAX_VALUE));
                    break;
                case ORDER_ID:
                case FROM_SEQ_NUM:
                    read(field, reader.readLongOrNumericString(field, 0, Long.MAX_VALUE));
                    break;
                case USER_ID:
                case NONCE:
                    readText(field, true);
                    break;
                default:
                    readText(field, false);
            }
        }
        return field != JsonPayloadReader.FAILED && reader.finish();
    }

    private void read(final int field, final boolean ok)
    {
        if (ok)
        {
            numbers[field] = reader.longValue();
            present[field] = true;
        }
    }

    private void readText(final int field, final boolean numberAllowed)
    {
        if (numberAllowed && reader.valueToken() == JsonToken.VALUE_NUMBER_INT)
        {
            try
            {
                texts[field] = new String(reader.textCharacters(), reader.textOffset(), reader.textLength());
                present[field] = true;
            }
            catch (final IOException ex)
            {
                reader.failField(field, "is not readable");
            }
            return;
        }
        if (reader.readString(field, MAX_TEXT_BYTES))
        {
            texts[field] = new String(reader.utf8Bytes(), 0, reader.utf8Length(), StandardCharsets.UTF_8);
            present[field] = true;
        }
    }

    /**
     * Whether a key was given (and not null).
     *
     * @param field the field.
     * @return true if present.
     */
    public boolean has(final int field)
    {
        return present[field];
    }

    /**
     * A number field.
     *
     * @param field        the field.
     * @param defaultValue when absent.
     * @return the value.
     */
    public long number(final int field, final long defaultValue)
    {
        return present[field] ? numbers[field] : defaultValue;
    }

    /**
     * A text field.
     *
     * @param field the field.
     * @return the text or null.
     */
    public String text(final int field)
    {
        return texts[field];
    }

    /**
     * Record a missing required field as the error.
     *
     * @param field the field.
     * @return false.
     */
    public boolean missing(final int field)
    {
        return reader.missing(field);
    }

    /**
     * Check required fields.
     *
     * @param fields required fields.
     * @return false (with the error set) at the first missing one.
     */
    public boolean require(final int... fields)
    {
        for (final int field : fields)
        {
            if (!present[field])
            {
                return reader.missing(field);
            }
        }
        return true;
    }

    /**
     * The error code of the last failure.
     *
     * @return 100.
     */
    public int errorCode()
    {
        return reader.errorCode() == 0 ? ApexError.INVALID_REQUEST : reader.errorCode();
    }

    /**
     * The detail of the last failure.
     *
     * @return detail text.
     */
    public CharSequence detail()
    {
        return reader.detail();
    }
}
