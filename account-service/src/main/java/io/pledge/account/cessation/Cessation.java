package io.pledge.account.cessation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A scheduled cessation of operation (policy 6.9), as announced on notification.events. */
@Entity
@Table(name = "cessation")
public class Cessation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "scheduled_at", nullable = false)
    public Instant scheduledAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
