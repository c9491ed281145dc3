package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject (or their guardian) refused consent for a purpose when asked, or opted out by DNT or GPC (policy 3.2).
 *
 * @param subjectId     the data subject
 * @param purposeId     the purpose of the catalogue, e.g. {@code marketing-email}
 * @param recipientId   the recipient (registered holder) the consent names, or null for any
 * @param region        for a cross-border transfer (policy 5.4), the recipient's region as an ISO 3166 code, e.g.
 *                      {@code SG}; else null
 * @param recordId      the ledger record this event created
 * @param channel       where it was given: WEB, APP, API, EMAIL_LINK, DNT, GPC, GUARDIAN
 * @param actor         SUBJECT or GUARDIAN
 * @param policyVersion the privacy-policy version in force
 * @param refusedAt     when it was recorded
 */
public record ConsentRefused(UUID subjectId, String purposeId, String recipientId, String region, UUID recordId,
                             String channel, String actor, String policyVersion,
                             Instant refusedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
