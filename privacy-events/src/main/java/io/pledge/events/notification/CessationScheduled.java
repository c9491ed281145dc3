package io.pledge.events.notification;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * The provider will cease operating (policy 6.9): from now on no new personal data is collected, every subject is
 * notified, and at {@code endsAt} erasure of every subject is requested.
 *
 * @param cessationId the cessation
 * @param scheduledAt when it was scheduled (and collection stopped)
 * @param endsAt      when operation ends; at least 30 days after {@code scheduledAt}
 */
public record CessationScheduled(UUID cessationId, Instant scheduledAt, Instant endsAt) implements PrivacyEvent {

    /** Keyed by cessation: it concerns every subject. */
    @Override
    public String key() {
        return "cessation:" + cessationId;
    }

    @Override
    public String subject() {
        return null;
    }
}
