package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Consent for a purpose is asked of a subject (policies 2.3, 7, 9.4); processing waits until it is granted.
 *
 * @param subjectId     the data subject
 * @param purposeId     the purpose of the catalogue
 * @param reason        NEW_PURPOSE, POLICY_CHANGE or MINOR_GUARDIAN (the guardian is asked)
 * @param policyVersion the policy version that asks for it, or null
 * @param requestedAt   when the request was raised
 * @param requestId     the request consent-service asks the subject to answer (one per subject and request; the
 *                      answer is recorded against it), or null from producers before it existed
 */
public record ConsentRequested(UUID subjectId, String purposeId, String reason, String policyVersion,
                               Instant requestedAt, UUID requestId) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
