package io.pledge.notification.cessation;

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

/** A scheduled cessation of operation (policy 6.9). */
@Entity
@Table(name = "cessation")
public class Cessation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "scheduled_by")
    public String scheduledBy;

    @Column(name = "scheduled_at")
    public Instant scheduledAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> statement;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "announcement_id")
    public UUID announcementId;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;
}
