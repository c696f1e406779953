package io.headroom.collect;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Writes a {@link FeatureMatrix} as CSV (RFC 4180), for offline analysis and for checking what the detector saw.
 *
 * <p>Format:
 * <ul>
 *   <li>Header {@code timestamp,workload,<feature1>,<feature2>,...} in the matrix's feature order.
 *   <li>One row per workload per step, ordered by timestamp, then by workload name.
 *   <li>{@code timestamp} is RFC 3339 in UTC with seconds, e.g. {@code 2026-01-02T03:04:05Z}; a fraction of a
 *       second is written only for grids with sub-second steps, e.g. {@code 2026-01-02T03:04:05.500Z}.
 *   <li>A missing value is an empty field. Other values are the shortest decimal that reads back as the same
 *       double: whole numbers without {@code .0} ({@code 1234}), plain notation for magnitudes from 1e-6 up to
 *       1e21 ({@code 0.5}), and {@code 1.5E-7} style outside that range. Infinities (which the collector never produces) are
 *       {@code +Inf} and {@code -Inf}, as Prometheus writes them.
 *   <li>Fields holding a comma, a quote or a line break are quoted, with quotes doubled.
 *   <li>Lines end with {@code \n}.
 * </ul>
 */
public final class FeatureMatrixCsv {

    private FeatureMatrixCsv() {}

    /** Writes {@code matrix} to {@code out}; does not close or flush it. */
    public static void write(FeatureMatrix matrix, Writer out) throws IOException {
        StringBuilder line = new StringBuilder(256);
        line.append("timestamp,workload");
        for (String feature : matrix.features()) {
            line.append(',').append(field(feature));
        }
        out.write(line.append('\n').toString());
        int features = matrix.features().size();
        for (int s = 0; s < matrix.grid().size(); s++) {
            String timestamp = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(matrix.grid().timestampAt(s)));
            for (int w = 0; w < matrix.workloads().size(); w++) {
                line.setLength(0);
                line.append(timestamp).append(',').append(field(matrix.workloads().get(w)));
                for (int f = 0; f < features; f++) {
                    line.append(',');
                    double v = matrix.value(w, s, f);
                    if (Double.isInfinite(v)) {
                        line.append(v > 0 ? "+Inf" : "-Inf");
                    } else if (!Double.isNaN(v)) {
                        line.append(ShortestDouble.format(v));
                    }
                }
                out.write(line.append('\n').toString());
            }
        }
    }

    /** {@code text} as one RFC 4180 field: quoted, with quotes doubled, only if it holds a comma, quote or line break. */
    public static String field(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
