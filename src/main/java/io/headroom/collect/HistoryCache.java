package io.headroom.collect;

import io.headroom.config.FeatureSpec;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each workload's training history, kept on disk between trainings, so that a retraining asks Prometheus only for
 * the rows that are new since the last one. A week at 30 s is 20,160 rows per feature and workload, and
 * evaluating and encoding them is most of a training's cost on a host of hundreds of guests (and a load on
 * Prometheus); with a retraining every 6 h, the new rows are under a twentieth of them.
 *
 * <p>The rows a retraining reads from here are the ones a full fetch would return, bit for bit: a range query
 * evaluates each step on its own, a {@link FeatureSpec.Kind#COUNTER} feature's rate between two steps is taken
 * only from rows fetched together, and the first row of the window has no counter rate, as in a full fetch. The
 * newest {@link #OVERLAP} of a cached history is fetched again, because when it was fetched the last scrapes may
 * not have been in yet.
 *
 * <p>A history is used only if it was fetched with the same queries, workload label and step (a config change
 * starts over from Prometheus) and reaches back to the window's start. A file that cannot be read or written is
 * counted, logged and fetched instead: the cache only ever saves work. One file per workload, {@code
 * rows x features} doubles, about 1.3 MB for a week at 30 s with 8 features.
 *
 * <p>Not thread-safe: one training uses it at a time.
 */
public final class HistoryCache {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryCache.class);

    /** The newest part of a cached history that is fetched again. */
    public static final Duration OVERLAP = Duration.ofHours(1);

    private static final String SUFFIX = ".history";
    private static final int MAGIC = 0x48524843;
    private static final int VERSION = 1;
    /** magic, version, key, step, first timestamp, rows, width. */
    private static final int HEADER = 4 + 4 + 8 + 8 + 8 + 4 + 4;
    private static final int CHUNK = 64 * 1024;

    /** Fetches the rows of some workloads over a grid from Prometheus. */
    @FunctionalInterface
    public interface Fetch {
        /** The matrix of {@code batch} over {@code grid}, its rows the batch's workloads, sorted. */
        FeatureMatrix rows(List<String> batch, StepGrid grid) throws Exception;
    }

    /**
     * Free space a write must leave on the state directory's file system, at least: the audit log and the actuation
     * state live there too, and Headroom makes no change it cannot write down first, so a cache that filled the
     * disk would stop every change. The larger of this and {@link #RESERVE_SHARE} of the file system.
     */
    public static final long RESERVE_BYTES = 256L << 20;
    /** See {@link #RESERVE_BYTES}. */
    public static final double RESERVE_SHARE = 0.05;

    private final Path dir;
    private final long reserve;
    private boolean warnedFull;
    private final List<FeatureSpec> features;
    private final long key;
    private final long stepMs;
    private final AtomicLong cachedRows = new AtomicLong();
    private final AtomicLong fetchedRows = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param dir           where the files are (created when first written)
     * @param features      the configured features, as queried for the whole fleet
     * @param workloadLabel the label that names a workload
     * @param step          the collection step the histories are fetched at
     */
    public HistoryCache(Path dir, List<FeatureSpec> features, String workloadLabel, Duration step) {
        this(dir, features, workloadLabel, step, RESERVE_BYTES);
    }

    /** With {@code reserveBytes} instead of {@link #RESERVE_BYTES} (tests fill a disk by asking for more). */
    HistoryCache(Path dir, List<FeatureSpec> features, String workloadLabel, Duration step, long reserveBytes) {
        this.dir = dir;
        this.reserve = reserveBytes;
        this.features = List.copyOf(features);
        this.stepMs = step.toMillis();
        this.key = key(this.features, workloadLabel, stepMs);
    }

    /**
     * The rows of {@code batch} over {@code grid}: read from the cache where each workload's history is there, the
     * rest from {@code fetch}, over the shortest tail of the grid that covers what any of them lacks (the whole
     * grid if one has nothing cached). The result is written back for the next training.
     */
    public FeatureMatrix rows(List<String> batch, StepGrid grid, Fetch fetch) throws Exception {
        if (grid.step().toMillis() != stepMs) {
            throw new IllegalArgumentException("grid step " + grid.step() + " is not the cache's " + stepMs + " ms");
        }
        List<String> rows = List.copyOf(new TreeSet<>(batch));
        int steps = grid.size();
        int from = steps - 1;
        Header[] headers = new Header[rows.size()];
        for (int w = 0; w < rows.size() && from > 0; w++) {
            headers[w] = header(rows.get(w), grid);
            from = headers[w] == null ? 0 : Math.min(from, headers[w].freshIndex(grid));
        }
        if (from <= 0) {
            return whole(rows, grid, fetch);
        }
        // The tail from row `from` on: its first row only joins it to the cached rows (a counter feature's rate
        // needs the row before), the rows after it replace the cache's.
        FeatureMatrix tail = fetch.rows(rows, new StepGrid(grid.instantAt(from), grid.end(), grid.step()));
        if (!tail.workloads().equals(rows) || tail.features().size() != features.size()) {
            throw new IllegalStateException("the fetch answered for " + tail.workloads() + ", asked " + rows);
        }
        int width = features.size();
        double[] values = new double[Math.multiplyExact(Math.multiplyExact(rows.size(), steps), width)];
        double[] fresh = tail.values();
        int tailSteps = tail.grid().size();
        for (int w = 0; w < rows.size(); w++) {
            int base = w * steps * width;
            if (!read(headers[w], grid, from + 1, values, base)) {
                // Unreadable after all: fetch this batch whole instead, as if nothing had been cached.
                return whole(rows, grid, fetch);
            }
            System.arraycopy(fresh, (w * tailSteps + 1) * width, values, base + (from + 1) * width,
                    (steps - from - 1) * width);
            // A full fetch has no counter rate at the window's first row: nothing before it was fetched.
            for (int f = 0; f < width; f++) {
                if (features.get(f).kind() == FeatureSpec.Kind.COUNTER) {
                    values[base + f] = Double.NaN;
                }
            }
        }
        cachedRows.addAndGet((long) rows.size() * (from + 1));
        fetchedRows.addAndGet((long) rows.size() * (steps - from - 1));
        FeatureMatrix merged = FeatureMatrix.adopt(rows, tail.features(), grid, values);
        writeAll(merged);
        return merged;
    }

    /** The batch fetched over the whole grid, and kept. */
    private FeatureMatrix whole(List<String> rows, StepGrid grid, Fetch fetch) throws Exception {
        FeatureMatrix whole = fetchOnly(rows, grid, fetch);
        writeAll(whole);
        return whole;
    }

    /**
     * The batch fetched over the whole grid, the cache neither read nor written ({@code detection.history_cache}
     * off), its rows counted as fetched.
     */
    public FeatureMatrix fetchOnly(List<String> batch, StepGrid grid, Fetch fetch) throws Exception {
        List<String> rows = List.copyOf(new TreeSet<>(batch));
        FeatureMatrix m = fetch.rows(rows, grid);
        fetchedRows.addAndGet((long) rows.size() * grid.size());
        return m;
    }

    /** Deletes the histories of workloads not in {@code workloads}: a guest that comes back is fetched again. */
    public void retain(Collection<String> workloads) {
        Set<String> keep = new HashSet<>(workloads);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String workload = URLDecoder.decode(name.substring(0, name.length() - SUFFIX.length()),
                        StandardCharsets.UTF_8);
                if (!keep.contains(workload)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            errors.incrementAndGet();
            LOG.warn("could not drop the histories of departed workloads in {}: {}", dir, e.toString());
        }
    }

    /**
     * Since the last {@link #takeCounts}: workload rows (one per workload and step) read from the cache and fetched,
     * files that could not be read or written, and files not written for want of free space.
     */
    public record Counts(long cached, long fetched, long errors, long notWritten) {}

    /** What the batches since the last call did; resets the counts. */
    public Counts takeCounts() {
        return new Counts(cachedRows.getAndSet(0), fetchedRows.getAndSet(0), errors.getAndSet(0),
                skipped.getAndSet(0));
    }

    /** A cached history's shape, from its header. */
    private record Header(Path file, long firstMs, int rows) {
        long lastMs(long stepMs) {
            return firstMs + (rows - 1L) * stepMs;
        }

        /** The grid's index from which on this history must be fetched again (0: all of it). */
        int freshIndex(StepGrid grid) {
            long step = grid.step().toMillis();
            long fresh = lastMs(step) - OVERLAP.toMillis() - grid.start().toEpochMilli();
            if (fresh < step) {
                return 0;
            }
            return (int) Math.min(grid.size() - 1L, fresh / step);
        }
    }

    /** The header of {@code workload}'s history if it can serve {@code grid}, else null (logged if unreadable). */
    private Header header(String workload, StepGrid grid) {
        Path file = file(workload);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(HEADER);
            readFully(ch, b);
            if (b.getInt() != MAGIC || b.getInt() != VERSION) {
                throw new IOException("not a history file of this version");
            }
            long fileKey = b.getLong();
            long fileStep = b.getLong();
            long firstMs = b.getLong();
            int rows = b.getInt();
            int width = b.getInt();
            if (rows < 1 || width != features.size()
                    || ch.size() != HEADER + (long) rows * width * Double.BYTES) {
                throw new IOException("truncated or of another shape (" + rows + " rows of " + width + ")");
            }
            long offset = grid.start().toEpochMilli() - firstMs;
            // Other queries or step: stale by construction. Starting after the window (a longer window than when it
            // was written) or off its grid: Prometheus may hold rows it lacks.
            if (fileKey != key || fileStep != stepMs || offset < 0 || offset % stepMs != 0) {
                return null;
            }
            return new Header(file, firstMs, rows);
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("history of workload {} unreadable, fetching it whole: {}", workload, e.getMessage());
            return null;
        }
    }

    /**
     * Reads rows {@code [0, count)} of the grid from {@code h}'s history into {@code values} at {@code base};
     * false, counted and logged, if it cannot.
     */
    private boolean read(Header h, StepGrid grid, int count, double[] values, int base) {
        int width = features.size();
        long skip = (grid.start().toEpochMilli() - h.firstMs()) / stepMs;
        try (FileChannel ch = FileChannel.open(h.file(), StandardOpenOption.READ)) {
            ch.position(HEADER + skip * width * Double.BYTES);
            ByteBuffer b = ByteBuffer.allocate(CHUNK);
            int at = base;
            int end = base + count * width;
            while (at < end) {
                b.clear();
                b.limit((int) Math.min(CHUNK, (long) (end - at) * Double.BYTES));
                readFully(ch, b);
                int n = b.remaining() / Double.BYTES;
                b.asDoubleBuffer().get(values, at, n);
                at += n;
            }
            return true;
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("history file {} unreadable, fetching its batch whole: {}", h.file(), e.getMessage());
            return false;
        }
    }

    /** Fills {@code b} to its limit from {@code ch} and flips it for reading; an end of file first is an error. */
    private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("ends early");
            }
        }
        b.flip();
    }

    private void writeAll(FeatureMatrix m) {
        for (int w = 0; w < m.workloads().size(); w++) {
            write(m, w);
        }
    }

    /** Writes one workload's rows, whole or not at all (a temporary file moved into place). */
    private void write(FeatureMatrix m, int w) {
        Path file = file(m.workloads().get(w));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        int width = features.size();
        int steps = m.grid().size();
        double[] values = m.values();
        try {
            Files.createDirectories(dir);
            java.nio.file.FileStore store = Files.getFileStore(dir);
            long size = HEADER + (long) steps * width * Double.BYTES;
            long keep = Math.max(reserve, (long) (store.getTotalSpace() * RESERVE_SHARE));
            if (store.getUsableSpace() - size < keep) {
                // Not written: an older file stays valid (it covers less, so more is fetched next time).
                if (!warnedFull) {
                    warnedFull = true;
                    LOG.warn("not keeping training histories in {}: it would leave less than {} MiB free for the "
                            + "state (the audit log and the actuation state); the next training fetches more",
                            dir, keep >> 20);
                }
                skipped.incrementAndGet();
                return;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.allocate(CHUNK);
                b.putInt(MAGIC).putInt(VERSION).putLong(key).putLong(stepMs).putLong(m.grid().start().toEpochMilli())
                        .putInt(steps).putInt(width);
                int at = w * steps * width;
                int end = at + steps * width;
                while (at < end || b.position() > 0) {
                    int n = Math.min(end - at, b.remaining() / Double.BYTES);
                    for (int i = 0; i < n; i++) {
                        b.putDouble(values[at + i]);
                    }
                    at += n;
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    b.clear();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            errors.incrementAndGet();
            LOG.warn("could not keep the history of workload {} ({}); the next training fetches it whole",
                    m.workloads().get(w), e.toString());
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Nothing else to do: a stale file is refused by its key or shape, or read in full next time.
            }
        }
    }

    private Path file(String workload) {
        return dir.resolve(URLEncoder.encode(workload, StandardCharsets.UTF_8) + SUFFIX);
    }

    /** What the histories depend on: the queries as sent for the whole fleet, how values are read, the step. */
    private static long key(List<FeatureSpec> features, String workloadLabel, long stepMs) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            StringBuilder s = new StringBuilder("v1\n").append(workloadLabel).append('\n').append(stepMs).append('\n');
            for (FeatureSpec f : features) {
                s.append(f.name()).append('\n').append(f.kind()).append('\n').append(f.queryFor(workloadLabel))
                        .append('\n');
            }
            return ByteBuffer.wrap(d.digest(s.toString().getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
