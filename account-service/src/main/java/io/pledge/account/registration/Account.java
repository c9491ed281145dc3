package io.pledge.account.registration;

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

/** A data subject's account: identity, sealed contact values with their lookup hashes, login state. */
@Entity
@Table(name = "account")
@EntityListeners(PersonalDataGuard.class)
public class Account extends PanacheEntityBase implements OwnedBySubject {

    public static final String PENDING_VERIFICATION = "PENDING_VERIFICATION";
    public static final String PENDING_GUARDIAN = "PENDING_GUARDIAN";
    public static final String ACTIVE = "ACTIVE";
    public static final String CANCELLED = "CANCELLED";

    /** The languages notices are written in; the first is the default. */
    public static final String LOCALE_PATTERN = "zh-CN|en";
    public static final String DEFAULT_LOCALE = "zh-CN";

    @Id
    public UUID id;

    @Column(name = "account_type")
    public String accountType;

    public String status;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "user_name")
    public PersonalString userName;

    @Column(name = "user_name_lookup")
    public String userNameLookup;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString email;

    @Column(name = "email_lookup")
    public String emailLookup;

    @Column(name = "email_verified_at")
    public Instant emailVerifiedAt;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString mobile;

    @Column(name = "mobile_lookup")
    public String mobileLookup;

    @Column(name = "mobile_verified_at")
    public Instant mobileVerifiedAt;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "birth_date")
    public PersonalString birthDate;

    /** Under {@code pledge.account.minors.guardian-age} (18) at registration: a guardian's consent is needed (policy 7). */
    public boolean minor;

    /** Under {@code pledge.account.minors.child-age} (14) at registration: the child rules of policy 7.4 apply too. */
    public boolean child;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "password_reset_required")
    public boolean passwordResetRequired;

    @Column(name = "failed_logins")
    public int failedLogins;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    @Column(name = "guardian_id")
    public UUID guardianId;

    @Column(name = "guardian_link_hash")
    public String guardianLinkHash;

    @Column(name = "guardian_consented_at")
    public Instant guardianConsentedAt;

    @Column(name = "erase_after")
    public Instant eraseAfter;

    @Column(name = "real_name_status")
    public String realNameStatus;

    /** Preferred language for notices, zh-CN or en; not personal data, so not sealed. */
    public String locale;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    @Override
    public UUID ownerSubjectId() {
        return id;
    }

    public boolean verified(String channel) {
        return ContactValues.EMAIL.equals(channel) ? emailVerifiedAt != null : mobileVerifiedAt != null;
    }

    /** Whether more than the registration data may be processed (policy 7: not while a guardian is awaited). */
    public boolean mayProcessBeyondRegistration() {
        return ACTIVE.equals(status);
    }
}
