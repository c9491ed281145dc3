package io.pledge.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.PrivacyEvent;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.security.Actors;
import io.pledge.kit.tx.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one way a service publishes an event: stored in {@code pledge_outbox} inside the caller's
 * transaction, so the event exists if and only if the state change it announces committed. The
 * {@link OutboxRelay} sends it after the commit. Never persist-then-send.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;
    private final String source;
    private final Actors actors;

    public Outbox(EntityManager em, TransactionSynchronizationRegistry transactions, OutboxRelay relay, Actors actors,
                  @ConfigProperty(name = "quarkus.application.name") String application) {
        this.em = em;
        this.actors = actors;
        this.transactions = transactions;
        this.relay = relay;
        this.source = "/pledge/" + application;
    }

    /** Stores a registered event type for publication; returns its envelope ({@code ce_id} among it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends PrivacyEvent> Envelope publish(T event) {
        @SuppressWarnings("unchecked")
        EventType<T> type = (EventType<T>) EventTypes.of(event.getClass());
        return publish(type, event);
    }

    /** Stores an event of an explicit type (for types outside the registry, such as tests'). */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T extends PrivacyEvent> Envelope publish(EventType<T> type, T event) {
        Envelope envelope = new Envelope(UUID.randomUUID().toString(), type.type(), source, event.subject(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), type.dataschema());
        OutboxRecord r = new OutboxRecord();
        r.id = UUID.fromString(envelope.id());
        r.topic = type.topic();
        r.messageKey = event.key();
        r.type = envelope.type();
        r.source = envelope.source();
        r.subject = envelope.subject();
        r.time = envelope.time();
        r.dataschema = envelope.dataschema();
        r.actor = actors.currentStaff();
        try {
            r.payload = EventJson.mapper().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + type.type() + " cannot be serialised", e);
        }
        em.persist(r);
        // the relay is woken once this commits, so events leave without waiting for a poll
        AfterCommit.run(transactions, relay::wake);
        return envelope;
    }
}
