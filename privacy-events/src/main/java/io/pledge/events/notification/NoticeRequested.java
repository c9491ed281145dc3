package io.pledge.events.notification;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A notice must be sent to a subject; notification-service fetches the contact data itself when sending.
 *
 * @param noticeId    the notice, also its de-duplication key
 * @param subjectId   the recipient
 * @param kind        VERIFICATION_CODE, SERVICE, MARKETING (consent-gated), BREACH, POLICY_CHANGE or CESSATION
 * @param templateId  the template to render, e.g. {@code policy-change}
 * @param channels    where to send, in order of preference: EMAIL, SMS, PUSH, PHONE, LETTER
 * @param locale      zh-CN or en
 * @param params      template parameters: ids, dates, counts and codes (no spaces, no {@code @}), never personal values
 *                    or secrets
 * @param requestedAt when the notice was requested
 */
public record NoticeRequested(UUID noticeId, UUID subjectId, String kind, String templateId, List<String> channels,
                              String locale, Map<String, String> params, Instant requestedAt) implements PrivacyEvent {

    public NoticeRequested {
        channels = List.copyOf(channels);
        // sorted by key, so the same event always serialises to the same JSON
        params = Collections.unmodifiableMap(new TreeMap<>(params));
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
