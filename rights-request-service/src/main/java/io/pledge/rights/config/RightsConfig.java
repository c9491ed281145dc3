package io.pledge.rights.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** rights-request-service's own settings (prefix {@code pledge.rights}); the README lists every key. */
@ConfigMapping(prefix = "pledge.rights")
public interface RightsConfig {

    /** Public base URL of this service behind the gateway (default https://pledge.local/api/requests). */
    @WithDefault("https://pledge.local/api/requests")
    String publicUrl();

    /** Folder of the certificate signing key pair (default {@code ${pledge.data-dir}/rights-request-service}). */
    Path keyDir();

    /** Generate the certificate key on first start when missing (default {@code pledge.keys.generate-if-missing}: true; false in profile cluster). */
    @WithDefault("true")
    boolean generateKeyIfMissing();

    /** Deadlines and the business-day calendar. */
    Deadlines deadlines();

    /** The watchdog over every non-final state. */
    Watchdog watchdog();

    /** Repeat requests and fees (policy 6 preamble). */
    Fees fees();

    /**
     * Export locations: a holder's public URL prefix mapped to the internal base URL it is fetched from.
     */
    Export export();

    /** Webhook holders: signed HTTPS calls. */
    Webhook webhook();

    /** Holder signing keys: where Pledge's own services publish theirs. */
    HolderKeys holderKeys();

    /** Registered holders' own OAuth clients at account-service. */
    HolderOauth holderOauth();

    /** Purpose stopped for a subject who opts out of automated decisions (policy 6.7; default profiling). */
    @WithDefault("profiling")
    String automatedDecisionPurpose();

    /** How many subjects one cessation transaction issues erasures for (default 200). */
    @WithDefault("200")
    int cessationBatch();

    interface Deadlines {
        /** The zone the policy's days are counted in (default Asia/Shanghai). */
        @WithDefault("Asia/Shanghai")
        java.time.ZoneId zone();

        /**
         * Extra days off (ISO dates) besides the official calendar's public holidays and the weekends (the official
         * holidays and make-up working days per year are data: {@code deadline/calendar/<year>.properties}).
         */
        Optional<List<LocalDate>> holidays();

        /**
         * A folder of {@code <year>.properties} files (the shipped calendar's format: {@code holidays=},
         * {@code working-days=}) that add or replace years of the official calendar, so that a year published after
         * a release is counted right from the day an operator adds it (on Kubernetes, a mounted ConfigMap).
         */
        Optional<java.nio.file.Path> calendarDir();

        /** Business days to answer a correction (policy 6.2; default 15). */
        @WithDefault("15")
        int correctionBusinessDays();

        /** Calendar days to answer a complaint, from identity verification (policies 6.8, 10.2; default 30). */
        @WithDefault("30")
        int complaintDays();

        /** Business days to answer any other request type (default 15); per type: {@code business-days.ACCESS=10}. */
        @WithDefault("15")
        int defaultBusinessDays();

        /** Per-type overrides of {@link #defaultBusinessDays()}. */
        Map<String, Integer> businessDays();

        /** How long a verification code may be submitted before the request expires unverified (default P1D). */
        @WithDefault("P1D")
        Duration verificationWindow();

        /** How long a fee quote may be accepted before the request expires (default P14D). */
        @WithDefault("P14D")
        Duration feeAcceptanceWindow();

        /** How far ahead of its due date a request shows as due soon (default P3D). */
        @WithDefault("P3D")
        Duration dueSoon();
    }

    interface Watchdog {
        /** How often the watchdog runs (default 30s); also in the scheduler expression. */
        @WithDefault("30s")
        String every();

        /** A pending holder is sent its command again after this long without a reply (default PT1H). */
        @WithDefault("PT1H")
        Duration resendAfter();

        /** At most this many re-sends per holder before only escalation remains (default 5). */
        @WithDefault("5")
        int maxResends();

        /** Rows handled per run and kind (default 100). */
        @WithDefault("100")
        int batch();
    }

    interface Fees {
        /** Requests of one type a subject may make free of charge within the window (default 3). */
        @WithDefault("3")
        int freePerWindow();

        /** The window (default P365D). */
        @WithDefault("P365D")
        Duration window();

        /** The fee quoted for a request beyond the free ones, in cents (default 2000). */
        @WithDefault("2000")
        long feeCents();
    }

    interface Export {
        /**
         * Public URL prefix → internal base URL, as a list of {@code prefix=base}, e.g.
         * {@code https://pledge.local/api/account-service=http://127.0.0.1:8081} (none by default).
         */
        Optional<List<String>> rewrites();

        /** The rewrites as a map. */
        default Map<String, String> rewriteMap() {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String e : rewrites().orElse(List.of())) {
                int i = e.indexOf('=');
                if (i > 0) {
                    m.put(e.substring(0, i).trim(), e.substring(i + 1).trim());
                }
            }
            return m;
        }

        /**
         * A PEM file of certificates trusted, besides the JDK's CAs, when an export part is fetched over https (a
         * holder on a private CA); re-read when it changes; none by default.
         */
        Optional<java.nio.file.Path> trustedCertificates();

        /** Timeout of one fetch (default PT10S). */
        @WithDefault("PT10S")
        Duration timeout();
    }

    interface HolderOauth {
        /**
         * The token endpoint a registered holder is told to use, as the team reaches account-service (default
         * {@code ${pledge.account.url}/v1/oauth/token}, set in application.properties).
         */
        String tokenEndpoint();
    }

    interface HolderKeys {
        /**
         * Each Pledge service holder's internal base URL, whose {@code /internal/v1/holder-keys} document names the
         * keys its replies are signed with, as a list of {@code holderId=url} (none by default; the embedded default
         * lists the four services on 127.0.0.1).
         */
        Optional<List<String>> serviceUrls();
    }

    interface Webhook {
        /** Attempts before a webhook call is given up and escalated (default 8). */
        @WithDefault("8")
        int maxAttempts();

        /** First retry delay, doubled each attempt (default PT10S). */
        @WithDefault("PT10S")
        Duration initialBackoff();

        /** Largest retry delay (default PT1H). */
        @WithDefault("PT1H")
        Duration maxBackoff();

        /** A callback's timestamp may differ from now by at most this (default PT5M). */
        @WithDefault("PT5M")
        Duration tolerance();
    }
}
