package io.headroom.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads Alertmanager's webhook body, format version 4: {@code version}, {@code groupKey}, {@code status} and
 * {@code alerts[]}, each alert with {@code status}, {@code labels}, {@code startsAt}, {@code endsAt} and
 * {@code fingerprint}. Errors name the field, e.g. {@code alerts[2].startsAt: must be an RFC 3339 time (got "x")}.
 */
final class WebhookPayload {

    /** The only format version Alertmanager has sent since 0.9; a different one means a different schema. */
    static final String VERSION = "4";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The failure signals of one notification.
     *
     * @param signals one per alert carrying the workload label, in payload order
     * @param ignored alerts without the workload label (routed here but about no workload)
     */
    record Parsed(List<FailureSignal> signals, int ignored) {}

    private WebhookPayload() {}

    static Parsed parse(byte[] body, String workloadLabel) throws InvalidPayloadException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidPayloadException("body is not valid JSON" + where + ": "
                    + HttpFailures.abbreviate(e.getOriginalMessage(), 200));
        } catch (IOException e) {
            throw new InvalidPayloadException("body cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidPayloadException("body must be a JSON object, Alertmanager's webhook format (got "
                    + describe(root) + ")");
        }
        JsonNode version = root.get("version");
        if (version == null) {
            throw new InvalidPayloadException("version: missing; this endpoint takes Alertmanager's webhook format"
                    + " version \"" + VERSION + "\"");
        }
        if (!version.isTextual() || !version.asText().equals(VERSION)) {
            throw new InvalidPayloadException("version: must be \"" + VERSION + "\" (got " + describe(version) + ")");
        }
        text(root, "groupKey", "groupKey");
        status(root, "status");
        JsonNode alerts = root.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw new InvalidPayloadException("alerts: must be a list (got " + describe(alerts) + ")");
        }
        List<FailureSignal> signals = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < alerts.size(); i++) {
            Optional<FailureSignal> s = alert(alerts.get(i), "alerts[" + i + "]", workloadLabel);
            if (s.isPresent()) {
                signals.add(s.get());
            } else {
                ignored++;
            }
        }
        return new Parsed(signals, ignored);
    }

    private static Optional<FailureSignal> alert(JsonNode a, String path, String workloadLabel)
            throws InvalidPayloadException {
        if (!a.isObject()) {
            throw new InvalidPayloadException(path + ": must be an object (got " + describe(a) + ")");
        }
        boolean resolved = status(a, path + ".status").equals("resolved");
        JsonNode labels = a.get("labels");
        if (labels == null || !labels.isObject()) {
            throw new InvalidPayloadException(path + ".labels: must be an object of label names to values (got "
                    + describe(labels) + ")");
        }
        String fingerprint = text(a, "fingerprint", path + ".fingerprint");
        if (fingerprint.isEmpty()) {
            throw new InvalidPayloadException(path + ".fingerprint: must not be empty (got \"\")");
        }
        Instant start = time(a, "startsAt", path);
        Optional<Instant> end = Optional.empty();
        if (resolved) {
            Instant e = time(a, "endsAt", path);
            if (e.isBefore(start)) {
                throw new InvalidPayloadException(path + ".endsAt: must not be before startsAt " + start + " (got "
                        + e + ")");
            }
            end = Optional.of(e);
        }
        String workload = labels.path(workloadLabel).isTextual() ? labels.get(workloadLabel).asText() : "";
        if (workload.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FailureSignal(fingerprint, workload, labels.path("alertname").asText(""), start, end));
    }

    private static String status(JsonNode o, String path) throws InvalidPayloadException {
        JsonNode s = o.get("status");
        if (s == null || !s.isTextual() || !(s.asText().equals("firing") || s.asText().equals("resolved"))) {
            throw new InvalidPayloadException(path + ": must be \"firing\" or \"resolved\" (got " + describe(s) + ")");
        }
        return s.asText();
    }

    private static String text(JsonNode o, String field, String path) throws InvalidPayloadException {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new InvalidPayloadException(path + ": missing");
        }
        if (!v.isTextual()) {
            throw new InvalidPayloadException(path + ": must be a string (got " + describe(v) + ")");
        }
        return v.asText();
    }

    private static Instant time(JsonNode o, String field, String path) throws InvalidPayloadException {
        String text = text(o, field, path + "." + field);
        try {
            // Alertmanager writes Go's RFC 3339 with nanoseconds and the server's offset; Instant.parse takes both.
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidPayloadException(path + "." + field + ": must be an RFC 3339 time such as"
                    + " 2026-03-01T10:00:00Z (got \"" + HttpFailures.abbreviate(text, 60) + "\")");
        }
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        return n.isTextual() ? "\"" + HttpFailures.abbreviate(n.asText(), 60) + "\"" : n.toString();
    }
}
