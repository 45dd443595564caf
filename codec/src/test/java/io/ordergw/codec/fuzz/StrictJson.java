package io.ordergw.codec.fuzz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fuzz tests' reference reader: a plain, strict, blocking parse of a whole input into a small tree, written
 * without the code under test (no reused parser, no field tables, no scratch buffers). Strict means RFC 8259 JSON in
 * well-formed UTF-8, one root value and nothing after it but whitespace, with the same size limits the gateway's
 * {@code JsonPayloadReader} sets (so that "too deep" or "too long" is not counted as a disagreement).
 * <p>
 * An input the code under test accepts must parse here; the tree then says what the accepted values must have been.
 */
final class StrictJson
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(64)
            .maxStringLength(64 * 1024)
            .maxNameLength(1024)
            .build())
        .build();

    /** One JSON value. Objects keep their members in order, duplicates included. */
    static final class Value
    {
        final JsonToken token;
        final String text;
        final List<String> names;
        final List<Value> values;

        Value(final JsonToken token, final String text, final List<String> names, final List<Value> values)
        {
            this.token = token;
            this.text = text;
            this.names = names;
            this.values = values;
        }

        boolean isObject()
        {
            return token == JsonToken.START_OBJECT;
        }

        boolean isString()
        {
            return token == JsonToken.VALUE_STRING;
        }

        boolean isNull()
        {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isInteger()
        {
            return token == JsonToken.VALUE_NUMBER_INT;
        }

        /**
         * The members whose name equals {@code name} ignoring letter case (APEX matches keys that way).
         *
         * @param name a key.
         * @return matching values, in order.
         */
        List<Value> membersIgnoringCase(final String name)
        {
            final List<Value> found = new ArrayList<>(1);
            final String lower = name.toLowerCase(Locale.ROOT);
            for (int i = 0; i < names.size(); i++)
            {
                if (names.get(i).toLowerCase(Locale.ROOT).equals(lower))
                {
                    found.add(values.get(i));
                }
            }
            return found;
        }

        /**
         * The one member with a name (any letter case), or null if absent.
         *
         * @param name a key.
         * @return the value or null.
         * @throws AssertionError if there are several.
         */
        Value member(final String name)
        {
            final List<Value> found = membersIgnoringCase(name);
            if (found.size() > 1)
            {
                throw new AssertionError("key " + name + " given " + found.size() + " times but accepted");
            }
            return found.isEmpty() ? null : found.get(0);
        }

        @Override
        public boolean equals(final Object other)
        {
            if (!(other instanceof Value))
            {
                return false;
            }
            final Value that = (Value)other;
            return token == that.token && java.util.Objects.equals(text, that.text) &&
                java.util.Objects.equals(names, that.names) && java.util.Objects.equals(values, that.values);
        }

        @Override
        public int hashCode()
        {
            return token.hashCode();
        }

        @Override
        public String toString()
        {
            return token + (text == null ? "" : "(" + text + ")") + (names == null ? "" : names.toString());
        }
    }

    private StrictJson()
    {
    }

    /**
     * Parse a whole input.
     *
     * @param bytes  the input.
     * @param offset first byte.
     * @param length byte count.
     * @return the root value, or null if the input is not one strict JSON value in UTF-8.
     */
    static Value parse(final byte[] bytes, final int offset, final int length)
    {
        // A Reader over a reporting decoder: malformed UTF-8 is an error here, never replaced by U+FFFD.
        final Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes, offset, length),
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
        try (JsonParser parser = FACTORY.createParser(reader))
        {
            final JsonToken first = parser.nextToken();
            if (first == null)
            {
                return null;
            }
            final Value root = read(parser, first);
            return parser.nextToken() == null ? root : null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private static Value read(final JsonParser parser, final JsonToken token) throws IOException
    {
        switch (token)
        {
            case START_OBJECT:
            {
                final List<String> names = new ArrayList<>();
                final List<Value> values = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME)
                {
                    names.add(parser.currentName());
                    values.add(read(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT)
                {
                    throw new IOException("object not closed");
                }
                return new Value(token, null, names, values);
            }
            case START_ARRAY:
            {
                final List<Value> values = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY)
                {
                    if (next == null)
                    {
                        throw new IOException("array not closed");
                    }
                    values.add(read(parser, next));
                }
                return new Value(token, null, null, values);
            }
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Value(token, parser.getText(), null, null);
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                return new Value(token, null, null, null);
            default:
                throw new IOException("unexpected " + token);
        }
    }
}
