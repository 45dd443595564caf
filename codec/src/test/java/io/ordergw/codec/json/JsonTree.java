package io.ordergw.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into plain Java values with Jackson's ordinary (blocking) parser, an independent reader for
 * checking what the codec writes: objects become ordered maps, arrays lists, strings strings, booleans booleans, null
 * null, and numbers a {@link Num} holding the number's exact text (so tests can check its notation). Duplicate keys
 * and content after the root value are errors.
 */
final class JsonTree
{
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    /**
     * A JSON number as written.
     *
     * @param text the number's characters.
     */
    record Num(String text)
    {
        long longValue()
        {
            return Long.parseLong(text);
        }

        @Override
        public String toString()
        {
            return text;
        }
    }

    private JsonTree()
    {
    }

    static Object parse(final byte[] utf8, final int offset, final int length)
    {
        try (JsonParser parser = FACTORY.createParser(utf8, offset, length))
        {
            final Object value = read(parser, parser.nextToken());
            if (parser.nextToken() != null)
            {
                throw new IllegalArgumentException("content after the root value");
            }
            return value;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Object parse(final String json)
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, 0, bytes.length);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(final String json)
    {
        return (Map<String, Object>)parse(json);
    }

    private static Object read(final JsonParser parser, final JsonToken token) throws IOException
    {
        if (token == null)
        {
            throw new IllegalArgumentException("no JSON value");
        }
        switch (token)
        {
            case START_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME)
                {
                    final String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT)
                {
                    throw new IllegalArgumentException("unexpected " + next);
                }
                return map;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY)
                {
                    list.add(read(parser, next));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Num(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + token);
        }
    }
}
