package io.pledge.kit.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One row of {@code pledge_outbox}: an event waiting for, or done with, the relay. */
@Entity
@Table(name = "pledge_outbox")
public class OutboxRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public UUID id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(name = "ce_type", nullable = false)
    public String type;

    @Column(name = "ce_source", nullable = false)
    public String source;

    @Column(name = "ce_subject")
    public String subject;

    @Column(name = "ce_time", nullable = false)
    public Instant time;

    @Column(name = "ce_dataschema")
    public String dataschema;

    @Column(nullable = false)
    public String payload;

    /** The staff member whose request caused the event (CloudEvents extension {@code actor}), or null. */
    @Column(name = "ce_actor")
    public String actor;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
