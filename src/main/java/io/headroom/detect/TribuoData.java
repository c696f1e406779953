package io.headroom.detect;

/**
 * How flat rows are named for Tribuo. Column {@code j} is named {@link #name(int)}, zero-padded so that Tribuo's
 * name-sorted feature ids equal column indices and the fast path can score the same flat rows.
 */
final class TribuoData {

    private TribuoData() {}

    static String name(int j) {
        return String.format("c%05d", j);
    }
}
