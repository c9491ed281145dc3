package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * The requester's identity was verified, so the request may be acted on (policy 6).
 *
 * @param requestId  the rights request
 * @param subjectId  the data subject
 * @param verifiedAt when the verification succeeded
 */
public record RightsRequestVerified(UUID requestId, UUID subjectId, Instant verifiedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
