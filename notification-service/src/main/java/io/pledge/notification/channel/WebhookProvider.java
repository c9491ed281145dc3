package io.pledge.notification.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.security.OutboundPolicy;
import io.pledge.kit.webhook.StandardWebhooks;
import io.pledge.notification.config.NotificationConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SMS, push and telephone through one HTTP webhook (an SMS gateway, a push service, a call centre's
 * dialler): {@code POST <url>} with a JSON body signed by Standard Webhooks, Pledge's one webhook scheme
 * ({@link StandardWebhooks}: {@code webhook-id} = the delivery id, {@code webhook-timestamp},
 * {@code webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>}; the secret is {@code whsec_<base64>}),
 * so the receiver can verify origin and freshness. {@code webhook-id} (also sent as {@code X-Pledge-Delivery}) is the
 * idempotency key. 2xx:
 * accepted; 4xx (but 408 and 429): rejected for good; anything else: retried.
 */
@ApplicationScoped
public class WebhookProvider implements ChannelProvider {

    private final Optional<URI> url;
    private final Optional<String> secret;
    private final NotificationConfig.Webhook config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final OutboundPolicy outbound;

    public WebhookProvider(NotificationConfig config, ObjectMapper json, OutboundPolicy outbound) {
        this.outbound = outbound;
        this.config = config.webhook();
        this.url = this.config.url();
        this.secret = this.config.secret().filter(s -> !s.isBlank());
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).version(HttpClient.Version.HTTP_1_1).build();
        if (url.isPresent() && secret.isEmpty()) {
            throw new IllegalStateException("pledge.notification.webhook.url is set but pledge.notification.webhook.secret is not");
        }
        if (url.isPresent()) {
            try {
                // https on a public address, or a host of pledge.outbound.allowed-hosts (issue 16)
                outbound.checkExternal(url.get().toString());
            } catch (OutboundPolicy.Refused e) {
                throw new IllegalStateException("pledge.notification.webhook.url is refused: " + e.getMessage());
            }
        }
    }

    /** Carries SMS, push and telephone when a webhook URL is configured (without one those channels are unavailable). */
    @Override
    public boolean handles(String channel) {
        return url.isPresent() && ("SMS".equals(channel) || "PUSH".equals(channel) || "PHONE".equals(channel));
    }

    @Override
    public SendResult send(OutboundMessage m) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("deliveryId", m.deliveryId().toString());
            body.put("noticeId", m.noticeId().toString());
            body.put("subjectId", m.subjectId().toString());
            body.put("channel", m.channel());
            body.put("to", m.to());
            body.put("locale", m.locale());
            body.put("subject", m.message().subject());
            body.put("text", m.message().text());
            byte[] bytes = json.writeValueAsBytes(body);
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            // checked again at send time: DNS may have moved the host onto a private address since the start
            URI target = outbound.checkExternal(url.get().toString());
            HttpRequest req = HttpRequest.newBuilder(target).timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header(StandardWebhooks.ID, m.deliveryId().toString())
                    .header(StandardWebhooks.TIMESTAMP, ts)
                    .header("X-Pledge-Delivery", m.deliveryId().toString())
                    .header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secret.get(), m.deliveryId().toString(),
                            Long.parseLong(ts), bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return SendResult.accepted();
            }
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                return SendResult.rejected("PROVIDER_REJECTED");
            }
            return SendResult.retry("PROVIDER_UNAVAILABLE");
        } catch (OutboundPolicy.Refused e) {
            Log.warnf("delivery %s: webhook not called, its URL is refused (%s)", m.deliveryId(), e.getMessage());
            return SendResult.retry("PROVIDER_UNAVAILABLE");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("PROVIDER_UNAVAILABLE");
        } catch (java.io.IOException e) {
            Log.debugf("delivery %s: webhook unreachable (%s)", m.deliveryId(), e.getClass().getSimpleName());
            return SendResult.retry("PROVIDER_UNAVAILABLE");
        }
    }
}
