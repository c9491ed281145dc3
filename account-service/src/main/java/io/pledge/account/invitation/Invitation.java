package io.pledge.account.invitation;

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

/**
 * A friend invitation (policy 2.2.1). The invitee's email is sealed under the invitation's own key
 * (its id), not the inviter's: the invitee is not a subject here, and shredding that one key once the
 * invitation is sent makes every copy of the address, backups included, unreadable.
 */
@Entity
@Table(name = "invitation")
@EntityListeners(PersonalDataGuard.class)
public class Invitation extends PanacheEntityBase implements OwnedBySubject {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String EXPIRED = "EXPIRED";
    public static final String WITHDRAWN = "WITHDRAWN";

    @Id
    public UUID id;

    @Column(name = "inviter_id")
    public UUID inviterId;

    /** Sealed under {@link #id}; null once erased. */
    @Convert(converter = PersonalStringConverter.class)
    public PersonalString email;

    public String status;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "erased_at")
    public Instant erasedAt;

    /** The key the email is sealed under is the invitation's own. */
    @Override
    public UUID ownerSubjectId() {
        return id;
    }
}
