package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject asked to cancel their account (policy 6.5); holds may still block it until they are cleared.
 *
 * @param subjectId   the data subject
 * @param requestedAt when the request was made
 */
public record CancellationRequested(UUID subjectId, Instant requestedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
