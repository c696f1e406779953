package io.headroom.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One series of feature rows read from CSV, as {@code headroom score} takes it: a header, an optional first column
 * named {@code timestamp} (RFC 3339 or unix seconds), then numeric feature columns. An empty field, {@code NaN} or an
 * infinity is a missing value, as in the {@code features} output.
 *
 * <p>Numbers are checked against a strict decimal pattern rather than {@link Double#parseDouble} alone, which would
 * also take {@code 1d}, {@code 0x1p3} or {@code Infinity}: a value that is probably a mistake must stop the run.
 *
 * @param file       the path as given, for messages
 * @param features   feature column names, in file order
 * @param values     row-major, {@code features.size()} per row, NaN = missing
 * @param rows       data rows
 * @param timestamps per row, epoch milliseconds, strictly increasing; null when the file has no timestamp column
 * @param lines      per row, its line number in the file (the header is line 1), for messages
 */
record SeriesCsv(String file, List<String> features, double[] values, int rows, long[] timestamps, int[] lines) {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern UNIX_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Set<String> MISSING = Set.of("", "nan", "+inf", "-inf", "inf");

    /** Reads {@code path}; every problem names the file, and the line and column where it is. */
    static SeriesCsv read(Path path) throws IOException, InputException {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new InputException(file + ": no such file");
        }
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || header.isBlank()) {
                throw new InputException(file + ": empty, expected a header line");
            }
            List<String> names = split(header, file, 1);
            boolean timed = names.get(0).equals("timestamp");
            List<String> features = names.subList(timed ? 1 : 0, names.size());
            checkHeader(features, file);
            int nf = features.size();
            double[] values = new double[1024 * nf];
            long[] times = new long[timed ? 1024 : 0];
            int[] lines = new int[1024];
            int rows = 0;
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = split(line, file, lineNo);
                if (fields.size() != names.size()) {
                    throw new InputException(file + " line " + lineNo + ": " + fields.size() + " fields, the header has "
                            + names.size());
                }
                if (rows == lines.length) {
                    values = Arrays.copyOf(values, 2 * values.length);
                    lines = Arrays.copyOf(lines, 2 * lines.length);
                    times = timed ? Arrays.copyOf(times, 2 * times.length) : times;
                }
                if (timed) {
                    times[rows] = time(fields.get(0), file, lineNo);
                    if (rows > 0 && times[rows] <= times[rows - 1]) {
                        throw new InputException(file + " line " + lineNo + ": timestamp " + fields.get(0)
                                + " is not after the previous row's: rows must be in time order");
                    }
                }
                for (int f = 0; f < nf; f++) {
                    values[rows * nf + f] = number(fields.get(f + (timed ? 1 : 0)), file, lineNo, f + (timed ? 2 : 1),
                            features.get(f));
                }
                lines[rows] = lineNo;
                rows++;
            }
            if (rows == 0) {
                throw new InputException(file + ": no data rows after the header");
            }
            return new SeriesCsv(file, List.copyOf(features), Arrays.copyOf(values, rows * nf), rows,
                    timed ? Arrays.copyOf(times, rows) : null, Arrays.copyOf(lines, rows));
        }
    }

    private static void checkHeader(List<String> features, String file) throws InputException {
        if (features.isEmpty()) {
            throw new InputException(file + " line 1: no feature columns in the header");
        }
        Set<String> seen = new HashSet<>();
        for (int f = 0; f < features.size(); f++) {
            String name = features.get(f);
            if (name.isBlank()) {
                throw new InputException(file + " line 1: feature column " + (f + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw new InputException(file + " line 1: column \"" + name + "\" appears twice");
            }
            if (name.equals("timestamp")) {
                throw new InputException(file + " line 1: \"timestamp\" may only be the first column");
            }
        }
    }

    private static double number(String field, String file, int line, int column, String name) throws InputException {
        String v = field.trim();
        if (MISSING.contains(v.toLowerCase(Locale.ROOT))) {
            return Double.NaN;
        }
        if (NUMBER.matcher(v).matches()) {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw new InputException(file + " line " + line + ", column " + column + " (" + name + "): \"" + field
                + "\" is not a number (use a decimal such as 0.25 or 1e6; empty or NaN for a missing value)");
    }

    private static long time(String field, String file, int line) throws InputException {
        String v = field.trim();
        try {
            if (UNIX_SECONDS.matcher(v).matches()) {
                return new BigDecimal(v).movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
            }
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InputException(file + " line " + line + ", column 1 (timestamp): \"" + field
                    + "\" is not a time (use RFC 3339 such as 2026-11-28T10:00:00Z, or unix seconds)");
        }
    }

    /** A field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
    static String field(String text) {
        if (text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** Splits one RFC 4180 line: fields may be quoted, with quotes doubled inside. */
    static List<String> split(String line, String file, int lineNo) throws InputException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new InputException(file + " line " + lineNo + ": unterminated quoted field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new InputException(file + " line " + lineNo + ": text after a closing quote");
                }
            } else {
                int end = line.indexOf(',', i);
                end = end < 0 ? line.length() : end;
                field.append(line, i, end);
                i = end;
            }
            out.add(field.toString());
            if (i >= line.length()) {
                return out;
            }
            i++; // the comma
        }
    }
}
