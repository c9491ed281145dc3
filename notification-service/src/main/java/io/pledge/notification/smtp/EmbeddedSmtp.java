package io.pledge.notification.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pledge.notification.config.NotificationConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded default's mail server: GreenMail, a real SMTP server, in this process on
 * {@code pledge.notification.embedded-smtp.port} (and IMAP on {@code imap-port} to read what it
 * received, login and password = the recipient address). Off in production, where
 * {@code quarkus.mailer.*} names the real relay. Tests read what it received through {@link #received()}.
 */
@ApplicationScoped
public class EmbeddedSmtp {

    private final NotificationConfig.EmbeddedSmtp config;
    private volatile GreenMail server;

    public EmbeddedSmtp(NotificationConfig config) {
        this.config = config.embeddedSmtp();
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (config.enabled() && config.serve()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Starts the server (again, after {@link #stop()}); what it had received is gone. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        List<ServerSetup> setups = new ArrayList<>();
        setups.add(new ServerSetup(config.port(), config.host(), ServerSetup.PROTOCOL_SMTP));
        if (config.imapPort() > 0) {
            setups.add(new ServerSetup(config.imapPort(), config.host(), ServerSetup.PROTOCOL_IMAP));
        }
        GreenMail g = new GreenMail(setups.toArray(ServerSetup[]::new));
        g.start();
        server = g;
        Log.infof("embedded SMTP server listening on %s:%d%s", config.host(), config.port(),
                config.imapPort() > 0 ? " (IMAP on " + config.imapPort() + ")" : "");
    }

    /** Stops the server, as an outage of the mail relay would. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Every message received since the start or the last {@link #purge()}. */
    public MimeMessage[] received() {
        GreenMail g = server;
        return g == null ? new MimeMessage[0] : g.getReceivedMessages();
    }

    /** Forgets what was received (tests and benchmarks). */
    public void purge() {
        GreenMail g = server;
        if (g != null) {
            try {
                g.purgeEmailFromAllMailboxes();
            } catch (Exception e) {
                throw new IllegalStateException("cannot purge the embedded mail store", e);
            }
        }
    }
}
