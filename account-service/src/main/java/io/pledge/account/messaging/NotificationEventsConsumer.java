package io.pledge.account.messaging;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.events.notification.CessationScheduled;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** notification.events: a scheduled cessation of operation stops new collection (policy 6.9). */
@ApplicationScoped
public class NotificationEventsConsumer {

    static final String CHANNEL = "notification-events";

    private final Inbox inbox;
    private final CollectionGate gate;

    public NotificationEventsConsumer(Inbox inbox, CollectionGate gate) {
        this.inbox = inbox;
        this.gate = gate;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(CessationScheduled.class, (env, e) -> gate.scheduled(e)));
    }
}
