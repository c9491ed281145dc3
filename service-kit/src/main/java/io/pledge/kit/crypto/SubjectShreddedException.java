package io.pledge.kit.crypto;

import java.time.Instant;
import java.util.UUID;

/** The subject's data keys were destroyed: its personal data is unrecoverable, by design (policy 6.3). */
public class SubjectShreddedException extends RuntimeException {

    private final UUID subjectId;

    public SubjectShreddedException(UUID subjectId, Instant shreddedAt) {
        super("personal data of subject " + subjectId + " was erased (keys destroyed "
                + (shreddedAt == null ? "" : "at " + shreddedAt) + "); it cannot be read or written");
        this.subjectId = subjectId;
    }

    public UUID subjectId() {
        return subjectId;
    }
}
