package io.pledge.audit.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.audit.config.AuditConfig;
import io.pledge.audit.holder.HolderReplies;
import io.pledge.audit.messaging.RecordDecoder;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.config.InboxConfig;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.inbox.DeadLetters;
import io.pledge.kit.inbox.Failures;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records a batch of Kafka records: each is decoded (a large batch in slices on {@code pledge.audit.ingest.decode-threads}
 * threads at once: decoding is pure, and what follows goes in record order), poison records are dead-lettered with their
 * reason (or, on a topic without a dead-letter topic, recorded as rejected), and the rest are appended in one
 * transaction together with the holder replies they call for. Idempotent by event id, so a redelivered batch records nothing twice. If
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
    private final int decodeThreads;
    private final ExecutorService decoding;

    /** Below this many records a batch is decoded on the consumer's thread alone. */
    private static final int PARALLEL_DECODE_FROM = 64;

    public Ingestion(RecordDecoder decoder, Ledger ledger, HolderReplies holder, DeadLetters deadLetters,
                     InboxConfig retry, MeterRegistry metrics, AuditConfig config) {
        this.decoder = decoder;
        this.ledger = ledger;
        this.holder = holder;
        this.deadLetters = deadLetters;
        this.retry = retry;
        this.metrics = metrics;
        this.decodeThreads = Math.max(1, config.ingest().decodeThreads());
        this.decoding = decodeThreads == 1 ? null : Executors.newFixedThreadPool(decodeThreads - 1, r -> {
            Thread t = new Thread(r, "audit-decode");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        if (decoding != null) {
            decoding.shutdownNow();
        }
    }

    private record Pending(ConsumerRecord<String, byte[]> record, NewEntry entry) {
    }

    /** Records every record of a batch once; returns when each is recorded, a duplicate, or dead-lettered. */
    public void ingest(String consumer, Iterable<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        records.forEach(batch::add);
        Object[] decoded = decodeAll(batch);
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<String, byte[]> record = batch.get(i);
            if (decoded[i] instanceof NewEntry entry) {
                pending.add(new Pending(record, entry));
            } else {
                NewEntry rejected = reject(consumer, record, (PoisonRecordException) decoded[i]);
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

    /**
     * Each record's entry, or the {@link PoisonRecordException} saying why it has none, by position. A large batch is
     * cut into one slice per decode thread; any other failure is thrown as it would be from one thread.
     */
    private Object[] decodeAll(List<ConsumerRecord<String, byte[]>> batch) {
        Object[] out = new Object[batch.size()];
        if (decoding == null || batch.size() < PARALLEL_DECODE_FROM) {
            decodeSlice(batch, 0, batch.size(), out);
            return out;
        }
        int slice = (batch.size() + decodeThreads - 1) / decodeThreads;
        List<Future<?>> others = new ArrayList<>();
        for (int from = slice; from < batch.size(); from += slice) {
            int start = from;
            others.add(decoding.submit(() -> decodeSlice(batch, start, Math.min(batch.size(), start + slice), out)));
        }
        decodeSlice(batch, 0, Math.min(batch.size(), slice), out);
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("decoding a batch failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding a batch", e);
            }
        }
        return out;
    }

    private void decodeSlice(List<ConsumerRecord<String, byte[]>> batch, int from, int to, Object[] out) {
        for (int i = from; i < to; i++) {
            try {
                out[i] = decoder.decode(batch.get(i));
            } catch (PoisonRecordException e) {
                out[i] = e;
            }
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
