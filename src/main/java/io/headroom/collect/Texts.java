package io.headroom.collect;

/** Small helpers to keep server-provided text readable and bounded inside exception messages. */
final class Texts {

    private Texts() {}

    /** {@code text} on one line, cut to {@code max} characters with an ellipsis. */
    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "…";
    }
}
