package io.pledge.account.staff;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A one-time recovery code, by SHA-256 of the staff id and the code only; {@code usedAt} is set once it has signed
 * someone in.
 */
@Entity
@Table(name = "staff_recovery_code")
public class StaffRecoveryCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "staff_id")
    public UUID staffId;

    @Column(name = "used_at")
    public Instant usedAt;
}
