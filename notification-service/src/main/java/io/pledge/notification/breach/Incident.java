package io.pledge.notification.breach;

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

/** A declared security incident (policy 5.3): the officer's five parts in both languages, who is affected, how they are told. */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "declared_by")
    public String declaredBy;

    @Column(name = "declared_at")
    public Instant declaredAt;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Column(name = "discovered_at")
    public Instant discoveredAt;

    /** Part name (title, whatHappened, possibleEffects, measuresTaken, selfProtection, remedies) → locale → text. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Map<String, String>> parts;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] categories;

    /** SUBJECTS or CATEGORIES. */
    @Column(name = "affected_by")
    public String affectedBy;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] channels;

    @Column(name = "individual_impractical")
    public boolean individualImpractical;

    @Column(name = "affected_subjects")
    public int affectedSubjects;

    @Column(name = "campaign_id")
    public UUID campaignId;

    @Column(name = "announcement_id")
    public UUID announcementId;
}
