package io.headroom.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeMap;

/**
 * Every status answer a test saw from a running daemon, by cycle number: the API describes one cycle at a time,
 * so assertions over a run (held until, never changed) read them all afterwards.
 */
final class SeenCycles extends TreeMap<Long, JsonNode> {

    /** Fetches the status and files it under its cycle number. */
    JsonNode observe(String base) throws Exception {
        JsonNode s = RunningDaemon.status(base);
        put(s.path("cycle").path("number").asLong(), s);
        return s;
    }
}
