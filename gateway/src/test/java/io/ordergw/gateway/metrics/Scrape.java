package io.ordergw.gateway.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of /metrics, read the way Prometheus reads the text format: families with their TYPE and HELP, and
 * samples with their labels.
 */
final class Scrape
{
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A sample: its name, labels and value. */
    static final class Sample
    {
        final String name;
        final Map<String, String> labels;
        final double value;

        Sample(final String name, final Map<String, String> labels, final double value)
        {
            this.name = name;
            this.labels = labels;
            this.value = value;
        }
    }

    final String text;
    final String contentType;
    final Map<String, String> types = new LinkedHashMap<>();
    final Map<String, String> help = new HashMap<>();
    final List<Sample> samples = new ArrayList<>();

    private Scrape(final String text, final String contentType)
    {
        this.text = text;
        this.contentType = contentType;
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ", 4);
                types.put(parts[2], parts[3]);
            }
            else if (line.startsWith("# HELP "))
            {
                final String[] parts = line.split(" ", 4);
                help.put(parts[2], parts.length > 3 ? parts[3] : "");
            }
            else if (!line.isEmpty() && !line.startsWith("#"))
            {
                final Matcher m = SAMPLE.matcher(line);
                if (!m.matches())
                {
                    throw new AssertionError("not a sample line: " + line);
                }
                final Map<String, String> labels = new HashMap<>();
                if (m.group(3) != null)
                {
                    final Matcher l = LABEL.matcher(m.group(3));
                    while (l.find())
                    {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
        }
    }

    /**
     * Scrape a gateway.
     *
     * @param httpUrl the gateway's HTTP base URL.
     * @return the scrape.
     * @throws Exception on failure.
     */
    static Scrape of(final String httpUrl) throws Exception
    {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(httpUrl + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200)
        {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return new Scrape(response.body(), response.headers().firstValue("content-type").orElse(""));
    }

    /**
     * Samples of a name whose labels include the given ones.
     *
     * @param name        the sample name (with _total, _bucket... as written).
     * @param labelValues label, value, label, value...
     * @return the matching samples.
     */
    List<Sample> find(final String name, final String... labelValues)
    {
        final List<Sample> found = new ArrayList<>();
        for (final Sample s : samples)
        {
            if (!s.name.equals(name))
            {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < labelValues.length; i += 2)
            {
                match &= labelValues[i + 1].equals(s.labels.get(labelValues[i]));
            }
            if (match)
            {
                found.add(s);
            }
        }
        return found;
    }

    /**
     * The one sample of a name with the given labels.
     *
     * @param name        the sample name.
     * @param labelValues label, value...
     * @return its value.
     */
    double value(final String name, final String... labelValues)
    {
        final List<Sample> found = find(name, labelValues);
        if (found.size() != 1)
        {
            throw new AssertionError(found.size() + " samples of " + name + " " + String.join(",", labelValues) +
                " in\n" + text);
        }
        return found.get(0).value;
    }
}
