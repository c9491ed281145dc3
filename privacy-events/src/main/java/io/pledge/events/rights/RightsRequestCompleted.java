package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A request was completed: every expected holder reached a terminal outcome.
 *
 * @param requestId     the rights request
 * @param subjectId     the data subject
 * @param requestType   the type of the request, as submitted
 * @param completedAt   when the last holder's outcome arrived
 * @param certificateId the signed completion certificate, or null when the type has none
 */
public record RightsRequestCompleted(UUID requestId, UUID subjectId, String requestType, Instant completedAt,
                                     UUID certificateId) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
