package io.pledge.notification.channel;

import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.template.RenderedMessage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The embedded default has no SMS gateway, push service or dialler: with the embedded SMTP server on and no
 * webhook configured, SMS and telephone messages go to the local mail server as mail to
 * {@code <mobile digits>@sms.pledge.local} and push messages to {@code <subject id>@push.pledge.local}, so that
 * someone trying Pledge on one machine reads them over IMAP like email. Never active in production (the embedded
 * server is off there) nor when a webhook is configured.
 */
@ApplicationScoped
public class EmbeddedChannelSink implements ChannelProvider {

    private final boolean active;
    private final EmailProvider email;

    public EmbeddedChannelSink(NotificationConfig config, EmailProvider email) {
        this.active = config.embeddedSmtp().enabled() && config.webhook().url().isEmpty();
        this.email = email;
    }

    @Override
    public boolean handles(String channel) {
        return active && ("SMS".equals(channel) || "PUSH".equals(channel) || "PHONE".equals(channel));
    }

    @Override
    public SendResult send(OutboundMessage m) {
        String to = "PUSH".equals(m.channel()) ? m.subjectId() + "@push.pledge.local"
                : m.to().replaceAll("[^0-9]", "") + "@sms.pledge.local";
        RenderedMessage r = new RenderedMessage("[" + m.channel() + "] " + m.message().subject(), m.message().text());
        return email.send(new OutboundMessage(m.deliveryId(), m.noticeId(), m.subjectId(), "EMAIL", m.locale(), to, r, null,
                Map.of("X-Pledge-Channel", m.channel())));
    }
}
