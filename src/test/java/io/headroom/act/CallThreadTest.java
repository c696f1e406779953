package io.headroom.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallThreadTest {

    private final CallThread calls = new CallThread();

    @AfterEach
    void tearDown() {
        calls.shutdownNow();
    }

    @Test
    void returnsTheResultAndRethrowsWhatTheCallThrows() throws Exception {
        assertThat(calls.call(Duration.ofSeconds(5), () -> 42)).isEqualTo(42);
        LibvirtFailure f = new LibvirtFailure(LibvirtFailure.Kind.DOMAIN_GONE, "gone", null);
        assertThatThrownBy(() -> calls.call(Duration.ofSeconds(5), () -> {
            throw f;
        })).isSameAs(f);
    }

    @Test
    void aHungCallTimesOutAndAfterAbandonLaterCallsRunOnANewThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> hungThread = new AtomicReference<>();
        assertThatThrownBy(() -> calls.call(Duration.ofMillis(50), () -> {
            hungThread.set(Thread.currentThread());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        })).isInstanceOf(TimeoutException.class);

        CountDownLatch closedAfter = new CountDownLatch(1);
        calls.abandon(closedAfter::countDown);
        assertThat(calls.isAbandoned(hungThread.get())).isTrue();
        // The clean-up waits behind the hung call.
        assertThat(closedAfter.await(100, TimeUnit.MILLISECONDS)).isFalse();

        Thread next = calls.call(Duration.ofSeconds(5), Thread::currentThread);
        assertThat(next).isNotSameAs(hungThread.get());
        assertThat(calls.isAbandoned(next)).isFalse();

        release.countDown();
        assertThat(closedAfter.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
