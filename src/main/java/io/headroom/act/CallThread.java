package io.headroom.act;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one thread that runs {@link LibvirtGateway}'s native calls, apart from the gateway so that its caller can stop
 * waiting for a call that hangs. An abandoned thread is remembered, so that a call returning on it late can tell
 * that it is no longer the gateway's. Not thread-safe: the gateway calls it under its own lock.
 */
final class CallThread {

    private ExecutorService executor;
    /** The thread of {@link #executor}, once it has started one. */
    private volatile Thread thread;
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    CallThread() {
        executor = newExecutor();
    }

    /**
     * Runs {@code body} on the call thread and waits at most {@code budget}; what {@code body} throws is rethrown
     * as it is. On interrupt the call is cancelled before the interrupt is rethrown.
     *
     * @throws TimeoutException if {@code body} is still running after {@code budget}; the caller decides to abandon
     */
    <T> T call(Duration budget, Supplier<T> body) throws TimeoutException, InterruptedException {
        Future<T> f = executor.submit(body::get);
        try {
            return f.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof java.lang.Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /**
     * Gives up on the current thread: later calls run on a new one, and {@code afterHungCall} runs on the stuck
     * one once (if ever) its call returns, queued behind it.
     */
    void abandon(Runnable afterHungCall) {
        ExecutorService stuck = executor;
        executor = newExecutor();
        stuck.execute(afterHungCall);
        stuck.shutdown();
    }

    /** True on a thread this has given up on: its call came back after the caller stopped waiting. */
    boolean isAbandoned(Thread t) {
        return abandoned.contains(t);
    }

    /** Forgets a thread given up on once its late call has come back and been cleaned up after. */
    void forget(Thread t) {
        abandoned.remove(t);
    }

    void shutdownNow() {
        executor.shutdownNow();
    }

    private ExecutorService newExecutor() {
        if (executor != null) {
            // Whatever thread ran the previous executor is the one that hung.
            abandoned.add(thread);
        }
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "headroom-libvirt-call");
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }
}
