package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * Every session and refresh token of a subject was revoked (policy 5.1 on a reported compromise), but
 * {@code keptSessionId} when there is one (after a contact change, the session that made it).
 *
 * @param subjectId     the data subject
 * @param reason        COMPROMISE_REPORTED, LOGOUT, CANCELLATION, PASSWORD_RESET or CONTACT_CHANGED
 * @param revokedAt     when the sessions stopped being accepted
 * @param keptSessionId the one session that stays live, or null (none)
 */
public record SessionsRevoked(UUID subjectId, String reason, Instant revokedAt, UUID keptSessionId)
        implements PrivacyEvent {

    /** Every session ended, none kept. */
    public SessionsRevoked(UUID subjectId, String reason, Instant revokedAt) {
        this(subjectId, reason, revokedAt, null);
    }

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
