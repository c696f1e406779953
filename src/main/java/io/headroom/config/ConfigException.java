package io.headroom.config;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, each as {@code key.path: what is wrong (got X)},
 * so that one run of {@code check-config} shows them all.
 */
public final class ConfigException extends Exception {

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String keyPath, String message) {
        this(List.of(new Problem(keyPath, message)));
    }

    /** The problems, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    /**
     * One problem at one key.
     *
     * @param keyPath dotted path from the document root, with list indexes, e.g. {@code features.custom[2].query}
     * @param message what is wrong and what was expected, ending with {@code (got X)} where a value was present
     */
    public record Problem(String keyPath, String message) {
        @Override
        public String toString() {
            return (keyPath.isEmpty() ? "<root>" : keyPath) + ": " + message;
        }
    }
}
