package io.pledge.rights.requests;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A data-subject request, or an internal propagation (retention follow-up, cessation, offboarding, breach). */
@Entity
@Table(name = "rights_request")
public class RightsRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    public String type;

    public String origin;

    public String status;

    public String ground;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] fields;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    @Column(name = "purpose_id")
    public String purposeId;

    @Column(name = "recipient_id")
    public String recipientId;

    @Column(name = "export_purpose")
    public String exportPurpose;

    @Column(name = "decision_ref")
    public String decisionRef;

    @Column(name = "opt_out")
    public Boolean optOut;

    @Column(name = "topic_code")
    public String topicCode;

    @Column(name = "work_order")
    public String workOrder;

    @Column(name = "submitted_by")
    public String submittedBy;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "verification_id")
    public String verificationId;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "original_due_at")
    public Instant originalDueAt;

    @Column(name = "state_deadline")
    public Instant stateDeadline;

    @Column(name = "state_owner")
    public String stateOwner;

    @Column(name = "extension_reason")
    public String extensionReason;

    @Column(name = "refusal_code")
    public String refusalCode;

    @Column(name = "fee_cents")
    public Long feeCents;

    @Column(name = "outcome_code")
    public String outcomeCode;

    @Column(name = "explanation_code")
    public String explanationCode;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "certificate_id")
    public UUID certificateId;

    @Column(name = "escalated_at")
    public Instant escalatedAt;

    @Column(name = "related_id")
    public UUID relatedId;

    @Column(name = "transfer_status")
    public String transferStatus;

    /** A correction's phase (policy 6.2): {@code AT_SOURCE}, then {@code AT_HOLDERS}; null for one-phase requests. */
    public String phase;

    public boolean isFinal() {
        return RequestStatus.isFinal(status);
    }

    /** Who received the verification code: the guardian who submitted for a ward (policy 7), else the subject. */
    public UUID verifierId() {
        return "GUARDIAN".equals(origin) && submittedBy != null ? UUID.fromString(submittedBy) : subjectId;
    }
}
