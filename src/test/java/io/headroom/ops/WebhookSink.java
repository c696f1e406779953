package io.headroom.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a pager and a chat: an HTTP server that records every webhook notification Alertmanager POSTs,
 * by path ({@code /pager}, {@code /chat}, ...), with the time it arrived.
 */
final class WebhookSink implements AutoCloseable {

    /** One notification: Alertmanager's webhook body (format version 4). */
    record Notification(String path, Instant received, JsonNode body) {}

    /** One alert of a notification, with where and when it arrived. */
    record Received(String path, Instant received, String status, JsonNode alert) {
        String label(String name) {
            return alert.path("labels").path(name).asText("");
        }

        String annotation(String name) {
            return alert.path("annotations").path(name).asText("");
        }
    }

    private final HttpServer server;
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();

    WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = Http.JSON.readTree(in.readAllBytes());
                notifications.add(new Notification(exchange.getRequestURI().getPath(), Instant.now(), body));
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every alert received so far at {@code path} named {@code alertname}, oldest first. */
    List<Received> alerts(String path, String alertname) {
        List<Received> out = new ArrayList<>();
        for (Notification n : notifications) {
            if (!n.path().equals(path)) {
                continue;
            }
            for (JsonNode a : n.body().path("alerts")) {
                if (a.path("labels").path("alertname").asText().equals(alertname)) {
                    out.add(new Received(n.path(), n.received(), a.path("status").asText(), a));
                }
            }
        }
        return out;
    }

    /** Every alert named {@code alertname} received anywhere. */
    List<Received> alertsAnywhere(String alertname) {
        List<Received> out = new ArrayList<>();
        for (String path : notifications.stream().map(Notification::path).distinct().toList()) {
            out.addAll(alerts(path, alertname));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
