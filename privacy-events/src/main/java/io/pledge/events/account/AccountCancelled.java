package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * An account was cancelled for good (policy 6.5): login is refused from now on and erasure follows.
 *
 * @param subjectId        the data subject
 * @param cancelledAt      when the cancellation took effect
 * @param erasureRequestId the erasure request that propagates it to every holder, or null when not yet issued
 */
public record AccountCancelled(UUID subjectId, Instant cancelledAt, UUID erasureRequestId) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
