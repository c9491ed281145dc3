package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject (or their guardian) withdrew consent for a purpose (policy 6.4). Effective for
 * processing from {@code withdrawnAt}; earlier ledger records are never rewritten.
 *
 * @param subjectId     the data subject
 * @param purposeId     the purpose of the catalogue, e.g. {@code marketing-email}
 * @param recipientId   the recipient (registered holder) the consent named, or null for any
 * @param recordId      the ledger record this withdrawal created
 * @param channel       where it was given: WEB, APP, API, EMAIL_LINK, DNT, GPC, GUARDIAN, SYSTEM (withdrawn by the
 *                      controller, e.g. at an account's cancellation, policy 5.4)
 * @param actor         SUBJECT, GUARDIAN or CONTROLLER (the controller, e.g. at an account's cancellation)
 * @param policyVersion the privacy-policy version in force
 * @param withdrawnAt   when it took effect
 */
public record ConsentWithdrawn(UUID subjectId, String purposeId, String recipientId, UUID recordId, String channel,
                               String actor, String policyVersion, Instant withdrawnAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
