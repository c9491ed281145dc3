package io.pledge.notification.delivery;

import io.pledge.notification.config.NotificationConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The delivery worker: {@code threads} loops, each claiming a batch of due deliveries (SKIP LOCKED, so
 * threads and instances never share one), sending it and recording outcomes. {@link #stop()} lets the
 * batches in hand finish and claims nothing more; a process that dies instead leaves its claimed rows
 * SENDING until their lease expires, when any worker takes them over.
 */
@ApplicationScoped
public class DeliveryWorker {

    private final DeliveryStore store;
    private final Dispatcher dispatcher;
    private final NotificationConfig.Delivery config;
    private final AtomicLong claimed = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DeliveryWorker(DeliveryStore store, Dispatcher dispatcher, NotificationConfig config) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.config = config.delivery();
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized boolean running() {
        return running;
    }

    /** Deliveries claimed by this instance since it started. */
    public long claimed() {
        return claimed.get();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Thread t = new Thread(this::loop, "delivery-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Log.infof("delivery worker started with %d threads", config.threads());
    }

    /** Stops claiming; waits for the batches in hand to be sent and recorded. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        Log.info("delivery worker stopped");
    }

    private void loop() {
        while (running) {
            try {
                List<Delivery> batch = store.claim(config.batch());
                if (batch.isEmpty()) {
                    Thread.sleep(config.idlePoll().toMillis());
                    continue;
                }
                claimed.addAndGet(batch.size());
                dispatcher.process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.warnf("delivery worker pass failed (%s); retrying", e.getClass().getSimpleName());
                sleep(1000);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
