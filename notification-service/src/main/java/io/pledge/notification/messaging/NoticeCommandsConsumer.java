package io.pledge.notification.messaging;

import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.pledge.notification.delivery.DeliveryStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** notification.commands: every NoticeRequested becomes durable deliveries, one per channel, de-duplicated by notice id. */
@ApplicationScoped
public class NoticeCommandsConsumer {

    static final String CHANNEL = "notification-commands";

    private final Inbox inbox;
    private final DeliveryStore deliveries;

    public NoticeCommandsConsumer(Inbox inbox, DeliveryStore deliveries) {
        this.inbox = inbox;
        this.deliveries = deliveries;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle(CHANNEL, records, EventHandlers.create()
                .on(NoticeRequested.class, (env, e) -> deliveries.request(e)));
    }
}
