package io.pledge.rights.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One public signing key of a holder (a JWK), valid from {@code addedAt} until its retirement, if any. */
@Entity
@Table(name = "holder_key")
public class HolderKey extends PanacheEntityBase {

    public static final String REGISTRATION = "REGISTRATION";
    public static final String OFFICER = "OFFICER";
    public static final String SERVICE = "SERVICE";
    public static final String SELF = "SELF";

    @EmbeddedId
    public Key key;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> jwk;

    public String algorithm;

    public String source;

    @Column(name = "added_at")
    public Instant addedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    public String holderId() {
        return key.holderId;
    }

    public String keyId() {
        return key.keyId;
    }

    /** Every key of one holder, oldest first. */
    public static List<HolderKey> of(String holderId) {
        return list("key.holderId = ?1 order by addedAt, key.keyId", holderId);
    }

    public static HolderKey find(String holderId, String keyId) {
        return findById(new Key(holderId, keyId));
    }

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "holder_id")
        public String holderId;
        @Column(name = "key_id")
        public String keyId;

        public Key() {
        }

        public Key(String holderId, String keyId) {
            this.holderId = holderId;
            this.keyId = keyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.holderId.equals(holderId) && k.keyId.equals(keyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(holderId, keyId);
        }
    }
}
