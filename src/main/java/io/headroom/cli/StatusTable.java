package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.config.ByteSizes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code headroom status}'s table, from the status API's JSON (see {@link WorkloadsJson}). Reads the JSON
 * leniently, field by field, so that a newer daemon with more fields still prints.
 */
final class StatusTable {

    private static final String[] HEADER = {"WORKLOAD", "SCORE", "TIER", "VCPUS", "MEMORY", "LAST CHANGE", "MODE", "NOTE"};
    /** Columns aligned right: numbers. */
    private static final boolean[] RIGHT = {false, true, false, false, false, false, false, false};

    private StatusTable() {}

    /**
     * One line saying which cycle it describes, then a header and one row per workload. VCPUS and MEMORY are
     * "now/baseline".
     */
    static String render(JsonNode status) {
        JsonNode cycle = status.path("cycle");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cycle %s at %s, mode %s, %d workload(s)%n", cycle.path("number").asText("?"),
                cycle.path("at").asText("?"), status.path("mode").asText("?"), status.path("workloads").size()));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode w : status.path("workloads")) {
            rows.add(row(w));
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(RIGHT[c] ? pad + r[c] : r[c] + pad);
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String[] row(JsonNode w) {
        JsonNode now = w.path("current");
        JsonNode base = w.path("baseline");
        return new String[] {
            w.path("name").asText(),
            score(w.path("score")),
            w.path("tier").asText("-"),
            pair(vcpus(now), vcpus(base)),
            pair(memory(now.path("memory_bytes")), memory(base.path("memory_bytes"))),
            change(w.path("last_change")),
            w.path("mode").asText("-"),
            note(w),
        };
    }

    static String score(JsonNode s) {
        if (!s.isNumber()) {
            return "-";
        }
        double v = s.asDouble();
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String vcpus(JsonNode allocation) {
        return allocation.path("vcpus").isNumber() ? allocation.path("vcpus").asText() : "-";
    }

    private static String pair(String now, String base) {
        return now + "/" + base;
    }

    /** Whole units as they are ({@code 2GiB}, {@code 2663MiB}); anything else to a tenth of a GiB or a whole MiB. */
    static String memory(JsonNode bytes) {
        if (!bytes.isNumber()) {
            return "-";
        }
        long b = bytes.asLong();
        if (b % (1L << 20) == 0) {
            return ByteSizes.format(b);
        }
        return b >= 1L << 30
                ? String.format(Locale.ROOT, "%.1fGiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%dMiB", Math.round(b / (double) (1L << 20)));
    }

    /** {@code 2026-11-28T10:00:00Z vcpus 2->3 memory 2GiB->2663MiB applied}, or {@code -} if there was none. */
    static String change(JsonNode c) {
        if (!c.isObject()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(time(c.path("at").asText("?")));
        JsonNode from = c.path("from");
        JsonNode to = c.path("to");
        if (from.isObject() && to.isObject()) {
            if (!from.path("vcpus").equals(to.path("vcpus"))) {
                sb.append(" vcpus ").append(vcpus(from)).append("->").append(vcpus(to));
            }
            if (!from.path("memory_bytes").equals(to.path("memory_bytes"))) {
                sb.append(" memory ").append(memory(from.path("memory_bytes"))).append("->")
                        .append(memory(to.path("memory_bytes")));
            }
        }
        if (c.path("result").isTextual()) {
            sb.append(' ').append(c.path("result").asText());
        }
        return sb.toString();
    }

    /** RFC 3339 to the second: the table has no room for the cycle's milliseconds. */
    private static String time(String t) {
        try {
            return Instant.parse(t).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return t;
        }
    }

    private static String note(JsonNode w) {
        List<String> notes = new ArrayList<>();
        String outcome = w.path("outcome").asText("");
        if (!outcome.isEmpty() && !outcome.equals("decided")) {
            notes.add(outcome.replace('_', ' '));
        }
        if (w.path("outcome").isNull()) {
            notes.add("not reached");
        }
        if (w.path("opted_out").asBoolean(false)) {
            notes.add("opted out");
        }
        if (!w.path("score").isNumber()) {
            notes.add("no score");
        }
        return notes.isEmpty() ? "" : String.join(", ", notes);
    }
}
