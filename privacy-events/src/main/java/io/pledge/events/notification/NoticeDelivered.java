package io.pledge.events.notification;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * A notice reached a subject on one channel (the provider accepted it).
 *
 * @param noticeId    the notice
 * @param subjectId   the recipient
 * @param channel     EMAIL, SMS, PUSH, PHONE or LETTER
 * @param deliveredAt when the provider accepted it
 */
public record NoticeDelivered(UUID noticeId, UUID subjectId, String channel,
                              Instant deliveredAt) implements PrivacyEvent {

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
