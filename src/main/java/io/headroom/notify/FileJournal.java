package io.headroom.notify;

import io.headroom.config.RotationConfig;
import io.headroom.journal.RotatingJournal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link FailureLog}'s journal on disk: a {@link RotatingJournal}, so that each accepted webhook call is on disk before
 * it is answered, the file cannot grow without bound, and a torn line is skipped at replay.
 */
final class FileJournal implements Journal {

    private final RotatingJournal file;

    FileJournal(Path file, RotationConfig rotation) {
        this.file = new RotatingJournal(file, rotation);
    }

    /** With the default rotation of the failure log. */
    FileJournal(Path file) {
        this(file, RotationConfig.FAILURES_DEFAULT);
    }

    @Override
    public List<String> readAll(RotatingJournal.CorruptLines corrupt) throws IOException {
        return file.readAll(corrupt);
    }

    @Override
    public void append(List<String> lines) throws IOException {
        file.append(lines);
    }

    @Override
    public void close() {
        // Nothing held open: the file is opened per append.
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
