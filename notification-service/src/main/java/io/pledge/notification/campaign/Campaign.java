package io.pledge.notification.campaign;

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

/** A notice to many subjects (a breach, a material policy change, a cessation), expanded into deliveries in batches. */
@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {

    /** Who a campaign reaches: the listed subjects, every ACTIVE subject, or every KNOWN one (not erased). */
    public enum Audience { LIST, ACTIVE, KNOWN }

    @Id
    public UUID id;

    public String kind;

    public String ref;

    @Column(name = "template_id")
    public String templateId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] channels;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> params;

    public String audience;

    /** EXPANDING, SENDING or DONE. */
    public String status;

    @Column(name = "cursor_subject")
    public UUID cursorSubject;

    public int subjects;

    public Instant deadline;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expanded_at")
    public Instant expandedAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
