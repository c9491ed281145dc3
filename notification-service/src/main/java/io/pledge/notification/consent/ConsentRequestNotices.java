package io.pledge.notification.consent;

import io.pledge.events.consent.ConsentRequested;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.DeliveryStore;
import io.pledge.notification.delivery.Kinds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Consent requests (policies 2.3, 9.2): consent-service's {@code ConsentRequested} becomes one notice to that subject,
 * sent through the ordinary delivery machinery (contact and language looked up at send time, retries, one notice per
 * channel), whose link opens the request in consent-service, where the signed-in subject answers it. The notice id
 * is the request id, so a redelivered event, or the same request twice, is one notice.
 */
@ApplicationScoped
public class ConsentRequestNotices {

    public static final String TEMPLATE = "consent-request";

    private final DeliveryStore deliveries;
    private final NotificationConfig config;

    public ConsentRequestNotices(DeliveryStore deliveries, NotificationConfig config) {
        this.deliveries = deliveries;
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void requested(ConsentRequested e) {
        // a request from a producer before request ids existed cannot be answered by its id: the link then opens the
        // subject's list of requests, and the notice id is derived from what names the request
        UUID noticeId = e.requestId() != null ? e.requestId() : UUID.nameUUIDFromBytes(("consent-request:" + e.subjectId()
                + ":" + e.purposeId() + ":" + e.reason() + ":" + e.policyVersion() + ":" + e.requestedAt())
                .getBytes(StandardCharsets.UTF_8));
        String base = config.consentPublicUrl().toString();
        String answerUrl = e.requestId() != null ? base + "/v1/consent-requests/" + e.requestId()
                : base + "/v1/consents/" + e.subjectId() + "/requests";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("purposeId", e.purposeId());
        params.put("reason", e.reason());
        if (e.policyVersion() != null) {
            params.put("policyVersion", e.policyVersion());
        }
        if (e.requestId() != null) {
            params.put("requestId", e.requestId().toString());
        }
        params.put("answerUrl", answerUrl);
        int rows = deliveries.request(new NoticeRequested(noticeId, e.subjectId(), Kinds.CONSENT_REQUEST, TEMPLATE,
                List.of("EMAIL"), config.defaultLocale(), params, e.requestedAt()));
        if (rows > 0) {
            Log.debugf("consent request %s for subject %s queued", noticeId, e.subjectId());
        }
    }
}
