package io.pledge.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** notification-service's own settings (prefix {@code pledge.notification}); the README lists every key. */
@ConfigMapping(prefix = "pledge.notification")
public interface NotificationConfig {

    /** Public base URL of this service behind the gateway (export locations, tracking links); default {@code https://pledge.local/api/notifications}. */
    @WithDefault("https://pledge.local/api/notifications")
    URI publicUrl();

    /** Public base URL of consent-service behind the gateway (the answer links of consent requests); default {@code https://pledge.local/api/consents}. */
    @WithDefault("https://pledge.local/api/consents")
    URI consentPublicUrl();

    /** Locale of a subject whose locale is unknown; default {@code zh-CN}. */
    @WithDefault("zh-CN")
    String defaultLocale();

    EmbeddedSmtp embeddedSmtp();

    Delivery delivery();

    Campaign campaign();

    Webhook webhook();

    Breach breach();

    Cessation cessation();

    /** The local SMTP server of the embedded default (GreenMail, in this process). */
    interface EmbeddedSmtp {
        /** Start it; default {@code true} (the one-machine default); {@code false} in production, where quarkus.mailer.* names a real relay. */
        @WithDefault("true")
        boolean enabled();

        /** Bind address; default {@code 127.0.0.1}. */
        @WithDefault("127.0.0.1")
        String host();

        /** SMTP port; default {@code 2525}. */
        @WithDefault("2525")
        int port();

        /** IMAP port to read what it received (login and password = the recipient address); default {@code 2143}, 0 for none. */
        @WithDefault("2143")
        int imapPort();

        /**
         * Whether this instance runs the server; default {@code true}. A second instance on the same machine
         * ({@code deploy/local/services up --port-offset N}) sets {@code false} and sends to the first one's, so
         * that every message still lands in the one mail server a person reads.
         */
        @WithDefault("true")
        boolean serve();
    }

    /** The delivery worker. */
    interface Delivery {
        /** Run the worker on this instance; default {@code true}. */
        @WithDefault("true")
        boolean enabled();

        /** Worker threads, each claiming its own batch with SKIP LOCKED; default {@code 4}. */
        @WithDefault("4")
        int threads();

        /** Deliveries claimed per batch (one contact lookup per batch); default {@code 50}. */
        @WithDefault("50")
        int batch();

        /**
         * Messages handed to providers at once, across all worker threads (one shared pool of senders; each
         * outcome still committed on its own); {@code 1} sends one at a time on each worker thread; default
         * {@code 16} (the mailer's connection pool).
         */
        @WithDefault("16")
        int sendConcurrency();

        /** How long a claim holds before another worker may take the delivery over; default {@code PT2M}. */
        @WithDefault("PT2M")
        Duration lease();

        /** Attempts before a delivery fails for good; default {@code 6}. */
        @WithDefault("6")
        int maxAttempts();

        /** Back-off after the first failed attempt, doubling each time; default {@code PT30S}. */
        @WithDefault("PT30S")
        Duration initialBackoff();

        /** Longest back-off; default {@code PT1H}. */
        @WithDefault("PT1H")
        Duration maxBackoff();

        /** Idle worker's poll interval; default {@code PT0.5S}. */
        @WithDefault("PT0.5S")
        Duration idlePoll();

        /** Longest wait for the SMTP server to accept one message; default {@code PT30S}. */
        @WithDefault("PT30S")
        Duration sendTimeout();

        /** Timeout of calls to account-service and consent-service; default {@code PT5S}. */
        @WithDefault("PT5S")
        Duration callTimeout();
    }

    /** Campaign expansion. */
    interface Campaign {
        /** Subjects expanded into deliveries per transaction; default {@code 1000}. */
        @WithDefault("1000")
        int batch();
    }

    /** The HTTP webhook provider for SMS, PUSH and PHONE (HMAC-SHA256 signed requests). */
    interface Webhook {
        /** Where to POST messages; none: those channels fail with CHANNEL_UNAVAILABLE. */
        Optional<URI> url();

        /** HMAC-SHA256 key of the signature header; required with {@code url}. */
        Optional<String> secret();

        /** Request timeout; default {@code PT5S}. */
        @WithDefault("PT5S")
        Duration timeout();
    }

    /** Breach incidents (policy 5.3). */
    interface Breach {
        /**
         * Data categories every account holds: an incident affecting one of them by category reaches every
         * known subject; default {@code account,contact,login,profile,real-name}.
         */
        @WithDefault("account,contact,login,profile,real-name")
        Set<String> accountCategories();

        /** Channels of a breach notice when the officer names none; default {@code EMAIL,SMS,PUSH}. */
        @WithDefault("EMAIL,SMS,PUSH")
        List<String> defaultChannels();
    }

    /** Cessation of operation (policy 6.9). */
    interface Cessation {
        /** Shortest notice; default {@code P30D}. */
        @WithDefault("P30D")
        Period minNotice();
    }
}
