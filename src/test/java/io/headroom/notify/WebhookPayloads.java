package io.headroom.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhook bodies in Alertmanager's format version 4, shaped like what Alertmanager 0.25 sends. */
final class WebhookPayloads {

    static final ObjectMapper JSON = new ObjectMapper();
    /** What Go's zero time looks like in Alertmanager's JSON: the endsAt of a firing alert. */
    static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private WebhookPayloads() {}

    static Map<String, Object> alert(String status, Map<String, String> labels, Instant startsAt, Instant endsAt,
                                     String fingerprint) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", status);
        a.put("labels", labels);
        a.put("annotations", Map.of("summary", "the service is down"));
        a.put("startsAt", startsAt.toString());
        a.put("endsAt", endsAt == null ? GO_ZERO_TIME : endsAt.toString());
        a.put("generatorURL", "http://prometheus:9090/graph?g0.expr=up+%3D%3D+0");
        a.put("fingerprint", fingerprint);
        return a;
    }

    static Map<String, Object> firing(String workload, Instant startsAt, String fingerprint) {
        return alert("firing", Map.of("alertname", "ServiceDown", "domain", workload), startsAt, null, fingerprint);
    }

    static Map<String, Object> resolved(String workload, Instant startsAt, Instant endsAt, String fingerprint) {
        return alert("resolved", Map.of("alertname", "ServiceDown", "domain", workload), startsAt, endsAt, fingerprint);
    }

    static Map<String, Object> notification(List<Map<String, Object>> alerts) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("receiver", "headroom");
        n.put("status", alerts.stream().anyMatch(a -> a.get("status").equals("firing")) ? "firing" : "resolved");
        n.put("alerts", alerts);
        n.put("groupLabels", Map.of("alertname", "ServiceDown"));
        n.put("commonLabels", Map.of("alertname", "ServiceDown"));
        n.put("commonAnnotations", Map.of());
        n.put("externalURL", "http://alertmanager:9093");
        n.put("version", "4");
        n.put("groupKey", "{}:{alertname=\"ServiceDown\"}");
        n.put("truncatedAlerts", 0);
        return n;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
