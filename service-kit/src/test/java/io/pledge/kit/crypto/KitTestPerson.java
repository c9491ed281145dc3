package io.pledge.kit.crypto;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Test-only entity written the way a service writes one: personal fields marked, no crypto code. */
@Entity
@Table(name = "kit_test_person")
@EntityListeners(PersonalDataGuard.class)
public class KitTestPerson implements OwnedBySubject {

    @Id
    public UUID id;

    @Column(name = "subject_id", nullable = false)
    public UUID subjectId;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString email;

    @Convert(converter = PersonalStringConverter.class)
    public PersonalString mobile;

    /** Not personal in this test: stored as is, for contrast. */
    public String nickname;

    @Override
    public UUID ownerSubjectId() {
        return subjectId;
    }
}
