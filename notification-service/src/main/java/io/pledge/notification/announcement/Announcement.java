package io.pledge.notification.announcement;

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

/** A public announcement (a breach, a cessation): officer-written text in both languages, never personal data. */
@Entity
@Table(name = "announcement")
public class Announcement extends PanacheEntityBase {

    @Id
    public UUID id;

    public String kind;

    public String ref;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> title;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> body;

    @Column(name = "published_at")
    public Instant publishedAt;
}
