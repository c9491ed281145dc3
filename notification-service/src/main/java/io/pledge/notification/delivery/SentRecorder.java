package io.pledge.notification.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of SENT outcomes: senders whose messages were accepted at the same time record them in one
 * transaction ({@link DeliveryStore#sentAll}); the first sender to get the lock commits what every sender queued
 * meanwhile, the others find theirs committed. Each sender still waits for its own record before it takes its next
 * message, so at most as many messages as there are senders are ever accepted but not yet recorded — the window in
 * which a crash can make one of them go out twice, as with one commit per message.
 */
@ApplicationScoped
public class SentRecorder {

    /** Most outcomes in one transaction. */
    static final int MAX_GROUP = 100;

    private record Pending(DeliveryStore.Sent sent, CompletableFuture<Boolean> done) {
    }

    private final DeliveryStore store;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    public SentRecorder(DeliveryStore store) {
        this.store = store;
    }

    /** Records SENT (and NoticeDelivered) for a delivery with whatever else is waiting; false when the group failed. */
    public boolean record(Delivery d, boolean tracked) {
        Pending mine = new Pending(new DeliveryStore.Sent(d, tracked), new CompletableFuture<>());
        queue.add(mine);
        lock.lock();
        try {
            while (!mine.done().isDone()) {
                List<Pending> group = new ArrayList<>();
                for (Pending p; group.size() < MAX_GROUP && (p = queue.poll()) != null; ) {
                    group.add(p);
                }
                try {
                    store.sentAll(group.stream().map(Pending::sent).toList());
                    group.forEach(p -> p.done().complete(true));
                } catch (RuntimeException e) {
                    group.forEach(p -> p.done().complete(false));
                }
            }
        } finally {
            lock.unlock();
        }
        return mine.done().join();
    }
}
