package io.headroom.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds an executable: an explicit path, else a system property or environment variable of the given
 * name (in that order), else the first match on {@code PATH}.
 */
final class Binaries {

    private Binaries() {
    }

    /**
     * Where an executable was found, or where it was looked for.
     *
     * @param path     the executable, if found
     * @param searched human-readable description of what was tried, for error messages
     */
    record Lookup(Optional<Path> path, String searched) {
    }

    static Lookup find(Path explicit, String variable, String... names) {
        if (explicit != null) {
            return check(explicit, "builder .binary(" + explicit + ")");
        }
        String property = System.getProperty(variable);
        if (property != null && !property.isBlank()) {
            return check(Path.of(property), "system property " + variable + "=" + property);
        }
        String env = System.getenv(variable);
        if (env != null && !env.isBlank()) {
            return check(Path.of(env), "environment variable " + variable + "=" + env);
        }
        String pathVariable = System.getenv("PATH");
        List<String> dirs = pathVariable == null ? List.of() : List.of(pathVariable.split(File.pathSeparator));
        List<String> tried = new ArrayList<>();
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return new Lookup(Optional.of(candidate), "PATH");
                }
            }
            tried.add(dir);
        }
        return new Lookup(Optional.empty(), String.join(" or ", names) + " on PATH " + tried
                + " (neither system property nor environment variable " + variable + " set)");
    }

    private static Lookup check(Path path, String source) {
        if (Files.isRegularFile(path) && Files.isExecutable(path)) {
            return new Lookup(Optional.of(path), source);
        }
        return new Lookup(Optional.empty(), source + ", which is not an executable file");
    }
}
