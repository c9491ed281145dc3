package io.pledge.events.consent;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A consent reached its expiry date without renewal; processing that relied on it stops as on a withdrawal.
 *
 * @param subjectId   the data subject
 * @param purposeId   the purpose of the catalogue
 * @param recipientId the recipient the consent named, or null for any
 * @param recordId    the ledger record this expiry created
 * @param expiredAt   when it lapsed
 */
public record ConsentExpired(UUID subjectId, String purposeId, String recipientId, UUID recordId,
                             Instant expiredAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
