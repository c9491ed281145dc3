package io.pledge.account.profile;

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

/** The optional profile (policy 2.1.1(1)); every field sealed, every field may be empty at any time. */
@Entity
@Table(name = "profile")
@EntityListeners(PersonalDataGuard.class)
public class Profile extends PanacheEntityBase implements OwnedBySubject {

    @Id
    @Column(name = "subject_id")
    public UUID subjectId;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString province;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString city;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString nickname;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString address;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString qq;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString website;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }
}
