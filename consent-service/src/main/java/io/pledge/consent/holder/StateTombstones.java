package io.pledge.consent.holder;

import io.pledge.events.TopicCatalogue;
import io.pledge.kit.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tombstones on the compacted {@code consent.state} topic after an erasure: a record with the subject's key
 * and a null value, so compaction drops the subject's snapshot. The outbox cannot carry a null value, so
 * {@code known_subject} is this sender's own outbox: the erasure marks the subject in its transaction, and
 * the tombstone is sent only once every snapshot of that subject still in the outbox has gone (so no
 * snapshot can follow it), then marked sent after the broker's acknowledgement. A crash in between sends it
 * again, which compaction makes harmless.
 */
@ApplicationScoped
public class StateTombstones {

    private final EntityManager em;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "consent-tombstones"));

    public StateTombstones(EntityManager em, KafkaClients kafka,
                           @ConfigProperty(name = "quarkus.application.name") String application) {
        this.em = em;
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-tombstones");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = kafka.producer(p);
    }

    /** Sends pending tombstones soon (after an erasure committed). */
    public void wake() {
        try {
            worker.submit(this::sendPending);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the service is stopping; the next start sends what is pending
        }
    }

    @Scheduled(every = "${pledge.consent.tombstone-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "3s")
    void sweep() {
        wake();
    }

    void sendPending() {
        try {
            List<String> due = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object> rows = em.createNativeQuery("select cast(k.subject_id as text) from known_subject k "
                        + "where k.erased_at is not null and k.tombstone_sent_at is null and not exists (select 1 from "
                        + "pledge_outbox o where o.topic = ?1 and o.message_key = cast(k.subject_id as text) and o.sent_at is null) "
                        + "limit 500").setParameter(1, TopicCatalogue.CONSENT_STATE).getResultList();
                return rows.stream().map(Object::toString).toList();
            });
            for (String subject : due) {
                producer.send(new ProducerRecord<>(TopicCatalogue.CONSENT_STATE, subject, null)).get(30, TimeUnit.SECONDS);
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update known_subject set tombstone_sent_at "
                        + "= now() where subject_id = cast(?1 as uuid) and erased_at is not null").setParameter(1, subject)
                        .executeUpdate());
            }
        } catch (Exception e) {
            Log.warnf("consent.state tombstones not sent yet (%s); retrying on the next sweep", e.getClass().getSimpleName());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.shutdownNow();
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
