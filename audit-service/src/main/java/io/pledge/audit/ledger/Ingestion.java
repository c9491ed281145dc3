package io.pledge.audit.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.audit.holder.HolderReplies;
import io.pledge.audit.messaging.RecordDecoder;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.config.InboxConfig;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.inbox.DeadLetters;
import io.pledge.kit.inbox.Failures;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records a batch of Kafka records: each is decoded, poison records are dead-lettered with their reason (or, on a
 * topic without a dead-letter topic, recorded as rejected), and the rest are appended in one transaction together
 * with the holder replies they call for. Idempotent by event id, so a redelivered batch records nothing twice. If
 * the batch transaction fails, records are appended one by one: transient failures retried until they pass (holding
 * the partition, keeping order), others {@code pledge.inbox.max-attempts} times before the record is dead-lettered.
 */
@ApplicationScoped
public class Ingestion {

    private final RecordDecoder decoder;
    private final Ledger ledger;
    private final HolderReplies holder;
    private final DeadLetters deadLetters;
    private final InboxConfig retry;
    private final MeterRegistry metrics;

    public Ingestion(RecordDecoder decoder, Ledger ledger, HolderReplies holder, DeadLetters deadLetters,
                     InboxConfig retry, MeterRegistry metrics) {
        this.decoder = decoder;
        this.ledger = ledger;
        this.holder = holder;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.metrics = metrics;
    }

    private record Pending(ConsumerRecord<String, byte[]> record, NewEntry entry) {
    }

    /** Records every record of a batch once; returns when each is recorded, a duplicate, or dead-lettered. */
    public void ingest(String consumer, Iterable<ConsumerRecord<String, byte[]>> records) {
        List<Pending> pending = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                pending.add(new Pending(record, decoder.decode(record)));
            } catch (PoisonRecordException e) {
                NewEntry rejected = reject(consumer, record, e);
                if (rejected != null) {
                    pending.add(new Pending(record, rejected));
                }
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        if (pending.size() > 1) {
            try {
                record(pending.stream().map(Pending::entry).toList());
                return;
            } catch (RuntimeException e) {
                Log.debugf("%s: batch of %d failed (%s); recording one by one", consumer, pending.size(), Failures.rootClass(e));
            }
        }
        for (Pending p : pending) {
            recordAlone(consumer, p);
        }
    }

    private void record(List<NewEntry> entries) {
        int written = QuarkusTransaction.requiringNew().call(() -> {
            List<AuditEntry> recorded = ledger.append(entries);
            holder.onRecorded(recorded);
            return recorded.size();
        });
        metrics.counter("pledge.audit.recorded").increment(written);
        metrics.counter("pledge.audit.duplicates").increment(entries.size() - written);
    }

    private void recordAlone(String consumer, Pending p) {
        long backoff = retry.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                record(List.of(p.entry()));
                return;
            } catch (RuntimeException e) {
                PoisonRecordException poison = Failures.poisonIn(e);
                if (poison != null || (!Failures.isTransient(e) && attempt >= retry.maxAttempts())) {
                    PoisonRecordException reason = poison != null ? poison : new PoisonRecordException(
                            "recording failed " + attempt + " times with " + Failures.rootClass(e));
                    NewEntry rejected = reject(consumer, p.record(), reason);
                    if (rejected != null && !rejected.eventId().equals(p.entry().eventId())) {
                        recordAlone(consumer, new Pending(p.record(), rejected));
                    }
                    return;
                }
                Log.warnf("%s: record %s-%d@%d failed on attempt %d with %s; retrying in %d ms", consumer,
                        p.record().topic(), p.record().partition(), p.record().offset(), attempt, Failures.rootClass(e), backoff);
                sleep(backoff);
                backoff = Math.min(retry.maxBackoff().toMillis(), backoff * 2);
            }
        }
    }

    /**
     * Dead-letters a poison record; it is recorded when the dead letter comes back from {@code <topic>.dlq}. A topic
     * without a dead-letter topic gets a rejection entry instead (returned); a dead letter itself is never resent.
     */
    private NewEntry reject(String consumer, ConsumerRecord<String, byte[]> record, PoisonRecordException reason) {
        metrics.counter("pledge.audit.rejected", "topic", record.topic()).increment();
        if (!record.topic().endsWith(TopicCatalogue.DLQ_SUFFIX)
                && TopicCatalogue.find(record.topic() + TopicCatalogue.DLQ_SUFFIX).isPresent()) {
            deadLetters.send(consumer, record, reason);
            return null;
        }
        Log.warnf("%s: record %s-%d@%d rejected: %s", consumer, record.topic(), record.partition(), record.offset(),
                reason.getMessage());
        return decoder.rejected(record, consumer, reason.getMessage());
    }



    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a record", e);
        }
    }
}
