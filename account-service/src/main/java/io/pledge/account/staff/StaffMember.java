package io.pledge.account.staff;

import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.crypto.PersonalStringConverter;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A staff member: role, status, password hash, sealed TOTP secret and the last TOTP step used (replay refusal). */
@Entity
@Table(name = "staff_member")
public class StaffMember extends PanacheEntityBase {

    public static final String ACTIVE = "ACTIVE";
    public static final String DISABLED = "DISABLED";

    @Id
    public UUID id;

    public String login;

    @Column(name = "display_name")
    @Convert(converter = PersonalStringConverter.class)
    public PersonalString displayName;

    public String role;

    public String status;

    @Column(name = "password_hash")
    public String passwordHash;

    /** Base32 TOTP secret, sealed under this staff member's own data key. */
    @Column(name = "totp_secret")
    @Convert(converter = PersonalStringConverter.class)
    public PersonalString totpSecret;

    @Column(name = "enrolled_at")
    public Instant enrolledAt;

    @Column(name = "last_totp_step")
    public Long lastTotpStep;

    @Column(name = "failed_logins")
    public int failedLogins;

    @Column(name = "locked_until")
    public Instant lockedUntil;

    @Column(name = "enrolment_token_hash")
    public String enrolmentTokenHash;

    @Column(name = "enrolment_expires_at")
    public Instant enrolmentExpiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "created_by")
    public UUID createdBy;

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
