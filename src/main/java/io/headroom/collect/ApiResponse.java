package io.headroom.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of a Prometheus API response envelope that the client checks, filled by {@link ApiResponseReader}.
 * Only the fields for the expected {@link ApiResponseReader.Shape} are filled.
 */
final class ApiResponse {
    String status;
    String errorType;
    String error;
    String resultType;
    /** Result objects that carried {@code values} (matrix). */
    final List<Series> series = new ArrayList<>();
    /** Result objects that carried {@code value} (vector). */
    final List<Sample> samples = new ArrayList<>();
    /** A result that was a bare {@code [time, "value"]} pair (scalar or string). */
    Sample scalar;
    /** The data of /api/v1/series. */
    final List<Map<String, String>> labelSets = new ArrayList<>();
    /** The data of /api/v1/label/.../values. */
    final List<String> strings = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    /** "errorType: error", or just whichever part is present, or null if neither is. */
    String errorText() {
        if (errorType == null && error == null) {
            return null;
        }
        if (errorType == null || error == null) {
            return errorType == null ? error : errorType;
        }
        return errorType + ": " + error;
    }
}
