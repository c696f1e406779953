package io.headroom.journal;

import io.headroom.config.RotationConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JSON-lines file appended with one write and one fsync per batch, rotated by size.
 *
 * <p>Before an append that would take the file past {@link RotationConfig#maxBytes()}, the file becomes
 * {@code <name>.1}, older ones shift up, and the one past {@link RotationConfig#keep()} is deleted; the directory is
 * fsynced so the renames survive a power cut. A batch is never split across files. A line cut short by a crash is
 * tolerated: the next append starts on a fresh line, and {@link #readAll} skips it, as it skips a line that is not
 * UTF-8 (a torn multi-byte character), reporting each to its caller instead of refusing to start.
 *
 * <p>The file is opened per append: appends are rare (a change, a webhook call), and so no descriptor outlives a
 * rotation or needs closing. Thread-safe for one instance per file.
 */
public final class RotatingJournal {

    /** A line {@link #readAll} skipped: where it was and why. */
    public record CorruptLine(Path file, int line, String reason) {}

    /** Receives each skipped line. */
    @FunctionalInterface
    public interface CorruptLines {
        void skipped(CorruptLine line);
    }

    private final Path file;
    private final RotationConfig rotation;

    public RotatingJournal(Path file, RotationConfig rotation) {
        this.file = Objects.requireNonNull(file, "file");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    public Path file() {
        return file;
    }

    /** The {@code n}th rotated file, 1 the newest. */
    public Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Appends lines (each without its newline) and returns once they are on disk; rotates first if needed. */
    public synchronized void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (size > 0 && size + bytes.length > rotation.maxBytes()) {
            rotate(dir);
            size = 0;
        }
        boolean midLine = size > 0 && endsMidLine(file, size);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            if (midLine) {
                writeFully(ch, new byte[] {'\n'});
            }
            writeFully(ch, bytes);
            ch.force(false);
        }
    }

    private void rotate(Path dir) throws IOException {
        Files.deleteIfExists(rotated(rotation.keep()));
        for (int i = rotation.keep() - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /**
     * Every complete, decodable, non-blank line, oldest first: the rotated files from the oldest kept, then the
     * current one. Lines that are not UTF-8 go to {@code corrupt} instead.
     */
    public synchronized List<String> readAll(CorruptLines corrupt) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = rotation.keep(); i >= 1; i--) {
            read(rotated(i), out, corrupt);
        }
        read(file, out, corrupt);
        return out;
    }

    private static void read(Path path, List<String> out, CorruptLines corrupt) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        int lineNo = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            if (i > start) {
                try {
                    CharBuffer line = utf8.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
                    if (!line.toString().isBlank()) {
                        out.add(line.toString());
                    }
                } catch (CharacterCodingException e) {
                    corrupt.skipped(new CorruptLine(path, lineNo, "not UTF-8 (" + e + ")"));
                }
            }
            start = i + 1;
        }
    }

    /** Whether a crash cut the last line short, so that the next one must start with a newline. */
    private static boolean endsMidLine(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
