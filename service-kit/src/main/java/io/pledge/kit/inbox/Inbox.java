package io.pledge.kit.inbox;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.PrivacyEvent;
import io.pledge.kit.config.InboxConfig;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.events.EventTypeRegistry;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.events.RefusedRecordException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The idempotent consumer every service uses. For one record it reads the CloudEvents envelope,
 * checks the type and the body against the published schema, and applies the handler's effect in
 * a transaction that also inserts the event id into {@code pledge_processed_event}: a redelivered
 * event finds its id there and is skipped. A poison record goes to {@code <topic>.dlq} with its
 * reason ({@link DeadLetters}) and the consumer goes on with the next record; a record the handler refuses
 * ({@link RefusedRecordException}) has its refusal recorded in a transaction of its own before it is dead-lettered.
 */
@ApplicationScoped
public class Inbox {

    private static final String MARK = "insert into pledge_processed_event (consumer, event_id, topic) "
            + "values (?1, ?2, ?3) on conflict do nothing";

    private final EntityManager em;
    private final EventTypeRegistry types;
    private final EventSchemas schemas;
    private final InboxConfig config;
    private final MeterRegistry registry;
    private final DeadLetters deadLetters;

    public Inbox(EntityManager em, EventTypeRegistry types, EventSchemas schemas, InboxConfig config,
                 MeterRegistry registry, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.em = em;
        this.types = types;
        this.schemas = schemas;
        this.config = config;
        this.registry = registry;
    }

    /** Applies one record at most once for {@code consumer}; see {@link #handle(String, Iterable, EventHandlers)}. */
    public void handle(String consumer, ConsumerRecord<String, byte[]> record, EventHandlers handlers) {
        handle(consumer, List.of(record), handlers);
    }

    /**
     * Applies a batch of records (in order) at most once each for {@code consumer}. Poison records
     * are dead-lettered; the others are applied in one transaction with their ids. If that
     * transaction fails, each record is applied on its own (with retries) so that one bad event
     * never holds back or takes down the others. Returns when every record was applied, skipped
     * as a duplicate or not handled here, or dead-lettered: the caller may then acknowledge them.
     *
     * @param consumer the consumer's name, unique within the service (usually its channel name)
     */
    public void handle(String consumer, Iterable<ConsumerRecord<String, byte[]>> records, EventHandlers handlers) {
        List<Pending<?>> pending = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                Decoded<?> d = decode(record);
                if (handlers.find(d.type().eventClass()) == null) {
                    registry.counter("pledge.inbox.skipped", "consumer", consumer).increment();
                } else {
                    pending.add(new Pending<>(record, d));
                }
            } catch (PoisonRecordException e) {
                deadLetters.send(consumer, record, e);
            }
        }
        if (pending.size() > 1) {
            try {
                int applied = QuarkusTransaction.requiringNew().call(() -> {
                    int n = 0;
                    for (Pending<?> p : pending) {
                        n += applyInTransaction(consumer, p, handlers) ? 1 : 0;
                    }
                    return n;
                });
                registry.counter("pledge.inbox.applied", "consumer", consumer).increment(applied);
                registry.counter("pledge.inbox.duplicates", "consumer", consumer).increment(pending.size() - applied);
                return;
            } catch (RuntimeException e) {
                Log.debugf("%s: batch of %d failed (%s); applying one by one", consumer, pending.size(), Failures.rootClass(e));
            }
        }
        for (Pending<?> p : pending) {
            applyAlone(consumer, p, handlers);
        }
    }

    private <T extends PrivacyEvent> boolean applyInTransaction(String consumer, Pending<T> p, EventHandlers handlers) {
        int inserted = em.createNativeQuery(MARK)
                .setParameter(1, consumer).setParameter(2, p.decoded().envelope().id()).setParameter(3, p.record().topic())
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        handlers.find(p.decoded().type().eventClass()).apply(p.decoded().envelope(), p.decoded().event());
        return true;
    }

    private <T extends PrivacyEvent> void applyAlone(String consumer, Pending<T> p, EventHandlers handlers) {
        Decoded<T> d = p.decoded();
        long backoff = config.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                boolean applied = QuarkusTransaction.requiringNew().call(() -> applyInTransaction(consumer, p, handlers));
                registry.counter(applied ? "pledge.inbox.applied" : "pledge.inbox.duplicates", "consumer", consumer)
                        .increment();
                return;
            } catch (RuntimeException e) {
                PoisonRecordException poison = Failures.poisonIn(e);
                if (poison != null) {
                    if (poison instanceof RefusedRecordException refused) {
                        QuarkusTransaction.requiringNew().run(refused.recorder());
                        registry.counter("pledge.inbox.refused", "consumer", consumer).increment();
                    }
                    deadLetters.send(consumer, p.record(), poison);
                    return;
                }
                if (!Failures.isTransient(e) && attempt >= config.maxAttempts()) {
                    deadLetters.send(consumer, p.record(), new PoisonRecordException("effect failed " + attempt
                            + " times with " + Failures.rootClass(e) + "; event " + d.envelope().id() + " not applied"));
                    return;
                }
                registry.counter("pledge.inbox.retries", "consumer", consumer).increment();
                Log.warnf("%s: event %s (%s) failed on attempt %d with %s; retrying in %d ms", consumer,
                        d.envelope().id(), d.type().type(), attempt, Failures.rootClass(e), backoff);
                sleep(backoff);
                backoff = Math.min(config.maxBackoff().toMillis(), backoff * 2);
            }
        }
    }

    private Decoded<?> decode(ConsumerRecord<String, byte[]> record) {
        Envelope envelope = Envelope.fromHeaders(record.headers());
        EventType<?> type = types.find(envelope.type())
                .orElseThrow(() -> new PoisonRecordException("unknown event type " + envelope.type()));
        if (record.value() == null) {
            throw new PoisonRecordException("record has no body");
        }
        JsonObject body;
        try {
            body = new JsonObject(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw new PoisonRecordException("body is not a JSON object");
        }
        schemas.validate(type, body);
        return read(envelope, type, record.value());
    }

    private static <T extends PrivacyEvent> Decoded<T> read(Envelope envelope, EventType<T> type, byte[] value) {
        try {
            return new Decoded<>(envelope, type, EventJson.mapper().readValue(value, type.eventClass()));
        } catch (JsonMappingException e) {
            throw new PoisonRecordException("body does not map to " + type.name() + " at "
                    + e.getPathReference().replaceAll("\\[\"?", ".").replaceAll("\"?]", ""));
        } catch (IOException e) {
            throw new PoisonRecordException("body is not readable JSON");
        }
    }



    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an event", e);
        }
    }

    private record Decoded<T extends PrivacyEvent>(Envelope envelope, EventType<T> type, T event) {
    }

    private record Pending<T extends PrivacyEvent>(ConsumerRecord<String, byte[]> record, Decoded<T> decoded) {
    }
}
