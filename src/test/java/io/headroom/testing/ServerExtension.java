package io.headroom.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the server extensions ({@link PrometheusExtension}, {@link AlertmanagerExtension}) share: one server per
 * extension, started by the outermost test class that registers it and stopped by that class only, its temporary
 * directory and log file, and the accessors that fail clearly when it is not running.
 */
public abstract class ServerExtension implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final String name;
    Path workDir;
    Path logFile;
    RunningServer server;
    private String startedBy;

    ServerExtension(String name) {
        this.name = name;
    }

    /** Starts the server and waits until it is ready. */
    public abstract void start();

    /**
     * Starts the server unless an enclosing test class already did.
     *
     * @param context the class being set up
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            if (server != null) {
                return;
            }
            start();
            startedBy = context.getUniqueId();
        }
    }

    /**
     * Stops the server if this is the class that started it.
     *
     * @param context the class being torn down
     */
    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (this) {
            if (context.getUniqueId().equals(startedBy)) {
                close();
            }
        }
    }

    /** Stops the server and deletes the temporary directory. Does nothing if not running. */
    @Override
    public synchronized void close() {
        try {
            if (server != null) {
                server.stop();
            }
        } finally {
            server = null;
            startedBy = null;
            TempDirs.delete(workDir);
        }
    }

    /**
     * Returns the server's base URL, without a trailing slash.
     *
     * @return e.g. {@code http://127.0.0.1:41234}
     */
    public String baseUrl() {
        return running().baseUrl();
    }

    /**
     * Returns the port of {@link #baseUrl()}.
     *
     * @return the listening port (the mapped host port in a container)
     */
    public int port() {
        return running().port();
    }

    /**
     * Returns the file with the server's output.
     *
     * @return the log file in the temporary directory
     */
    public Path logFile() {
        running();
        return logFile;
    }

    /** Throws unless a server is running. */
    RunningServer running() {
        RunningServer current = server;
        if (current == null) {
            throw new IllegalStateException(name + " is not running; register the extension in a static"
                    + " @RegisterExtension field or call start()");
        }
        return current;
    }

    /**
     * After a failed start: stops what did start and deletes the temporary directory but the log file and
     * {@code keep}, which the failure message points to.
     */
    void discard(Path... keep) {
        if (server != null) {
            server.stop();
            server = null;
        }
        Path[] kept = new Path[keep.length + 1];
        kept[0] = logFile;
        System.arraycopy(keep, 0, kept, 1, keep.length);
        TempDirs.delete(workDir, kept);
    }
}
