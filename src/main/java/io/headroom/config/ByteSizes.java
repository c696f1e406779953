package io.headroom.config;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes such as {@code 512MiB}, {@code 2GiB}, {@code 1.5GB} or a plain byte count. Binary units (KiB, MiB,
 * GiB, TiB) are powers of 1024, decimal units (kB, MB, GB, TB) powers of 1000, as libvirt and the kernel
 * report them.
 */
public final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KiB|MiB|GiB|TiB|kB|KB|MB|GB|TB)?");

    private ByteSizes() {}

    /** Parses a size in bytes, or empty if the text is not one or is not a whole number of bytes. */
    public static Optional<Long> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "kB", "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            return Optional.of(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** Formats bytes with the largest binary unit that divides them exactly (e.g. {@code 512MiB}). */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long u = 1L << shifts[i];
            if (bytes != 0 && bytes % u == 0) {
                return (bytes / u) + units[i];
            }
        }
        return bytes + "B";
    }
}
