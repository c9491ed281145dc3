package io.pledge.notification.delivery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One notice on one channel: its request, state and outcome. Never a contact value or a code. */
@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "notice_id")
    public UUID noticeId;

    @Column(name = "subject_id")
    public UUID subjectId;

    public String kind;

    @Column(name = "template_id")
    public String templateId;

    public String channel;

    public String locale;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> params;

    public int priority;

    @Column(name = "campaign_id")
    public UUID campaignId;

    public String status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    public boolean tracked;

    @Column(name = "reason_code")
    public String reasonCode;

    @Column(name = "requested_at")
    public Instant requestedAt;

    @Column(name = "handed_at")
    public Instant handedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "opened_at")
    public Instant openedAt;

    @Column(name = "clicked_at")
    public Instant clickedAt;

    @Column(name = "erased_at")
    public Instant erasedAt;

    public Map<String, String> params() {
        return params == null ? Map.of() : params;
    }
}
