package io.headroom.bench;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daemon's metric samples as a bench reads them: from a registry in this JVM, or from a launched daemon's
 * {@code /metrics} (asked for one sample name at a time, so that a poll does not have the daemon write every
 * workload's gauges).
 */
interface Samples {

    /** One sample: its labels and value. */
    record Sample(Map<String, String> labels, double value) {}

    /** The samples named {@code name} (a histogram's {@code _count}, say), in the order they are exposed. */
    List<Sample> named(String name) throws IOException, InterruptedException;

    /** The samples of a registry in this JVM. */
    static Samples of(CollectorRegistry registry) {
        return name -> {
            List<Sample> out = new ArrayList<>();
            for (Collector.MetricFamilySamples family : Collections.list(registry.metricFamilySamples())) {
                for (Collector.MetricFamilySamples.Sample s : family.samples) {
                    if (s.name.equals(name)) {
                        Map<String, String> labels = new LinkedHashMap<>();
                        for (int i = 0; i < s.labelNames.size(); i++) {
                            labels.put(s.labelNames.get(i), s.labelValues.get(i));
                        }
                        out.add(new Sample(labels, s.value));
                    }
                }
            }
            return out;
        };
    }

    /** The samples a daemon serves at {@code metricsUrl} (its {@code /metrics}). */
    static Samples scraped(String metricsUrl) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return name -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(metricsUrl + "?name[]="
                    + URLEncoder.encode(name, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(metricsUrl + " answered " + r.statusCode());
            }
            return parse(r.body(), name);
        };
    }

    /** The samples named {@code name} in Prometheus' text format. */
    static List<Sample> parse(String text, String name) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                            .replace("\\\\", "\\"));
                }
            }
            out.add(new Sample(labels, number(m.group(3))));
        }
        return out;
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** {@code name{labels} value [timestamp]}. */
    Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?");
    Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the sample named {@code name} without labels, or NaN. */
    default double value(String name) throws IOException, InterruptedException {
        return named(name).stream().filter(s -> s.labels().isEmpty()).mapToDouble(Sample::value).findFirst()
                .orElse(Double.NaN);
    }

    /** The value of the sample named {@code name} whose only label is {@code label=labelValue}, or NaN. */
    default double value(String name, String label, String labelValue) throws IOException, InterruptedException {
        return named(name).stream().filter(s -> s.labels().equals(Map.of(label, labelValue)))
                .mapToDouble(Sample::value).findFirst().orElse(Double.NaN);
    }

    /** The sum of every sample named {@code name}. */
    default double sum(String name) throws IOException, InterruptedException {
        return named(name).stream().mapToDouble(Sample::value).sum();
    }

    /** Values of every sample named {@code name}, summed by the value of {@code label}. */
    default Map<String, Double> byLabel(String name, String label) throws IOException, InterruptedException {
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : named(name)) {
            out.merge(Objects.requireNonNullElse(s.labels().get(label), ""), s.value(), Double::sum);
        }
        return out;
    }
}
