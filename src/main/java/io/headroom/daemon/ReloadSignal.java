package io.headroom.daemon;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads the config ({@code systemctl reload headroom} sends it) instead of the JVM's default, which exits
 * with 129 and so turned a reload into a crash.
 *
 * <p>{@code sun.misc.Signal} is the only way a Java program can handle a signal. It lives in {@code jdk.unsupported},
 * which Java 17 exports to the class path, so it runs without a warning; it is reached by reflection only because
 * javac flags every mention of {@code sun.misc} as proprietary API and that warning cannot be suppressed.
 */
final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {}

    /**
     * Runs {@code reload} on the JVM's signal thread at each SIGHUP.
     *
     * @throws IllegalStateException if this JVM has no {@code sun.misc.Signal}
     */
    static void install(Runnable reload) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> signal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(ReloadSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            LOG.info("SIGHUP: reloading the config");
                            try {
                                reload.run();
                            } catch (RuntimeException e) {
                                // E.g. a SIGHUP while still starting: nothing to reload yet; never a reason to exit.
                                LOG.warn("SIGHUP ignored: {}", e.getMessage());
                            }
                            return null;
                        }
                        // toString, hashCode, equals of the proxy itself.
                        return method.getName().equals("toString") ? "headroom SIGHUP handler"
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    });
            handle.invoke(null, signal.newInstance("HUP"), handler);
            if (ignoredAtStart()) {
                LOG.warn("SIGHUP was ignored when Headroom started (nohup?), and the JVM keeps it so: reload with "
                        + "POST /-/reload (server.enable_reload) or restart to apply config changes");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIGHUP on this JVM: " + e, e);
        }
    }

    /** True if this process ignores SIGHUP ({@code SigIgn} in {@code /proc/self/status}, bit 0); false elsewhere. */
    static boolean ignoredAtStart() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1L) != 0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or no procfs: nothing to warn about.
        }
        return false;
    }
}
