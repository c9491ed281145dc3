package io.pledge.rights.certificate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A signed erasure certificate: the exact JSON signed, its signature and the signing key's id. */
@Entity
@Table(name = "certificate")
public class Certificate extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "request_id")
    public UUID requestId;

    @Column(name = "subject_id")
    public UUID subjectId;

    public String payload;

    public String signature;

    @Column(name = "key_id")
    public String keyId;

    @Column(name = "issued_at")
    public Instant issuedAt;
}
