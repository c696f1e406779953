package io.headroom.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads the end of a server log for failure messages. */
final class LogFiles {

    static final int TAIL_LINES = 40;

    private LogFiles() {
    }

    /**
     * Returns the last {@link #TAIL_LINES} lines of {@code log} after byte {@code from}, framed for an exception
     * message, or a note saying why there are none.
     */
    static String tail(Path log, long from) {
        String text = read(log, from);
        if (text.isBlank()) {
            return "\nfull log: " + log + "\n(nothing logged)";
        }
        String[] lines = text.split("\n");
        String[] last = Arrays.copyOfRange(lines, Math.max(0, lines.length - TAIL_LINES), lines.length);
        return "\nfull log: " + log + "\n--- last " + last.length + " lines ---\n" + String.join("\n", last)
                + "\n--- end of log ---";
    }

    /** Returns the log from byte {@code from} on, or "" if it cannot be read. */
    static String read(Path log, long from) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int start = (int) Math.min(Math.max(from, 0), bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
