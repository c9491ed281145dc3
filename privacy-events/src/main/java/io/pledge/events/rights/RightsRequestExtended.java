package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A request's deadline was extended, with a coded reason shown to the subject (policy 6).
 *
 * @param requestId     the rights request
 * @param subjectId     the data subject
 * @param previousDueAt the due date before
 * @param newDueAt      the due date now
 * @param reasonCode    why, as a code of the refusal and extension catalogue, e.g. {@code COMPLEX_REQUEST}
 */
public record RightsRequestExtended(UUID requestId, UUID subjectId, Instant previousDueAt, Instant newDueAt,
                                    String reasonCode) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
