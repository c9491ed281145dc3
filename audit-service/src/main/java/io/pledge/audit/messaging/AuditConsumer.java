package io.pledge.audit.messaging;

import io.pledge.audit.ledger.Ingestion;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads every topic of the catalogue and every dead-letter topic (channel {@code audit-events}, batch mode) and
 * hands each batch to {@link Ingestion}. One channel, one consumer thread per instance; the ledger's head lock
 * serialises appends across instances.
 */
@ApplicationScoped
public class AuditConsumer {

    static final String CHANNEL = "audit-events";

    private final Ingestion ingestion;

    public AuditConsumer(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        ingestion.ingest(CHANNEL, records);
    }
}
