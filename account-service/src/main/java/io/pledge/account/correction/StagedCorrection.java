package io.pledge.account.correction;

import io.pledge.kit.crypto.OwnedBySubject;
import io.pledge.kit.crypto.PersonalDataGuard;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.PersonalStringConverter;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A subject's new value for one field of a correction request it has open (policy 6.2); sealed, applied once. */
@Entity
@Table(name = "staged_correction")
@EntityListeners(PersonalDataGuard.class)
public class StagedCorrection extends PanacheEntityBase implements OwnedBySubject {

    /** One field of one request. */
    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "request_id")
        public UUID requestId;

        @Column(name = "field")
        public String field;

        public Key() {
        }

        public Key(UUID requestId, String field) {
            this.requestId = requestId;
            this.field = field;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(requestId, k.requestId) && Objects.equals(field, k.field);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, field);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "subject_id")
    public UUID subjectId;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString value;

    @Column(name = "verification_id")
    public UUID verificationId;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "staged_at")
    public Instant stagedAt;

    @Column(name = "applied_at")
    public Instant appliedAt;

    public Boolean changed;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }

    public String field() {
        return key.field;
    }

    /** Whether it may be applied: a value, and for a new email or mobile a confirmed code. */
    public boolean ready() {
        boolean contact = "email".equals(key.field) || "mobile".equals(key.field);
        return appliedAt == null && value != null && !value.isErased()
                && (!contact || (verificationId != null && confirmedAt != null));
    }

    public static List<StagedCorrection> ofRequest(UUID requestId) {
        return list("key.requestId = ?1 order by key.field", requestId);
    }
}
