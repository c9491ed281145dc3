package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A guardian was linked to a minor (policy 7); from then on the guardian may give consent and act for the ward.
 *
 * @param subjectId  the ward (the minor)
 * @param guardianId the guardian, a data subject with an account of their own
 * @param linkedAt   when the link took effect
 */
public record GuardianLinked(UUID subjectId, UUID guardianId, Instant linkedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
