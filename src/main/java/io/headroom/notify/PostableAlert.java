package io.headroom.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One alert in the body of Alertmanager's {@code POST /api/v2/alerts}: identified by its labels; {@code endsAt}
 * in the future means "firing until then unless re-posted", in the past or now means resolved.
 */
record PostableAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
                     Optional<String> generatorUrl) {

    PostableAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** The JSON object of the API's {@code postableAlert}; generatorURL is left out when there is no link. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", labels);
        json.put("annotations", annotations);
        json.put("startsAt", startsAt.toString());
        json.put("endsAt", endsAt.toString());
        // The API validates generatorURL as a URI, so an empty string would be refused.
        generatorUrl.ifPresent(u -> json.put("generatorURL", u));
        return json;
    }
}
