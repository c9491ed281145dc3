package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject registered an account (policy 2.1.1); the contact data given stays in account-service.
 *
 * @param subjectId    the new data subject
 * @param accountType  INDIVIDUAL or ENTERPRISE
 * @param minor        {@code true} when the birth date given makes the subject a minor (policy 7): processing that
 *                     needs consent waits for a guardian's
 * @param registeredAt when the account was created
 */
public record AccountRegistered(UUID subjectId, String accountType, boolean minor,
                                Instant registeredAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
