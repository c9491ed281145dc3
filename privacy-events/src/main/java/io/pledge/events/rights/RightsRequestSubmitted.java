package io.pledge.events.rights;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A data-subject request was received (policy 6); its due date starts the clock.
 *
 * @param requestId   the rights request
 * @param subjectId   the data subject the request is about
 * @param requestType ACCESS, CORRECTION, DELETION, CONSENT_SCOPE, CANCELLATION, COPY, AUTOMATED_DECISION or COMPLAINT
 * @param submittedBy SUBJECT, GUARDIAN or OPERATOR (on the subject's behalf)
 * @param dueAt       when the answer is due under the policy
 * @param submittedAt when it was received
 */
public record RightsRequestSubmitted(UUID requestId, UUID subjectId, String requestType, String submittedBy,
                                     Instant dueAt, Instant submittedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
