package io.headroom.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Polls a condition until it holds or a deadline passes, for tests that wait on a server. */
public final class Poll {

    private static final long PAUSE_MILLIS = 100;

    private Poll() {
    }

    /**
     * Calls {@code probe} until {@code done} accepts its result, and returns that result.
     *
     * @throws AssertionError after {@code timeout}, with the last result or exception
     */
    public static <T> T until(Duration timeout, String what, Callable<T> probe, Predicate<? super T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "nothing yet";
        while (true) {
            try {
                T value = probe.call();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what
                        + "; last result: " + last);
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }
}
