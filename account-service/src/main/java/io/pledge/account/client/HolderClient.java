package io.pledge.account.client;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered holder's OAuth client: its secret by SHA-256 only, its granted scopes, its current credential. */
@Entity
@Table(name = "holder_client")
public class HolderClient extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String REVOKED = "REVOKED";

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "holder_id")
    public String holderId;

    @Column(name = "secret_hash")
    public String secretHash;

    /** Space-separated, sorted (the {@code scope} claim's form). */
    public String scopes;

    public String status;

    /** The {@code sid} of every token issued with the current secret; a new one with each rotation. */
    @Column(name = "credential_id")
    public UUID credentialId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
