package io.pledge.audit.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One recorded event as stored in {@code audit_entry}: its envelope, where it was read, the body and the chain
 * links. Pure data, shared with the offline bundle verifier.
 *
 * @param seq         position in the chain, contiguous from 0
 * @param eventId     {@code ce_id}, or {@code dlq:<topic>:<partition>:<offset>} for a dead letter's metadata
 * @param eventType   {@code ce_type}
 * @param source      {@code ce_source}
 * @param subjectId   the pseudonymous data subject id, or null
 * @param eventTime   {@code ce_time}, truncated to microseconds
 * @param dataschema  {@code ce_dataschema}, or null
 * @param topic       the Kafka topic it was read from
 * @param partition   its partition
 * @param offset      its offset
 * @param category    the retention category ({@link Categories})
 * @param actor       who acted: the replying holder, the reader of personal data, or the producing service
 * @param recordedAt  when audit-service recorded it, truncated to microseconds
 * @param bodySha256  the body's commitment ({@link EntryHasher#bodyCommitment}); chained instead of the body so
 *                    that it can be removed
 * @param body        the JSON body as received, or null once retention or an erasure removed it
 * @param redactedAt  when the body was redacted, or null
 * @param prevHash    the previous entry's hash (32 zero bytes for seq 0)
 * @param entryHash   {@link EntryHasher#entryHash} of this entry
 * @param bodySalt    the random salt of the body's commitment, or null (recorded before migration V3, or removed
 *                    with the body)
 */
public record AuditEntry(long seq, String eventId, String eventType, String source, UUID subjectId, Instant eventTime,
                         String dataschema, String topic, int partition, long offset, String category, String actor,
                         Instant recordedAt, byte[] bodySha256, String body, Instant redactedAt, byte[] prevHash,
                         byte[] entryHash, byte[] bodySalt) {

    /** The event's short name, e.g. {@code ConsentWithdrawn} for {@code io.pledge.consent.ConsentWithdrawn.v1}. */
    public String eventName() {
        String[] parts = eventType.split("\\.");
        return parts.length >= 2 && parts[parts.length - 1].matches("v\\d+") ? parts[parts.length - 2] : eventType;
    }
}
