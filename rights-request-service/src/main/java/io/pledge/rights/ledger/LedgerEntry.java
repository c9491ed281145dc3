package io.pledge.rights.ledger;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The propagation ledger: one holder expected to act on one request, and what it answered. */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String FINAL = "FINAL";
    public static final String RESOLVED_BY_OFFBOARDING = "RESOLVED_BY_OFFBOARDING";

    @EmbeddedId
    public Key key;

    public String command;

    public String status;

    public String outcome;

    @Column(name = "failure_code")
    public String failureCode;

    @Column(name = "export_location")
    public String exportLocation;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> retained;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Integer> counts;

    @Column(name = "replied_at")
    public Instant repliedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "resend_count")
    public int resendCount;

    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    @Column(name = "reminded_at")
    public Instant remindedAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "escalated_at")
    public Instant escalatedAt;

    @Column(name = "resolved_by")
    public UUID resolvedBy;

    /** The signed HolderReplied (JSON, with keyId and signature) that made this entry final; embedded in certificates. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "signed_reply")
    public Map<String, Object> signedReply;

    public UUID requestId() {
        return key.requestId;
    }

    public String holderId() {
        return key.holderId;
    }

    public boolean isFinal() {
        return FINAL.equals(status);
    }

    public static List<LedgerEntry> ofRequest(UUID requestId) {
        return list("key.requestId = ?1 order by key.holderId", requestId);
    }

    public static LedgerEntry find(UUID requestId, String holderId) {
        return findById(new Key(requestId, holderId));
    }

    /** (request, holder). */
    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "request_id")
        public UUID requestId;

        @Column(name = "holder_id")
        public String holderId;

        public Key() {
        }

        public Key(UUID requestId, String holderId) {
            this.requestId = requestId;
            this.holderId = holderId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(requestId, k.requestId) && Objects.equals(holderId, k.holderId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, holderId);
        }
    }
}
