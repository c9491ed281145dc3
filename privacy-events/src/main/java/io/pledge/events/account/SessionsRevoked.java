package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Every session and refresh token of a subject was revoked (policy 5.1 on a reported compromise).
 *
 * @param subjectId the data subject
 * @param reason    COMPROMISE_REPORTED, LOGOUT, CANCELLATION or PASSWORD_RESET
 * @param revokedAt when the sessions stopped being accepted
 */
public record SessionsRevoked(UUID subjectId, String reason, Instant revokedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
