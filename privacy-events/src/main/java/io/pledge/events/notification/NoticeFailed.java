package io.pledge.events.notification;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A notice could not be delivered on one channel after its retries; a fallback channel or an announcement follows.
 *
 * @param noticeId   the notice
 * @param subjectId  the recipient
 * @param channel    EMAIL, SMS, PUSH, PHONE or LETTER
 * @param reasonCode why, as a code, e.g. {@code PROVIDER_REJECTED}
 * @param attempts   how many attempts were made
 * @param failedAt   when the last attempt failed
 */
public record NoticeFailed(UUID noticeId, UUID subjectId, String channel, String reasonCode, int attempts,
                           Instant failedAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
