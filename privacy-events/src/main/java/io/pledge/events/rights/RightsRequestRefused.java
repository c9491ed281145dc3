package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A request was refused with a coded reason visible to the subject (policy 6, exceptions (1) to (8)).
 *
 * @param requestId  the rights request
 * @param subjectId  the data subject
 * @param reasonCode why, as a code, e.g. {@code EXCESSIVE_REPETITION}
 * @param refusedAt  when it was refused
 */
public record RightsRequestRefused(UUID requestId, UUID subjectId, String reasonCode,
                                   Instant refusedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
