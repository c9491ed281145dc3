package io.pledge.consent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** consent-service settings ({@code pledge.consent.*}). */
@ConfigMapping(prefix = "pledge.consent")
public interface ConsentConfig {

    /**
     * Folder of the keys that sign receipts and unsubscribe tokens ({@code current}, {@code <kid>.key.pem},
     * {@code <kid>.pub.pem}); default {@code ${pledge.data-dir}/consent-service/receipt-keys}.
     */
    java.nio.file.Path keyDir();

    /** Generate a first key there on first start when it is empty; default {@code pledge.keys.generate-if-missing} (true; false in profile cluster). */
    boolean generateKeyIfMissing();

    /** Shortest notice before a material policy version takes effect (policy 9.2); default {@code P30D}. */
    @WithDefault("P30D")
    Duration materialNotice();

    /** Where personal information is collected and stays unless a transfer is consented (policy 5.4); default {@code CN}. */
    @WithDefault("CN")
    String homeRegion();

    /** How long a one-click unsubscribe token stays valid; default {@code P90D}. */
    @WithDefault("P90D")
    Duration unsubscribeTtl();

    /** Public base URL of this service behind the gateway (export locations, policy URLs); default {@code https://pledge.local/api/consents}. */
    @WithDefault("https://pledge.local/api/consents")
    String publicUrl();

    /** How long ledger records are kept after an erasure as proof of consent (retained with basis CONSENT_PROOF); default {@code P1095D}. */
    @WithDefault("P1095D")
    Duration proofRetention();

    /** Subjects asked per transaction when a new purpose or a material change requests consent; default {@code 500}. */
    @WithDefault("500")
    int requestBatch();

    /** How often grants past their expiry get an EXPIRED record (a scheduler period); default {@code 1m}. */
    @WithDefault("1m")
    String expiryInterval();

    /** How often open consent requests are fanned out (a scheduler period); default {@code 2s}. */
    @WithDefault("2s")
    String requestInterval();

    /** How often pending consent.state tombstones are retried (a scheduler period); default {@code 5s}. */
    @WithDefault("5s")
    String tombstoneInterval();

    /** The controller named on receipts (policy 1.1 and 10). */
    Controller controller();

    /** The personal-information controller as named on every consent receipt. */
    interface Controller {
        /** Legal name; default Shanghai Qiniu Information Technology Co., Ltd. */
        @WithDefault("Shanghai Qiniu Information Technology Co., Ltd.")
        String name();

        /** Contact; default {@code bd@qiniu.com}. */
        @WithDefault("bd@qiniu.com")
        String email();

        /** Telephone; default {@code 400-808-9176 ext. 1}. */
        @WithDefault("400-808-9176 ext. 1")
        String phone();

        /** Postal address; default the customer service centre of policy 10.1.4. */
        @WithDefault("Customer Service Center, Building Q, Shanghai Pudong Software Park, 66 Boxia Road, Pudong New Area, Shanghai")
        String address();

        /** Jurisdiction on receipts; default {@code CN}. */
        @WithDefault("CN")
        String jurisdiction();
    }

    /** How often the holder registry's regions are read from rights-request-service (a scheduler period, policy 5.4); default {@code 10s}. */
    @WithDefault("10s")
    String registryInterval();
}
