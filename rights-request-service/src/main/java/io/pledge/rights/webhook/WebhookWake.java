package io.pledge.rights.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Tells the webhook worker that a delivery was committed, so a webhook holder gets its command at once rather than
 * at the watchdog's next tick (the tick still sends retries and anything a wake-up missed).
 */
@ApplicationScoped
public class WebhookWake {

    private final Semaphore signal = new Semaphore(0);

    /** A delivery was committed. */
    public void signal() {
        signal.release();
    }

    /** Waits up to {@code max} for a signal; true if one came. Several signals count as one. */
    boolean await(Duration max) throws InterruptedException {
        boolean got = signal.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
        signal.drainPermits();
        return got;
    }
}
