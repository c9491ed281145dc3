package io.pledge.account.verification;

import io.pledge.kit.crypto.OwnedBySubject;
import io.pledge.kit.crypto.PersonalDataGuard;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.PersonalStringConverter;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One verification code; its id is also the id of the notice that delivers it. Code and new value sealed. */
@Entity
@Table(name = "verification_code")
@EntityListeners(PersonalDataGuard.class)
public class VerificationCode extends PanacheEntityBase implements OwnedBySubject {

    public static final String REGISTRATION = "REGISTRATION";
    public static final String LOGIN = "LOGIN";
    public static final String PASSWORD_RESET = "PASSWORD_RESET";
    public static final String CONTACT_CHANGE = "CONTACT_CHANGE";
    /** Proves the subject's identity before a rights request is processed (policy 6.2, 10.2). */
    public static final String IDENTITY = "IDENTITY";
    /** Proves a new email or mobile staged for a correction request (policy 6.2). */
    public static final String CORRECTION = "CORRECTION";

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    public String purpose;

    public String channel;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString code;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "pending_value")
    public PersonalString pendingValue;

    public int attempts;

    @Column(name = "max_attempts")
    public int maxAttempts;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "consumed_at")
    public Instant consumedAt;

    @Column(name = "fetched_at")
    public Instant fetchedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The login session that asked for a CONTACT_CHANGE code: it stays when the change applies, the others end. */
    @Column(name = "session_id")
    public UUID sessionId;

    /** For an IDENTITY code, the rights request it verifies (the verifier's reference); a correction binds to it. */
    public String reference;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }

    public boolean usable(Instant now) {
        return consumedAt == null && attempts < maxAttempts && now.isBefore(expiresAt);
    }
}
