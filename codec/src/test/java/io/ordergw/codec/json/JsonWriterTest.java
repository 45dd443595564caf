package io.ordergw.codec.json;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link JsonWriter}: what it writes parses back, with an ordinary JSON parser, to exactly what was written, at every
 * level of embedding ({@code "o"} strings holding JSON documents that hold JSON documents).
 */
class JsonWriterTest
{
    private static final String ALL_CONTROLS;

    static
    {
        final StringBuilder sb = new StringBuilder();
        for (char c = 0; c < 0x20; c++)
        {
            sb.append(c);
        }
        ALL_CONTROLS = sb.append('\u007f').toString();
    }

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);
    private final JsonWriter out = new JsonWriter();

    static List<String> awkwardStrings()
    {
        return Arrays.asList(
            "",
            "plain",
            "say \"hi\"",
            "back\\slash \\\\ double \\\" escaped quote",
            "a/b </script>",
            "\"",
            "\\",
            "\\\"\\\"",
            "line\nbreak\r\ttab\b\f",
            ALL_CONTROLS,
            "café naïve ünïcödé",
            "€ 65000 ¥ £",
            "emoji 😀👍🏽 and 𝄞 clef",
            "\u2028\u2029 separators",
            "mixed \"😀\\n\" {\"o\":\"{\\\"x\\\":1}\"}",
            "{\"looks\":\"like json\"}");
    }

    @Test
    void shouldWriteEveryKindOfValue()
    {
        out.wrap(buffer, 0)
            .beginObject()
            .key("min").value(Long.MIN_VALUE)
            .key("max").value(Long.MAX_VALUE)
            .key("zero").value(0)
            .key("price").decimal(6_500_012_345_678L, 8)
            .key("qty").decimal(150_000_000L, 8)
            .key("whole").decimal(10_000_000_000L, 8)
            .key("tiny").decimal(1, 8)
            .key("t").value(true)
            .key("f").value(false)
            .key("n").nullValue()
            .key("nullString").value((CharSequence)null)
            .key("s").value("text")
            .key("empty").beginObject().endObject()
            .key("none").beginArray().endArray()
            .key("list").beginArray().value(1).value("two").beginObject().key("three").value(3).endObject()
            .beginArray().value(false).endArray().nullValue().endArray()
            .endObject();

        final Map<String, Object> json = parse();

        assertEquals("-9223372036854775808", json.get("min").toString());
        assertEquals("9223372036854775807", json.get("max").toString());
        assertEquals("0", json.get("zero").toString());
        assertEquals("65000.12345678", json.get("price").toString());
        assertEquals("1.5", json.get("qty").toString());
        assertEquals("100", json.get("whole").toString());
        assertEquals("0.00000001", json.get("tiny").toString());
        assertEquals(Boolean.TRUE, json.get("t"));
        assertEquals(Boolean.FALSE, json.get("f"));
        assertNull(json.get("n"));
        assertNull(json.get("nullString"));
        assertEquals("text", json.get("s"));
        assertEquals(Map.of(), json.get("empty"));
        assertEquals(List.of(), json.get("none"));
        assertEquals("[1, two, {three=3}, [false], null]", json.get("list").toString());
        assertEquals(15, json.size());
    }

    @ParameterizedTest
    @MethodSource("awkwardStrings")
    void shouldWriteStringsThatParseBackExactly(final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.wrap(buffer, 0)
            .beginObject()
            .key("chars").value(text)
            .key("bytes").utf8Value(utf8, 0, utf8.length)
            .key("buffer").utf8Value(new UnsafeBuffer(utf8), 0, utf8.length)
            .endObject();

        final Map<String, Object> json = parse();

        assertEquals(text, json.get("chars"));
        assertEquals(text, json.get("bytes"));
        assertEquals(text, json.get("buffer"));
    }

    @ParameterizedTest
    @MethodSource("awkwardStrings")
    void shouldWriteNestedEmbeddedDocumentsThatParseBackAtEveryLevel(final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.wrap(buffer, 0).beginObject().key("m").value(3).key("o").beginEmbeddedDocument();
        {
            out.beginObject().key("s").value(text).key("n").value(1).key("o").beginEmbeddedDocument();
            {
                out.beginObject().key("s").value(text)
                    .key("list").beginArray().value(text).utf8Value(utf8, 0, utf8.length).endArray()
                    .key("o").beginEmbeddedDocument();
                {
                    out.beginObject().key("s").utf8Value(utf8, 0, utf8.length).key("k\"\\ey").value(true).endObject();
                }
                out.endEmbeddedDocument().key("after").decimal(1, 8).endObject();
            }
            out.endEmbeddedDocument().key("after").value("level1").endObject();
        }
        out.endEmbeddedDocument().key("after").value("level0").endObject();

        final Map<String, Object> level0 = parse();
        assertEquals("3", level0.get("m").toString());
        assertEquals("level0", level0.get("after"));

        final Map<String, Object> level1 = JsonTree.parseObject((String)level0.get("o"));
        assertEquals(text, level1.get("s"));
        assertEquals("1", level1.get("n").toString());
        assertEquals("level1", level1.get("after"));

        final Map<String, Object> level2 = JsonTree.parseObject((String)level1.get("o"));
        assertEquals(text, level2.get("s"));
        assertEquals(List.of(text, text), level2.get("list"));
        assertEquals("0.00000001", level2.get("after").toString());

        final Map<String, Object> level3 = JsonTree.parseObject((String)level2.get("o"));
        assertEquals(text, level3.get("s"));
        assertEquals(Boolean.TRUE, level3.get("k\"\\ey"));
    }

    @Test
    void shouldWriteArraysOfObjectsInsideAnEmbeddedDocument()
    {
        out.wrap(buffer, 0).beginObject().key("o").beginEmbeddedDocument().beginArray();
        for (int i = 0; i < 3; i++)
        {
            out.beginObject().key("OrderId").value(i).key("Side").value("Sell").endObject();
        }
        out.endArray().endEmbeddedDocument().endObject();

        final Object payload = JsonTree.parse((String)parse().get("o"));

        assertEquals("[{OrderId=0, Side=Sell}, {OrderId=1, Side=Sell}, {OrderId=2, Side=Sell}]", payload.toString());
    }

    @Test
    void shouldReplaceLoneSurrogatesRatherThanWriteInvalidUtf8()
    {
        out.wrap(buffer, 0).beginObject()
            .key("high").value("a\uD83Db")
            .key("low").value("a\uDE00b")
            .key("end").value("a\uD83D")
            .endObject();

        final Map<String, Object> json = parse();

        assertEquals("a\uFFFDb", json.get("high"));
        assertEquals("a\uFFFDb", json.get("low"));
        assertEquals("a\uFFFD", json.get("end"));
    }

    @Test
    void shouldStartCleanAfterWrapEvenIfTheLastDocumentWasAbandoned()
    {
        out.wrap(buffer, 0).beginObject().key("a").value(1).key("o").beginEmbeddedDocument().beginObject().key("x");

        final int offset = 7;
        out.wrap(buffer, offset).beginObject().key("s").value("q\"").key("n").value(2).endObject();

        final String text = buffer.getStringWithoutLengthUtf8(offset, out.position() - offset);
        assertEquals("{\"s\":\"q\\\"\",\"n\":2}", text);
    }

    @Test
    void shouldWriteRandomTextAtRandomDepthsThatParsesBack()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int sample = 0; sample < 2_000; sample++)
        {
            final String text = randomText(random);
            final int depth = random.nextInt(5);

            out.wrap(buffer, 0);
            for (int level = 0; level < depth; level++)
            {
                out.beginObject().key("o").beginEmbeddedDocument();
            }
            out.beginObject().key("s").value(text).endObject();
            for (int level = 0; level < depth; level++)
            {
                out.endEmbeddedDocument().endObject();
            }

            Map<String, Object> json = parse();
            for (int level = 0; level < depth; level++)
            {
                json = JsonTree.parseObject((String)json.get("o"));
            }
            assertEquals(text, json.get("s"), "depth " + depth + ", sample " + sample);
        }
    }

    private static String randomText(final SplittableRandom random)
    {
        final int[] pool = {'"', '\\', '/', '\n', '\r', '\t', 0, 0x1f, 0x7f, 'a', 'Z', ' ', '{', '}', 0xe9, 0x20ac,
            0x2028, 0x1F600, 0x1D11E, 0xFFFF, 0x10FFFF};
        final StringBuilder sb = new StringBuilder();
        final int length = random.nextInt(12);
        for (int i = 0; i < length; i++)
        {
            final int codePoint = random.nextInt(3) == 0 ? random.nextInt(0x80) : pool[random.nextInt(pool.length)];
            sb.appendCodePoint(codePoint);
        }
        return sb.toString();
    }

    private Map<String, Object> parse()
    {
        final byte[] bytes = new byte[out.position()];
        buffer.getBytes(0, bytes);
        @SuppressWarnings("unchecked")
        final Map<String, Object> map = (Map<String, Object>)JsonTree.parse(bytes, 0, bytes.length);
        return map;
    }
}
