package io.ordergw.gateway.net;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The payload of {@code GET /AP/{Function}?Key=Value&...} (api.md section 4.1): the query string as the JSON object
 * the same request would POST, every value a JSON string ({@code ?OMSId=1} is {@code {"OMSId":"1"}}), which the
 * payload readers take wherever they take a number. A key given twice stays twice, so it is refused like a key
 * repeated in JSON; letter case is left to the readers, which ignore it.
 */
final class HttpQueryPayload
{
    private HttpQueryPayload()
    {
    }

    /**
     * The JSON object of a request URI's query string ({@code {}} when it has none).
     *
     * @param uri the request URI, path and query.
     * @return UTF-8 JSON, or null if the query string's percent-encoding is malformed.
     */
    static byte[] toJson(final String uri)
    {
        final Map<String, List<String>> parameters;
        try
        {
            parameters = new QueryStringDecoder(uri, StandardCharsets.UTF_8).parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        final JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        final StringBuilder json = new StringBuilder(64).append('{');
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet())
        {
            for (final String value : parameter.getValue())
            {
                if (json.length() > 1)
                {
                    json.append(',');
                }
                json.append('"').append(encoder.quoteAsString(parameter.getKey())).append("\":\"")
                    .append(encoder.quoteAsString(value)).append('"');
            }
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
