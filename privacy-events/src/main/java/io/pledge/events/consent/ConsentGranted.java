package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject (or their guardian) gave consent for a purpose, perhaps for one recipient or region (policies 4.2, 5.4).
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
 * @param grantedAt     when it took effect
 * @param expiresAt     when it lapses unless renewed, or null when it does not
 */
public record ConsentGranted(UUID subjectId, String purposeId, String recipientId, String region, UUID recordId,
                             String channel, String actor, String policyVersion, Instant grantedAt,
                             Instant expiresAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
