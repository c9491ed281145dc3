package io.pledge.notification.channel;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.pledge.notification.config.NotificationConfig;
import io.quarkus.mailer.reactive.ReactiveMailer;
import java.time.Duration;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Email over SMTP with quarkus-mailer: a plain-text body (and an HTML one when tracking is allowed),
 * {@code X-Pledge-Notice} and {@code X-Pledge-Delivery} headers (ids only) so that a receiving system
 * can de-duplicate, and any headers the message carries (List-Unsubscribe for marketing).
 */
@ApplicationScoped
public class EmailProvider implements ChannelProvider {

    private final ReactiveMailer mailer;
    private final Duration timeout;

    public EmailProvider(ReactiveMailer mailer, NotificationConfig config) {
        this.mailer = mailer;
        this.timeout = config.delivery().sendTimeout();
    }

    @Override
    public boolean handles(String channel) {
        return "EMAIL".equals(channel);
    }

    @Override
    public SendResult send(OutboundMessage m) {
        Mail mail = Mail.withText(m.to(), m.message().subject(), m.message().text());
        if (m.html() != null) {
            mail.setHtml(m.html());
        }
        mail.addHeader("X-Pledge-Notice", m.noticeId().toString());
        mail.addHeader("X-Pledge-Delivery", m.deliveryId().toString());
        mail.addHeader("Content-Language", m.locale());
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            mail.addHeader(h.getKey(), h.getValue());
        }
        try {
            // bounded: a connection that never answers must not hold a worker thread
            mailer.send(mail).await().atMost(timeout);
            return SendResult.accepted();
        } catch (RuntimeException e) {
            String code = rejectedByServer(e) ? "SMTP_REJECTED" : "SMTP_UNAVAILABLE";
            Log.debugf("delivery %s: SMTP %s (%s)", m.deliveryId(), code, e.getClass().getSimpleName());
            return code.equals("SMTP_REJECTED") ? SendResult.rejected(code) : SendResult.retry(code);
        }
    }

    /** A permanent 5xx reply (bad mailbox, refused) is not retried; connection trouble and 4xx are. */
    private static boolean rejectedByServer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("SMTPException")) {
                try {
                    int code = (int) t.getClass().getMethod("getReplyCode").invoke(t);
                    return code >= 500;
                } catch (ReflectiveOperationException ignored) {
                    return false;
                }
            }
        }
        return false;
    }
}
