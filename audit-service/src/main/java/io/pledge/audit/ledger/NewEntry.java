package io.pledge.audit.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * An event about to be appended: everything of an {@link AuditEntry} but its position, time of recording and hashes.
 */
public record NewEntry(String eventId, String eventType, String source, UUID subjectId, Instant eventTime,
                       String dataschema, String topic, int partition, long offset, String category, String actor,
                       String body) {
}
