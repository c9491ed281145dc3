package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A subject proved control of a contact channel with a verification code; the contact value is never in the event.
 *
 * @param subjectId  the data subject
 * @param channel    EMAIL or MOBILE
 * @param verifiedAt when the code was accepted
 */
public record ContactVerified(UUID subjectId, String channel, Instant verifiedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
