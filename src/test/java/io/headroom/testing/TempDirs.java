package io.headroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Temporary directories of the extensions. */
final class TempDirs {

    private TempDirs() {
    }

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * Deletes {@code root} and everything below it, except the existing files among {@code keep}, which are left
     * for inspection after a failure. Best effort: files that cannot be deleted are left behind.
     */
    static void delete(Path root, Path... keep) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        for (Path path : paths) {
            try {
                if (Arrays.asList(keep).contains(path) || (Files.isDirectory(path) && !isEmpty(path))) {
                    continue;
                }
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Best effort; a leftover temp file must not hide the test result.
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
