package io.pledge.kit.outbox;

import io.pledge.events.EventType;
import io.pledge.kit.events.EventTypeRegistry;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.inbox.EventHandlers;
import io.pledge.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The kit tests' consumer, written the way a service writes one: thin, delegating to the inbox.
 * Its effect is one row in {@code kit_test_applied}; a note "refuse" is refused as poison.
 */
@ApplicationScoped
public class KitTestConsumer implements EventTypeRegistry.AdditionalEventTypes {

    private final Inbox inbox;
    private final EventHandlers handlers;

    public KitTestConsumer(Inbox inbox, EntityManager em) {
        this.inbox = inbox;
        this.handlers = EventHandlers.create().on(KitTestEvent.class, (envelope, event) -> {
            if ("refuse".equals(event.note())) {
                throw new PoisonRecordException("refused by the consumer's rule for note 'refuse'");
            }
            em.createNativeQuery("insert into kit_test_applied (event_id, message_key, seq, note, published_at) "
                            + "values (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, envelope.id()).setParameter(2, event.key()).setParameter(3, event.seq())
                    .setParameter(4, event.note()).setParameter(5, java.sql.Timestamp.from(envelope.time()))
                    .executeUpdate();
        });
    }

    @Incoming("kit-test-in")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        inbox.handle("kit-test-in", records, handlers);
    }

    @Override
    public Iterable<EventType<?>> types() {
        return List.of(KitTestEvent.TYPE);
    }
}
