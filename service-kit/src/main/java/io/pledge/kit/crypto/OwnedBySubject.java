package io.pledge.kit.crypto;

import java.util.UUID;

/**
 * An entity whose personal fields all belong to one subject. With
 * {@code @EntityListeners(PersonalDataGuard.class)}, every {@link PersonalString} loaded into it
 * must have been sealed for that subject.
 */
public interface OwnedBySubject {
    UUID ownerSubjectId();
}
