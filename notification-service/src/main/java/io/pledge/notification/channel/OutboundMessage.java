package io.pledge.notification.channel;

import io.pledge.notification.template.RenderedMessage;
import java.util.Map;
import java.util.UUID;

/**
 * One message ready for a provider: the address (email or mobile, or null for push and letter, which
 * address the subject id), the rendered text, an optional HTML body and extra headers. Lives only for
 * the delivery attempt; {@link #toString()} never shows the address or the content.
 *
 * @param deliveryId the delivery, also the provider's idempotency key
 */
public record OutboundMessage(UUID deliveryId, UUID noticeId, UUID subjectId, String channel, String locale,
                              String to, RenderedMessage message, String html, Map<String, String> headers) {

    @Override
    public String toString() {
        return "OutboundMessage[" + deliveryId + " " + channel + "]";
    }
}
