package io.pledge.account.realname;

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
import java.time.LocalDate;
import java.util.UUID;

/**
 * One real-name authentication attempt (policy 2.1.1(2)). Identity and bank values sealed per subject;
 * photos and licences only as references held by the verification provider; never a face image.
 */
@Entity
@Table(name = "real_name_verification")
@EntityListeners(PersonalDataGuard.class)
public class RealNameVerification extends PanacheEntityBase implements OwnedBySubject {

    @Id
    public UUID id;

    @Column(name = "subject_id")
    public UUID subjectId;

    public String method;

    public String status;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "real_name")
    public PersonalString realName;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "id_number")
    public PersonalString idNumber;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "id_photo_front")
    public PersonalString idPhotoFront;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "id_photo_back")
    public PersonalString idPhotoBack;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "bank_account")
    public PersonalString bankAccount;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "bank_name")
    public PersonalString bankName;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "bank_branch")
    public PersonalString bankBranch;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "entity_name")
    public PersonalString entityName;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "credit_code")
    public PersonalString creditCode;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "licence_ref")
    public PersonalString licenceRef;

    @Convert(converter = PersonalStringConverter.class)
    @Column(name = "provider_ref")
    public PersonalString providerRef;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "retained_until")
    public LocalDate retainedUntil;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }
}
