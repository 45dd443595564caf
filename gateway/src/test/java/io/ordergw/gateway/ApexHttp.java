package io.ordergw.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * APEX over HTTP for tests, on the JDK's own HTTP client: {@code POST /AP/{Function}} with the bare payload.
 */
public final class ApexHttp
{
    /** An answer: the status and the body, parsed. */
    public static final class Response
    {
        public final int status;
        public final String body;
        public final Object json;

        Response(final int status, final String body, final boolean isJson)
        {
            this.status = status;
            this.body = body;
            this.json = isJson && !body.isEmpty() ? ApexClient.parse(body) : null;
        }

        /**
         * The body as an object.
         *
         * @return the map.
         */
        @SuppressWarnings("unchecked")
        public Map<String, Object> payload()
        {
            return (Map<String, Object>)json;
        }

        /**
         * The body as an array of objects.
         *
         * @return the list.
         */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> payloadList()
        {
            return (List<Map<String, Object>>)json;
        }

        @Override
        public String toString()
        {
            return status + " " + body;
        }
    }

    private final HttpClient client;
    private final String baseUrl;

    /**
     * A client of one gateway.
     *
     * @param baseUrl http://host:port.
     */
    public ApexHttp(final String baseUrl)
    {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    /**
     * POST a payload to a function.
     *
     * @param function the function name.
     * @param payload  the bare payload JSON.
     * @param headers  header names and values, alternating.
     * @return the answer.
     * @throws Exception on failure.
     */
    public Response post(final String function, final String payload, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/AP/" + function))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        for (int k = 0; k < headers.length; k += 2)
        {
            request.header(headers[k], headers[k + 1]);
        }
        final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        final boolean isJson = response.headers().firstValue("content-type").orElse("").contains("json");
        return new Response(response.statusCode(), response.body(), isJson);
    }

    /**
     * GET a function with a query string (docs/api.md section 4.1).
     *
     * @param functionAndQuery e.g. {@code GetOpenOrders?OMSId=1&AccountId=1}.
     * @param headers          header names and values, alternating.
     * @return the answer.
     * @throws Exception on failure.
     */
    public Response get(final String functionAndQuery, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/AP/" + functionAndQuery))
            .timeout(Duration.ofSeconds(15))
            .GET();
        for (int k = 0; k < headers.length; k += 2)
        {
            request.header(headers[k], headers[k + 1]);
        }
        final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        final boolean isJson = response.headers().firstValue("content-type").orElse("").contains("json");
        return new Response(response.statusCode(), response.body(), isJson);
    }

    /**
     * POST with a session token in the {@code aptoken} header.
     *
     * @param function the function name.
     * @param payload  the bare payload JSON.
     * @param token    the session token.
     * @return the answer.
     * @throws Exception on failure.
     */
    public Response postAs(final String token, final String function, final String payload) throws Exception
    {
        return post(function, payload, "aptoken", token);
    }

    /**
     * Log in with AuthenticateUser and a payload; the session token.
     *
     * @param user     user name.
     * @param password password.
     * @return the SessionToken.
     * @throws Exception on failure.
     */
    public String login(final String user, final String password) throws Exception
    {
        final Response response = post("AuthenticateUser",
            "{\"UserName\":" + ApexClient.quote(user) + ",\"Password\":" + ApexClient.quote(password) + "}");
        if (response.status != 200 || !Boolean.TRUE.equals(response.payload().get("Authenticated")))
        {
            throw new AssertionError("HTTP login failed for " + user + ": " + response);
        }
        return (String)response.payload().get("SessionToken");
    }

    /**
     * An {@code Authorization: Basic} header value.
     *
     * @param user     user name.
     * @param password password.
     * @return the header value.
     */
    public static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
