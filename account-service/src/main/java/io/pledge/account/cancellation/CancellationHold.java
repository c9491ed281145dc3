package io.pledge.account.cancellation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A reason an account cannot be cancelled yet (policy 6.5), placed and lifted by a holder. */
@Entity
@Table(name = "cancellation_hold")
public class CancellationHold extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    /** RESOURCES, UNPAID_FEES or DISPUTE. */
    public String kind;

    @Column(name = "holder_id")
    public String holderId;

    @Column(name = "placed_at")
    public Instant placedAt;

    @Column(name = "lifted_at")
    public Instant liftedAt;
}
