package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A holder missed its reply deadline on a request and was escalated to an operator, named.
 *
 * @param requestId    the rights request
 * @param subjectId    the data subject, or null for a command that concerns no single subject (a holder's
 *                     offboarding, breach measures)
 * @param holderId     the holder that is late
 * @param overdueSince when its reply became due
 * @param escalatedAt  when the operator was alerted
 */
public record HolderEscalated(UUID requestId, UUID subjectId, String holderId, Instant overdueSince,
                              Instant escalatedAt) implements PrivacyEvent {

    /** Keyed by subject, so it is ordered with the subject's other events; by request when there is no subject. */
    @Override
    public String key() {
        return subjectId != null ? subjectId.toString() : "request:" + requestId;
    }

    @Override
    public String subject() {
        return subjectId == null ? null : subjectId.toString();
    }
}
