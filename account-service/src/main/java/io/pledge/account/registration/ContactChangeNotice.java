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

/**
 * "Your email (or mobile) was changed", owed to the address it was changed from: that old address, sealed, until
 * notification-service fetches it for delivery (the notice id is this row's id) or it expires.
 */
@Entity
@Table(name = "contact_change_notice")
@EntityListeners(PersonalDataGuard.class)
public class ContactChangeNotice extends PanacheEntityBase implements OwnedBySubject {

    /** The template notification-service renders it with. */
    public static final String TEMPLATE = "contact-changed";

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    /** EMAIL or MOBILE: the channel that changed, and the one the notice goes to. */
    public String channel;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "old_value")
    public PersonalString oldValue;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "fetched_at")
    public Instant fetchedAt;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }

    public boolean deliverable(Instant now) {
        return oldValue != null && !oldValue.isErased() && now.isBefore(expiresAt);
    }
}
